/**
 * Collecting old tombstones (issue #5). A deleted highlight stays in the
 * database as a tombstone so every profile learns of the deletion; after a
 * long grace period it is removed for good. Only age decides: a record
 * missing from another profile, a server or a file is never a deletion.
 */
import type { LessonHighlighterDb } from '../db';

/** How long a deletion is kept so that profiles that were away still hear of it. */
export const TOMBSTONE_GRACE_MS = 90 * 24 * 60 * 60 * 1000;

/**
 * Removes the highlights deleted more than 90 days before `now`; answers how
 * many. Called by the background on an alarm. A profile that was away longer
 * than the grace period may bring such a highlight back on its next sync.
 */
export async function collectTombstones(db: LessonHighlighterDb, now: number = Date.now()): Promise<{ removed: number }> {
  const cutoff = now - TOMBSTONE_GRACE_MS;
  return db.transaction('rw', db.lessonRows, async () => {
    // `deletedAt` is not indexed (IndexedDB cannot index null): one scan.
    const expired = (await db.annotations.toArray())
      .filter((record) => record.deletedAt !== null && record.deletedAt < cutoff)
      .map((record) => record.id);
    await db.annotations.bulkDelete(expired);
    return { removed: expired.length };
  });
}
