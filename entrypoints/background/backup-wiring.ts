/**
 * Automatic backups and persistent storage in the background (issue #8).
 * Every trigger is an event the browser delivers to a stopped worker (an
 * alarm, a `storage.local` change written by the options page, startup), and
 * everything a run needs to know is in `storage.local`, so a stop at any
 * moment loses nothing. Runs are queued one after another within a worker's
 * life, so "Back up now" during an alarm's run does not write twice.
 */
import { browser } from 'wxt/browser';
import type { LessonHighlighterDb } from '../../storage/db';
import { describeError } from '../../storage/handlers';
import { listAnnotations, listLessonNotes } from '../../storage/library-queries';
import { logWarning } from '../../storage/logger';
import { storageAreaKv } from '../../storage/sync/couch-kv';
import { textDataUrl } from '../../storage/backup/backup-file';
import { alarmChange, BACKUP_ALARM, BACKUP_CHECK_MINUTES } from '../../storage/backup/backup-schedule';
import { BACKUP_KEYS, parseBackupSettings } from '../../storage/backup/backup-settings';
import type { DownloadItemLike, DownloadsPort } from '../../storage/backup/downloads-port';
import { runBackup, type BackupDeps, type BackupTrigger } from '../../storage/backup/run-backup';
import { PERSISTENCE_KEY, requestPersistence } from '../../storage/backup/storage-usage';

const kv = storageAreaKv(browser.storage.local);

/** Registers the backup listeners (synchronously, so events that wake the worker reach them). */
export function startBackups(database: () => LessonHighlighterDb): void {
  let queue: Promise<unknown> = Promise.resolve();
  const run = (trigger: BackupTrigger) => {
    queue = queue
      .then(() => runBackup(backupDeps(database), trigger))
      .catch((error: unknown) => logWarning('A backup run failed unexpectedly', error));
  };

  browser.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local') return;
    if (BACKUP_KEYS.settings in changes) {
      void scheduleBackups();
      // Turned on (or made more frequent): a backup may be due right now.
      run('alarm');
    }
    if (BACKUP_KEYS.request in changes) run('manual');
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === BACKUP_ALARM) run('alarm');
  });
  browser.runtime.onInstalled.addListener(() => {
    void scheduleBackups();
    void reportPersistence();
  });
  browser.runtime.onStartup.addListener(() => {
    void scheduleBackups();
    // The browser may have been closed when a backup was due.
    run('startup');
    void reportPersistence();
  });
}

/** Creates the hourly check while backups are on (if an update or restart lost it), clears it when off. */
async function scheduleBackups(): Promise<void> {
  const settings = parseBackupSettings(await kv.get(BACKUP_KEYS.settings));
  const change = alarmChange(settings, (await browser.alarms.get(BACKUP_ALARM)) !== undefined);
  if (change === 'create') await browser.alarms.create(BACKUP_ALARM, { periodInMinutes: BACKUP_CHECK_MINUTES });
  if (change === 'clear') await browser.alarms.clear(BACKUP_ALARM);
}

/** Asks for persistent storage and stores the browser's answer (`storage:persistence`). */
async function reportPersistence(): Promise<void> {
  const report = await requestPersistence(navigator.storage, Date.now());
  await kv.set(PERSISTENCE_KEY, report);
  if (!report.persisted) logWarning('Storage is not persistent; unlimitedStorage still exempts it from eviction', report);
}

function backupDeps(database: () => LessonHighlighterDb): BackupDeps {
  return {
    kv,
    downloads: async () => ((await browser.permissions.contains({ permissions: ['downloads'] })) && browser.downloads ? downloadsPort() : null),
    async readLibrary() {
      const db = database();
      const [annotations, notes] = await Promise.all([listAnnotations(db), listLessonNotes(db)]);
      return { annotations, notes };
    },
    describeError,
    fileUrl,
    label: browser.i18n.getMessage('backupCollectionLabel') || 'Lesson Highlighter backup',
    extensionId: browser.runtime.id,
    now: () => Date.now(),
    newCollectionId: () => `urn:uuid:${crypto.randomUUID()}`,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

/**
 * A URL for the backup's text. Chrome's service worker has no
 * `URL.createObjectURL`, but its downloads API takes data URLs; Firefox's
 * event page has blob URLs, and Firefox refuses data URLs in `downloads.download`.
 */
function fileUrl(text: string): { url: string; release(): void } {
  if (typeof URL.createObjectURL !== 'function') return { url: textDataUrl(text), release: () => undefined };
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json;charset=utf-8' }));
  return { url, release: () => URL.revokeObjectURL(url) };
}

/** `browser.downloads` as the backup code's port. */
function downloadsPort(): DownloadsPort {
  const { downloads } = browser;
  return {
    download: (options) => downloads.download(options),
    search: async ({ id }) =>
      (await downloads.search({ id })).map(
        (item): DownloadItemLike => ({
          id: item.id,
          filename: item.filename,
          state: item.state as DownloadItemLike['state'],
          ...(item.error ? { error: item.error } : {}),
          ...(item.exists === undefined ? {} : { exists: item.exists }),
          ...(item.byExtensionId ? { byExtensionId: item.byExtensionId } : {}),
        }),
      ),
    removeFile: (id) => downloads.removeFile(id),
    erase: (query) => downloads.erase(query),
  };
}
