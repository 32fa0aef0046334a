/**
 * The state of each way of syncing, as the options page and the popup show
 * it. Each transport keeps its own entry in `browser.storage.local` under
 * `syncStatus:<way>`, written after every attempt (the MV3 worker may stop at
 * any moment, so nothing here lives only in memory).
 */

export type SyncWay = 'browser' | 'server' | 'file';

export interface SyncStatus {
  way: SyncWay;
  enabled: boolean;
  /** Milliseconds since the epoch of the last complete, successful sync. */
  lastSuccessAt: number | null;
  /** Local changes not yet carried by this way. */
  pendingChanges: number;
  /** The last failure, in words a reader can act on; null after a success. */
  lastError: string | null;
  /** Browser sync only: bytes used of the browser's quota, and how many annotations fit. */
  bytesUsed?: number;
  bytesQuota?: number;
  carried?: number;
  notCarried?: number;
  /**
   * Server only: the last sync that met documents it could not read (made by
   * another program, or damaged) and skipped them — when, how many, and the
   * first few by id with what was wrong. Kept after later syncs with the
   * same server and database: the checkpoint moves past those documents, so
   * no later sync would name them again.
   */
  skipped?: SkippedDocuments;
}

export interface SkippedDocuments {
  at: number;
  count: number;
  problems: string[];
  /** The server and database they are on (server-settings.ts `serverTarget`): another one clears the notice. */
  target: string;
}

/** The `browser.storage.local` key of a way's status. */
export function syncStatusKey(way: SyncWay): string {
  return `syncStatus:${way}`;
}
