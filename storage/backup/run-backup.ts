/**
 * One backup run (issue #8): checks that one is due (or asked for), builds
 * the JSON export, skips it when nothing changed since the last backup,
 * writes it to `Downloads/lesson-highlighter-backups/` through the
 * `downloads` API, waits until the browser has written it, then removes the
 * backups beyond the newest N that this extension made. Every step's result
 * is stored in `backup:state` at once: the worker may be stopped between two
 * steps, and the options page shows the outcome.
 */
import type { KeyValuePort } from '../sync/couch-kv';
import type { Annotation, LessonNote } from '../model';
import { backupFileName, baseName } from './backup-naming';
import { buildBackupFile, type BackupFile } from './backup-file';
import { backupsToRemove, type BackupRecord } from './backup-retention';
import { isBackupDue } from './backup-schedule';
import { BACKUP_KEYS, parseBackupSettings } from './backup-settings';
import { parseBackupState, type BackupOutcome, type BackupProblem, type BackupState } from './backup-state';
import { removeBackup, waitForDownload, type DownloadItemLike, type DownloadsPort } from './downloads-port';

/** What a run needs from the browser and the database. */
export interface BackupDeps {
  kv: KeyValuePort;
  /** The downloads API, or null when its permission is not granted. */
  downloads(): Promise<DownloadsPort | null>;
  /** Every live annotation and lesson note; throws when the database fails. */
  readLibrary(): Promise<{ annotations: Annotation[]; notes: LessonNote[] }>;
  /** A database failure in words. */
  describeError(error: unknown): string;
  /** A URL the downloads API can fetch `text` from, and how to release it afterwards. */
  fileUrl(text: string): { url: string; release(): void };
  /** The collection's label in the reader's language. */
  label: string;
  /** Our extension id: only downloads it started are ever removed. */
  extensionId: string;
  now(): number;
  newCollectionId(): string;
  sleep(ms: number): Promise<void>;
}

/** Why the run started: the hourly alarm, the browser starting, or "Back up now". */
export type BackupTrigger = 'alarm' | 'startup' | 'manual';

/** The outcome, or `not-due` when an automatic run found nothing to do (and stored nothing). */
export type BackupRunResult = BackupOutcome | { type: 'not-due' };

/** Runs one backup if it is due (always, for `manual`). Database and download failures end up in the outcome, in words. */
export async function runBackup(deps: BackupDeps, trigger: BackupTrigger): Promise<BackupRunResult> {
  const settings = parseBackupSettings(await deps.kv.get(BACKUP_KEYS.settings));
  const state = parseBackupState(await deps.kv.get(BACKUP_KEYS.state));
  const now = deps.now();
  if (trigger !== 'manual' && !isBackupDue(settings, state.lastBackupAt, now)) return { type: 'not-due' };
  const save = (outcome: BackupOutcome) => finish(deps, state, outcome);
  const fail = (problem: BackupProblem, detail: string | null) => save({ type: 'failed', at: now, problem, detail });

  const downloads = await deps.downloads();
  if (!downloads) return fail('no-permission', null);
  let file: BackupFile;
  try {
    const { annotations, notes } = await deps.readLibrary();
    file = await buildBackupFile(annotations, notes, { label: deps.label, now, collectionId: deps.newCollectionId() });
  } catch (error) {
    return fail('export-failed', deps.describeError(error));
  }
  const unchanged = await unchangedBackup(downloads, state, file.fingerprint);
  if (unchanged !== null) {
    state.lastBackupAt = now;
    return save({ type: 'unchanged', at: now, fileName: unchanged });
  }

  const written = await writeBackup(deps, downloads, state, file.text, now);
  if (!written.ok) return fail(written.problem, written.detail);
  const { record, item } = written;
  record.fileName = item.filename;
  state.fingerprint = file.fingerprint;
  state.lastBackupAt = now;
  const saved = { at: now, fileName: baseName(item.filename) };
  state.lastSaved = saved;
  await deps.kv.set(BACKUP_KEYS.state, state);
  await removeOldBackups(deps, downloads, state, settings.keep);
  return save({ type: 'saved', ...saved });
}

type Written =
  | { ok: true; record: BackupRecord; item: DownloadItemLike }
  | { ok: false; problem: 'download-refused' | 'download-failed'; detail: string };

/**
 * Hands the file to the browser and waits until it is written. The download
 * is recorded as ours before waiting: should the worker stop meanwhile, the
 * file is still known to be a backup we made.
 */
async function writeBackup(deps: BackupDeps, downloads: DownloadsPort, state: BackupState, text: string, now: number): Promise<Written> {
  const { url, release } = deps.fileUrl(text);
  const fileName = backupFileName(new Date(now));
  let downloadId: number;
  try {
    downloadId = await downloads.download({ url, filename: fileName, conflictAction: 'uniquify', saveAs: false });
  } catch (error) {
    release();
    return { ok: false, problem: 'download-refused', detail: error instanceof Error ? error.message : String(error) };
  }
  const record: BackupRecord = { downloadId, fileName, createdAt: now };
  state.backups.push(record);
  await deps.kv.set(BACKUP_KEYS.state, state);
  const item = await waitForDownload(downloads, downloadId, deps.sleep);
  release();
  if (item?.state === 'complete') return { ok: true, record, item };
  if (item?.state === 'interrupted') {
    // A failed download leaves no file; its entry would only clutter the reader's list.
    state.backups = state.backups.filter((other) => other !== record);
    await downloads.erase({ id: downloadId }).catch(() => undefined);
  }
  return { ok: false, problem: 'download-failed', detail: item?.error ?? (item ? 'TIMEOUT' : 'GONE') };
}

/**
 * The name of the last backup when the library has not changed since it was
 * written and its file is still there; null when a new backup is needed.
 */
async function unchangedBackup(downloads: DownloadsPort, state: BackupState, fingerprint: string): Promise<string | null> {
  const last = state.backups.reduce<BackupRecord | null>((newest, record) => (!newest || record.createdAt > newest.createdAt ? record : newest), null);
  if (!last || state.fingerprint !== fingerprint) return null;
  const item = (await downloads.search({ id: last.downloadId }))[0];
  return item?.state === 'complete' && item.exists !== false ? baseName(item.filename) : null;
}

/** Removes our backups beyond the newest `keep`; one that could not be removed stays recorded for next time. */
async function removeOldBackups(deps: BackupDeps, downloads: DownloadsPort, state: BackupState, keep: number): Promise<void> {
  for (const record of backupsToRemove(state.backups, keep)) {
    const result = await removeBackup(downloads, record, deps.extensionId).catch(() => 'failed' as const);
    if (result !== 'failed') state.backups = state.backups.filter((other) => other.downloadId !== record.downloadId);
  }
}

async function finish(deps: BackupDeps, state: BackupState, outcome: BackupOutcome): Promise<BackupOutcome> {
  state.lastOutcome = outcome;
  await deps.kv.set(BACKUP_KEYS.state, state);
  return outcome;
}
