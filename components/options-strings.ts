/**
 * Strings of the options page (issue #5). Values come from `browser.i18n`
 * (`public/_locales/<lang>/messages.json`, keys prefixed `options`);
 * components receive them as props and never call extension APIs.
 */
import type { LibraryCounts } from '../storage/backup/library-counts';
import type { BackupProblem } from '../storage/backup/backup-state';
import { formatBytes, type Persistence, type StorageUsage } from '../storage/backup/storage-usage';
import type { GetMessage } from '../storage/sync/couch-errors';
import type { SettingsProblem } from '../storage/sync/server-settings';

/** Keys of the plain strings (no placeholders). */
export const OPTIONS_MESSAGE_KEYS = [
  'optionsTitle',
  'optionsStatusHeading',
  'optionsWayBrowser',
  'optionsWayServer',
  'optionsOn',
  'optionsOff',
  'optionsLastSuccess',
  'optionsNever',
  'optionsPending',
  'optionsLastError',
  'optionsSpaceUsed',
  'optionsSyncNow',
  'optionsSyncRequested',
  'optionsServerHeading',
  'optionsServerIntro',
  'optionsUrlLabel',
  'optionsUrlHint',
  'optionsDatabaseLabel',
  'optionsDatabaseHint',
  'optionsUsernameLabel',
  'optionsPasswordLabel',
  'optionsPasswordHint',
  'optionsShowPassword',
  'optionsHidePassword',
  'optionsEnabledLabel',
  'optionsSave',
  'optionsSaved',
  'optionsTest',
  'optionsWorking',
  'optionsCreateDatabase',
  'optionsFixFields',
  'optionsBackupHeading',
  'optionsBackupIntro',
  'optionsBackupEnabled',
  'optionsBackupFrequency',
  'optionsBackupDaily',
  'optionsBackupWeekly',
  'optionsBackupKeep',
  'optionsBackupKeepHint',
  'optionsBackupKeepInvalid',
  'optionsBackupNow',
  'optionsBackupRunning',
  'optionsBackupLast',
  'optionsBackupNone',
  'optionsBackupPermissionDenied',
  'optionsStorageHeading',
  'optionsStorageMeasuring',
  'optionsStorageHint',
] as const;

export type OptionsMessageKey = (typeof OPTIONS_MESSAGE_KEYS)[number];

/** `optionsSyncNow` → `syncNow`. */
type Unprefixed<K extends string> = K extends `options${infer Rest}` ? Uncapitalize<Rest> : never;

export type OptionsStrings = { [K in OptionsMessageKey as Unprefixed<K>]: string } & {
  /** A settings field's problem in words. */
  problem(problem: SettingsProblem): string;
  /** "12.3 KB of 100 KB". */
  space(used: number, quota: number): string;
  /** "120 highlights carried, 30 did not fit". */
  carried(carried: number, notCarried: number): string;
  /** "The sync of 27 Nov, 16:05 skipped 2 documents on the server it cannot read; nothing in this profile was changed:". */
  skipped(count: number, when: string): string;
  connected(server: string, user: string | null): string;
  databaseState(name: string, state: 'exists' | 'missing' | 'created'): string;
  permissionDenied(host: string): string;
  /** Number in the UI language. */
  number(value: number): string;
  /** "Nothing changed since lesson-highlighter-….json, so no new file was written." */
  backupUnchanged(fileName: string): string;
  /** "Backup failed: the disk is full …", for a failed backup's outcome. */
  backupFailed(problem: BackupProblem, detail: string | null): string;
  /** "Storage: 1.2 MB used · persistent". */
  storageUsed(usage: StorageUsage): string;
  /** "Highlights: 12 · Notes: 5". */
  storageCounts(counts: LibraryCounts): string;
  /** The extension's name ("划重点" / "Lesson Highlighter"). */
  appName: string;
  /** The UI language (e.g. "zh-CN"), for dates and numbers. */
  locale: string;
};

const PROBLEM_KEYS: Record<SettingsProblem, string> = {
  'url-missing': 'optionsProblemUrlMissing',
  'url-invalid': 'optionsProblemUrlInvalid',
  'url-insecure': 'optionsProblemUrlInsecure',
  'url-credentials': 'optionsProblemUrlCredentials',
  'url-extra': 'optionsProblemUrlExtra',
  'database-missing': 'optionsProblemDatabaseMissing',
  'database-invalid': 'optionsProblemDatabaseInvalid',
  'username-invalid': 'optionsProblemUsernameInvalid',
};

const DATABASE_STATE_KEYS = { exists: 'optionsDatabaseExists', missing: 'optionsDatabaseMissing', created: 'optionsDatabaseCreated' } as const;

const PERSISTENCE_KEYS: Record<Persistence, string> = {
  persistent: 'optionsStoragePersistent',
  unlimited: 'optionsStorageUnlimited',
  'best-effort': 'optionsStorageBestEffort',
};

/** The browser's reasons for an interrupted download (`downloads.InterruptReason`) that a reader can act on. */
const DOWNLOAD_ERROR_KEYS: Readonly<Record<string, string>> = {
  FILE_NO_SPACE: 'optionsBackupDiskFull',
  FILE_TOO_LARGE: 'optionsBackupDiskFull',
  FILE_ACCESS_DENIED: 'optionsBackupAccessDenied',
  FILE_BLOCKED: 'optionsBackupAccessDenied',
  TIMEOUT: 'optionsBackupTookTooLong',
  GONE: 'optionsBackupFileGone',
};

/** Reads every options string once through `getMessage` (e.g. `browser.i18n.getMessage`). */
export function loadOptionsStrings(getMessage: GetMessage, locale: string): OptionsStrings {
  const read = (key: string, substitutions?: string[]) => getMessage(key, substitutions) || key;
  const plain: Record<string, string> = {};
  for (const key of OPTIONS_MESSAGE_KEYS) plain[key[7]!.toLowerCase() + key.slice(8)] = read(key);
  const number = (value: number) => value.toLocaleString(locale);
  // KB of 1,024 bytes, as browsers state the storage.sync quota ("100 KB").
  const kilobytes = (bytes: number) => (bytes / 1024).toLocaleString(locale, { maximumFractionDigits: 1 });
  return {
    ...(plain as { [K in OptionsMessageKey as Unprefixed<K>]: string }),
    problem: (problem) => read(PROBLEM_KEYS[problem]),
    space: (used, quota) => read('optionsSpace', [kilobytes(used), kilobytes(quota)]),
    carried: (carried, notCarried) => read('optionsCarried', [number(carried), number(notCarried)]),
    skipped: (count, when) => read(count === 1 ? 'optionsSkippedOne' : 'optionsSkipped', [when, number(count)]),
    connected: (server, user) => (user === null ? read('optionsConnectedAnonymous', [server]) : read('optionsConnected', [server, user])),
    databaseState: (name, state) => read(DATABASE_STATE_KEYS[state], [name]),
    permissionDenied: (host) => read('optionsPermissionDenied', [host]),
    number,
    backupUnchanged: (fileName) => read('optionsBackupUnchanged', [fileName]),
    backupFailed: (problem, detail) => read('optionsBackupFailed', [backupProblemWords(read, problem, detail)]),
    storageUsed: ({ usage, persistence }) => read('optionsStorageUsed', [formatBytes(usage, locale), read(PERSISTENCE_KEYS[persistence])]),
    storageCounts: ({ highlights, notes }) => read('optionsStorageCounts', [number(highlights), number(notes)]),
    appName: read('extName'),
    locale,
  };
}

/** Why a backup failed, in words; a download's error code is kept when it has no words of its own. */
function backupProblemWords(read: (key: string, substitutions?: string[]) => string, problem: BackupProblem, detail: string | null): string {
  switch (problem) {
    case 'no-permission':
      return read('optionsBackupNoPermission');
    case 'download-failed': {
      const key = detail === null ? undefined : DOWNLOAD_ERROR_KEYS[detail];
      return read('optionsBackupDownloadFailed', [key ? read(key) : (detail ?? '?')]);
    }
    case 'download-refused':
      return read('optionsBackupRefused', [detail ?? '?']);
    case 'export-failed':
      return read('optionsBackupExportFailed', [detail ?? '?']);
  }
}
