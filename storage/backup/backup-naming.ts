/**
 * Where backups go and what they are called (issue #8):
 * `<Downloads>/lesson-highlighter-backups/lesson-highlighter-YYYY-MM-DD-HHmm.json`,
 * in the reader's local time, so the folder sorts by date.
 */

/** The folder inside the browser's download directory. */
export const BACKUP_FOLDER = 'lesson-highlighter-backups';

/** The path given to `downloads.download` (relative to the download directory). */
export function backupFileName(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${BACKUP_FOLDER}/lesson-highlighter-${day}-${pad(date.getHours())}${pad(date.getMinutes())}.json`;
}

/**
 * `lesson-highlighter-2026-03-01-0930.json`, or with the ` (1)` the browser
 * adds when it makes a name unique, directly inside our folder.
 */
const OUR_FILE = new RegExp(`[\\\\/]${BACKUP_FOLDER}[\\\\/]lesson-highlighter-\\d{4}-\\d{2}-\\d{2}-\\d{4}( \\(\\d+\\))?\\.json$`);

/**
 * Whether a downloaded file's full path is one of our backups. Checked
 * before a file is removed, so that nothing but a backup we named is ever
 * deleted, even if a download id were to point elsewhere.
 */
export function isBackupPath(path: string): boolean {
  return OUR_FILE.test(path);
}

/** The file's name without its folders, as the status shows it. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
