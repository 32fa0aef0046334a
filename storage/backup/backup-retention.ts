/**
 * Which backups to remove after a successful one (issue #8): only backups
 * this extension made (their download ids are recorded in `backup:state`),
 * the newest `keep` of them stay.
 */

/** One backup we wrote: its download id, the path the browser gave it, when. */
export interface BackupRecord {
  downloadId: number;
  /** Full path as the browser reported it (after making the name unique), or the requested name until then. */
  fileName: string;
  createdAt: number;
}

/**
 * The records beyond the newest `keep`, oldest last. Ties on time are
 * broken by download id (the browser numbers downloads in order).
 */
export function backupsToRemove(records: readonly BackupRecord[], keep: number): BackupRecord[] {
  const newestFirst = [...records].sort((a, b) => b.createdAt - a.createdAt || b.downloadId - a.downloadId);
  return newestFirst.slice(Math.max(0, keep));
}
