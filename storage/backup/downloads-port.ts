/**
 * The part of the `downloads` API backups use, as a port: the background
 * passes `browser.downloads`, tests a fake. Also the two steps built on it:
 * waiting for a download to end, and removing one of our backups.
 */
import { isBackupPath } from './backup-naming';
import type { BackupRecord } from './backup-retention';

/** A download as `downloads.search` reports it (the fields backups read). */
export interface DownloadItemLike {
  id: number;
  /** Absolute path of the file. */
  filename: string;
  state: 'in_progress' | 'interrupted' | 'complete';
  /** Why it was interrupted, e.g. `FILE_NO_SPACE`. */
  error?: string;
  /** Whether the file is still on disk, as far as the browser knows. */
  exists?: boolean;
  /** The extension that started the download. */
  byExtensionId?: string;
}

export interface DownloadsPort {
  download(options: { url: string; filename: string; conflictAction: 'uniquify'; saveAs: false }): Promise<number>;
  search(query: { id: number }): Promise<DownloadItemLike[]>;
  /** Deletes the downloaded file (the entry stays in the browser's list). */
  removeFile(id: number): Promise<void>;
  /** Removes the entry from the browser's list of downloads (the file stays). */
  erase(query: { id: number }): Promise<unknown>;
}

/** How long a backup may take to be written before it counts as failed. */
export const DOWNLOAD_PATIENCE_MS = 120_000;
const POLL_MS = 200;

/**
 * The download once it has ended (complete or interrupted), or as it was
 * when patience ran out. Polls rather than listening for `onChanged`, so a
 * change that happened before this started is not missed.
 */
export async function waitForDownload(
  downloads: DownloadsPort,
  id: number,
  sleep: (ms: number) => Promise<void>,
  patienceMs = DOWNLOAD_PATIENCE_MS,
): Promise<DownloadItemLike | null> {
  let item: DownloadItemLike | null = null;
  for (let waited = 0; ; waited += POLL_MS) {
    item = (await downloads.search({ id }))[0] ?? null;
    if (!item || item.state !== 'in_progress' || waited >= patienceMs) return item;
    await sleep(POLL_MS);
  }
}

/** What became of an old backup: removed, already gone, not ours (left alone), or still there after an error. */
export type RemovalResult = 'removed' | 'gone' | 'not-ours' | 'failed';

/**
 * Deletes an old backup's file and its entry in the browser's list, after
 * checking that the download is still a backup this extension wrote: its
 * path is in our folder with our name, and the browser says we started it.
 * Anything else is left untouched.
 */
export async function removeBackup(downloads: DownloadsPort, record: BackupRecord, extensionId: string): Promise<RemovalResult> {
  const item = (await downloads.search({ id: record.downloadId }))[0];
  // The reader cleared the browser's download list: the file can no longer be found by id.
  if (!item) return 'gone';
  if (!isBackupPath(item.filename) || (item.byExtensionId !== undefined && item.byExtensionId !== extensionId)) return 'not-ours';
  if (item.state === 'complete' && item.exists !== false) {
    try {
      await downloads.removeFile(record.downloadId);
    } catch {
      // Removing fails when the file went away meanwhile; only a file still there is a failure.
      const after = (await downloads.search({ id: record.downloadId }))[0];
      if (after?.exists !== false) return 'failed';
    }
  }
  await downloads.erase({ id: record.downloadId });
  return 'removed';
}
