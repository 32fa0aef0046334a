/**
 * Reading and writing the `syncStatus:<way>` records (sync-status.ts) in
 * `storage.local`. The options page reads every way's record, including the
 * ones other transports write, so reading checks the shape and drops what
 * does not fit rather than trusting it.
 */
import { z } from 'zod';
import type { KeyValuePort } from './couch-kv';
import { syncStatusKey, type SyncStatus, type SyncWay } from './sync-status';

const count = z.number().nonnegative();
const statusSchema = z.object({
  enabled: z.boolean(),
  lastSuccessAt: z.number().nullable(),
  pendingChanges: count,
  lastError: z.string().nullable(),
  bytesUsed: count.optional(),
  bytesQuota: count.optional(),
  carried: count.optional(),
  notCarried: count.optional(),
  skipped: z.object({ at: z.number(), count, problems: z.array(z.string().max(500)).max(20), target: z.string() }).optional(),
});

/** A stored status value as a {@link SyncStatus} of `way`, or null when it is absent or malformed. */
export function parseSyncStatus(value: unknown, way: SyncWay): SyncStatus | null {
  const parsed = statusSchema.safeParse(value);
  return parsed.success ? { way, ...parsed.data } : null;
}

/** A way's status; null before that way ever ran. */
export async function readSyncStatus(kv: KeyValuePort, way: SyncWay): Promise<SyncStatus | null> {
  return parseSyncStatus(await kv.get(syncStatusKey(way)), way);
}

/** Writes a way's status (after every attempt: the worker may stop at any moment). */
export async function writeSyncStatus(kv: KeyValuePort, status: SyncStatus): Promise<void> {
  await kv.set(syncStatusKey(status.way), status);
}
