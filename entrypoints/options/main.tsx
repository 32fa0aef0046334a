/**
 * The options page (issue #5): sync status per way, and the sync server's
 * settings. Settings and the password go to `storage.local` only; the
 * server's host permission is requested here, from the reader's click. The
 * background syncs when `serverSync:request` changes; statuses update live.
 *
 * Automatic backup and storage (issue #8): the `downloads` permission is
 * requested from the click that turns backups on; settings go to
 * `storage.local`, "Back up now" writes `backup:request`, and the background
 * reports each outcome in `backup:state`.
 */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { BLANK_SERVER_SETTINGS, OptionsApp, type OptionsAppProps } from '../../components/OptionsApp';
import type { OptionsBackupActions, OptionsBackupPanelProps } from '../../components/OptionsBackupPanel';
import type { OptionsStoragePanelProps } from '../../components/OptionsStoragePanel';
import type { PermissionRefused } from '../../components/OptionsServerForm';
import '../../components/review.css';
import '../../components/options.css';
import { loadOptionsStrings } from '../../components/options-strings';
import { getMessage } from '../../storage/review-client';
import { sendRequest } from '../../storage/messaging-client';
import { BACKUP_KEYS, parseBackupSettings, type BackupSettings } from '../../storage/backup/backup-settings';
import { parseBackupState, type BackupState } from '../../storage/backup/backup-state';
import { readStorageUsage } from '../../storage/backup/storage-usage';
import { createServerDatabase, testServerConnection } from '../../storage/sync/couch-connection';
import { SERVER_SYNC_KEYS, storageAreaKv } from '../../storage/sync/couch-kv';
import { parseSyncStatus, readSyncStatus } from '../../storage/sync/couch-status';
import { hostPermissionPattern, loadServerSettings, saveServerSettings, type ServerSettings } from '../../storage/sync/server-settings';
import { syncStatusKey } from '../../storage/sync/sync-status';

const kv = storageAreaKv(browser.storage.local);
const SYNC_REQUEST_PATIENCE_MS = 20_000;
/** A backup waits up to two minutes for the browser to write the file (storage/backup/downloads-port.ts). */
const BACKUP_REQUEST_PATIENCE_MS = 150_000;
const DOWNLOADS = { permissions: ['downloads' as const] };
const locale = browser.i18n.getUILanguage();
const strings = loadOptionsStrings(getMessage, locale);

/** Asks for the server's host permission; must run straight from a click. */
async function allowHost(settings: ServerSettings): Promise<PermissionRefused | null> {
  const granted = await browser.permissions.request({ origins: [hostPermissionPattern(settings.url)] });
  return granted ? null : { ok: false, kind: 'permission-denied', host: new URL(settings.url).host };
}

/** Tells the background to sync now (it listens for this key changing). */
function requestSync(): Promise<void> {
  return kv.set(SERVER_SYNC_KEYS.request, Date.now());
}

/** What the backup section shows of the background's state. */
function lastBackup({ lastSaved, lastOutcome }: BackupState): Pick<OptionsBackupPanelProps, 'lastSaved' | 'lastOutcome'> {
  return { lastSaved, lastOutcome };
}

/** Space used, whether it is kept, and what the library holds. */
async function readStorage(): Promise<Omit<OptionsStoragePanelProps, 'strings'>> {
  const unlimited = await browser.permissions.contains({ permissions: ['unlimitedStorage'] });
  const [usage, counts] = await Promise.all([readStorageUsage(navigator.storage, unlimited), sendRequest({ type: 'countLibrary' })]);
  return { usage, counts: counts.ok ? counts.value : null };
}

async function main(): Promise<void> {
  document.documentElement.lang = locale;
  document.title = `${strings.title} · ${strings.appName}`;
  const saved = await loadServerSettings(kv);
  let props: OptionsAppProps = {
    strings,
    settings: saved ?? BLANK_SERVER_SETTINGS,
    statuses: { browser: await readSyncStatus(kv, 'browser'), server: await readSyncStatus(kv, 'server') },
    now: Date.now(),
    syncRequested: false,
    iconUrl: browser.runtime.getURL('/icon/48.png'),
    backup: {
      settings: parseBackupSettings(await kv.get(BACKUP_KEYS.settings)),
      ...lastBackup(parseBackupState(await kv.get(BACKUP_KEYS.state))),
      permitted: await browser.permissions.contains(DOWNLOADS),
      running: false,
      actions: backupActions(),
    },
    storage: { usage: null, counts: null },
    actions: {
      async save(settings) {
        const refused = settings.enabled ? await allowHost(settings) : null;
        if (refused) return refused;
        await saveServerSettings(kv, settings);
        await requestSync();
        return { ok: true };
      },
      async test(settings) {
        return (await allowHost(settings)) ?? testServerConnection(settings, { getMessage });
      },
      async createDatabase(settings) {
        return (await allowHost(settings)) ?? createServerDatabase(settings, { getMessage });
      },
      syncNow() {
        update({ syncRequested: true });
        void requestSync();
        // Should no status arrive (the worker failed to start), let the reader try again.
        setTimeout(() => update({ syncRequested: false }), SYNC_REQUEST_PATIENCE_MS);
      },
    },
  };
  const root = document.getElementById('app')!;
  const update = (change: Partial<OptionsAppProps>) => {
    props = { ...props, ...change, now: Date.now() };
    render(<OptionsApp {...props} />, root);
  };
  const updateBackup = (change: Partial<NonNullable<OptionsAppProps['backup']>>) => update({ backup: { ...props.backup!, ...change } });
  const refreshStorage = async () => update({ storage: await readStorage() });
  update({});
  void refreshStorage();

  function backupActions(): OptionsBackupActions {
    const save = async (change: Partial<BackupSettings>) => {
      const settings = { ...props.backup!.settings, ...change };
      updateBackup({ settings });
      await kv.set(BACKUP_KEYS.settings, settings);
    };
    return {
      async setEnabled(enabled) {
        // Asked before anything else is awaited: the prompt needs the reader's click.
        if (enabled && !(await browser.permissions.request(DOWNLOADS))) return false;
        await save({ enabled });
        // Off gives the permission back; a build that grants it at install cannot, and keeps it.
        if (!enabled) await browser.permissions.remove(DOWNLOADS).catch(() => false);
        updateBackup({ permitted: await browser.permissions.contains(DOWNLOADS) });
        return true;
      },
      setFrequency: (frequency) => void save({ frequency }),
      setKeep: (keep) => void save({ keep }),
      backUpNow() {
        updateBackup({ running: true });
        void kv.set(BACKUP_KEYS.request, Date.now());
        // Should no outcome arrive (the worker failed to start), let the reader try again.
        setTimeout(() => updateBackup({ running: false }), BACKUP_REQUEST_PATIENCE_MS);
      },
    };
  }
  const onPermissionsChanged = async () => updateBackup({ permitted: await browser.permissions.contains(DOWNLOADS) });
  browser.permissions.onAdded.addListener(() => void onPermissionsChanged());
  browser.permissions.onRemoved.addListener(() => void onPermissionsChanged());

  browser.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local') return;
    const backupSettings = changes[BACKUP_KEYS.settings];
    if (backupSettings) updateBackup({ settings: parseBackupSettings(backupSettings.newValue) });
    const backupState = changes[BACKUP_KEYS.state];
    if (backupState) {
      const last = lastBackup(parseBackupState(backupState.newValue));
      // A new outcome means the requested backup has run (the state is also written mid-run).
      if (last.lastOutcome?.at !== props.backup!.lastOutcome?.at) updateBackup({ ...last, running: false });
      void refreshStorage();
    }
    const browserChange = changes[syncStatusKey('browser')];
    const serverChange = changes[syncStatusKey('server')];
    if (!browserChange && !serverChange) return;
    update({
      statuses: {
        browser: browserChange ? parseSyncStatus(browserChange.newValue, 'browser') : props.statuses.browser,
        server: serverChange ? parseSyncStatus(serverChange.newValue, 'server') : props.statuses.server,
      },
      // A new server status means the requested sync has run.
      syncRequested: serverChange ? false : props.syncRequested,
    });
  });
  // "3 minutes ago" moves on while the page stays open, and so may the space used.
  setInterval(() => void refreshStorage(), 30_000);
}

void main();
