/**
 * What the background remembers about backups (issue #8), in `storage.local`
 * under `backup:state`: the backups it made (for retention), the fingerprint
 * of the last one (to skip a backup when nothing changed), and the last
 * outcome, which the options page shows. Written after every step, since
 * the MV3 worker may be stopped at any moment.
 */
import { z } from 'zod';
import type { BackupRecord } from './backup-retention';

/** Why a backup failed; the options page puts each in words. */
export type BackupProblem =
  /** The `downloads` permission is not granted (withdrawn, or never given). */
  | 'no-permission'
  /** The browser started the download but did not finish it (`detail`: its reason, e.g. FILE_NO_SPACE). */
  | 'download-failed'
  /** The browser refused to start the download (`detail`: its message). */
  | 'download-refused'
  /** The highlights could not be read from the database (`detail`: the reason in words). */
  | 'export-failed';

/** The last backup attempt, as the options page shows it. */
export type BackupOutcome =
  | { type: 'saved'; at: number; fileName: string }
  /** Nothing changed since the backup `fileName`, so no file was written. */
  | { type: 'unchanged'; at: number; fileName: string }
  | { type: 'failed'; at: number; problem: BackupProblem; detail: string | null };

export interface BackupState {
  /** Backups this extension wrote, by download id. Only these are ever removed. */
  backups: BackupRecord[];
  /** SHA-256 of the last backup's annotations, or null before the first. */
  fingerprint: string | null;
  /** When the last backup was written or found unchanged (failures do not count). */
  lastBackupAt: number | null;
  /** The last backup actually written: when, and the file's name. */
  lastSaved: { at: number; fileName: string } | null;
  lastOutcome: BackupOutcome | null;
}

export const EMPTY_BACKUP_STATE: BackupState = { backups: [], fingerprint: null, lastBackupAt: null, lastSaved: null, lastOutcome: null };

const time = z.number().nonnegative();
const recordSchema = z.object({ downloadId: z.number().int().nonnegative(), fileName: z.string().max(4096), createdAt: time });
const outcomeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('saved'), at: time, fileName: z.string().max(4096) }),
  z.object({ type: z.literal('unchanged'), at: time, fileName: z.string().max(4096) }),
  z.object({
    type: z.literal('failed'),
    at: time,
    problem: z.enum(['no-permission', 'download-failed', 'download-refused', 'export-failed']),
    detail: z.string().max(2000).nullable(),
  }),
]);
const stateSchema = z.object({
  backups: z.array(recordSchema).max(10_000),
  fingerprint: z.string().max(128).nullable(),
  lastBackupAt: time.nullable(),
  lastSaved: z.object({ at: time, fileName: z.string().max(4096) }).nullable(),
  lastOutcome: outcomeSchema.nullable(),
});

/** The stored state, or an empty one when there is none or it does not fit. */
export function parseBackupState(value: unknown): BackupState {
  const parsed = stateSchema.safeParse(value);
  return parsed.success ? parsed.data : { ...EMPTY_BACKUP_STATE, backups: [] };
}
