/**
 * The annotation repository: every read and write of highlights goes through
 * these functions, each taking the database so tests can pass a fresh one.
 * Callers get plain records back; failures a reader can cause (editing a
 * highlight that is gone) throw {@link StorageError} with a message in words.
 */
import type { LessonHighlighterDb } from './db';
import type { AnchorStatus, Annotation, AnnotationDraft, AnnotationPatch } from './model';

/** Why a repository call was refused. */
export type StorageErrorCode = 'not-found' | 'deleted';

/** A refusal the reader can understand; `message` is shown as is. */
export class StorageError extends Error {
  override readonly name = 'StorageError';

  constructor(
    readonly code: StorageErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** What the page learned when it tried to put one highlight back. */
export interface AnchorResult {
  id: string;
  status: Exclude<AnchorStatus, 'unknown'>;
}

/** The live (not deleted) annotations of a lesson, in reading order. */
export async function listLessonAnnotations(
  db: LessonHighlighterDb,
  lessonId: string,
): Promise<Annotation[]> {
  const records = await db.annotations
    .where('lesson.lessonId')
    .equals(lessonId)
    .filter((record) => record.deletedAt === null)
    .toArray();
  return records.sort(
    (a, b) => a.target.position.start - b.target.position.start || a.createdAt - b.createdAt,
  );
}

/** Stores a new highlight from the page's draft; answers the full record. */
export async function createAnnotation(
  db: LessonHighlighterDb,
  draft: AnnotationDraft,
  now: number = Date.now(),
): Promise<Annotation> {
  // Copy field by field so nothing the sender added beyond the model is stored.
  const record: Annotation = {
    id: crypto.randomUUID(),
    lesson: { ...draft.lesson },
    target: { quote: { ...draft.target.quote }, position: { ...draft.target.position } },
    color: draft.color,
    note: draft.note ?? '',
    tags: [],
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
    anchorStatus: 'anchored',
  };
  await db.transaction('rw', db.annotations, () => db.annotations.add(record));
  return record;
}

/** Changes color, note or tags of a live highlight; answers the stored record. */
export async function updateAnnotation(
  db: LessonHighlighterDb,
  id: string,
  patch: AnnotationPatch,
  now: number = Date.now(),
): Promise<Annotation> {
  return db.transaction('rw', db.annotations, async () => {
    const existing = await getLive(db, id);
    const updated: Annotation = { ...existing, updatedAt: nextUpdatedAt(existing, now) };
    // Only fields present in the patch change; `undefined` never erases a note.
    if (patch.color !== undefined) updated.color = patch.color;
    if (patch.note !== undefined) updated.note = patch.note;
    if (patch.tags !== undefined) updated.tags = [...patch.tags];
    await db.annotations.put(updated);
    return updated;
  });
}

/**
 * Deletes a highlight by setting its tombstone (`deletedAt`), so sync can see
 * the deletion and undo can bring it back. Answers the tombstoned record.
 * Deleting twice keeps the first tombstone, so a double click is harmless.
 */
export async function deleteAnnotation(
  db: LessonHighlighterDb,
  id: string,
  now: number = Date.now(),
): Promise<Annotation> {
  return db.transaction('rw', db.annotations, async () => {
    const existing = await getExisting(db, id);
    if (existing.deletedAt !== null) return existing;
    const updatedAt = nextUpdatedAt(existing, now);
    const deleted: Annotation = { ...existing, deletedAt: updatedAt, updatedAt };
    await db.annotations.put(deleted);
    return deleted;
  });
}

/** Undoes a deletion; answers the restored record. Restoring a live one changes nothing. */
export async function restoreAnnotation(
  db: LessonHighlighterDb,
  id: string,
  now: number = Date.now(),
): Promise<Annotation> {
  return db.transaction('rw', db.annotations, async () => {
    const existing = await getExisting(db, id);
    if (existing.deletedAt === null) return existing;
    const restored: Annotation = {
      ...existing,
      deletedAt: null,
      updatedAt: nextUpdatedAt(existing, now),
    };
    await db.annotations.put(restored);
    return restored;
  });
}

/**
 * Records which highlights of a lesson could (not) be put back on the page.
 * Only records of that lesson whose status changed are written; ids of other
 * lessons or unknown ids are ignored. `updatedAt` is left alone because this
 * is not a reader's edit, and orphans are kept: the lesson text may come back.
 */
export async function recordAnchorResults(
  db: LessonHighlighterDb,
  lessonId: string,
  results: readonly AnchorResult[],
): Promise<{ updated: number }> {
  return db.transaction('rw', db.annotations, async () => {
    const records = await db.annotations.where('lesson.lessonId').equals(lessonId).toArray();
    const byId = new Map(records.map((record) => [record.id, record]));
    // Keyed by id so a repeated id is written once, with its last status.
    const changed = new Map<string, Annotation>();
    for (const { id, status } of results) {
      const record = byId.get(id);
      if (record && record.anchorStatus !== status) {
        changed.set(id, { ...record, anchorStatus: status });
      } else {
        changed.delete(id);
      }
    }
    await db.annotations.bulkPut([...changed.values()]);
    return { updated: changed.size };
  });
}

/** The record with `id`, deleted or not, or a {@link StorageError} in words. */
async function getExisting(db: LessonHighlighterDb, id: string): Promise<Annotation> {
  const record = await db.annotations.get(id);
  if (!record) {
    throw new StorageError(
      'not-found',
      `This highlight no longer exists (id ${id}). Reload the lesson to see the current highlights.`,
    );
  }
  return record;
}

/** The live record with `id`; a deleted one is refused so edits never revive it silently. */
async function getLive(db: LessonHighlighterDb, id: string): Promise<Annotation> {
  const record = await getExisting(db, id);
  if (record.deletedAt !== null) {
    throw new StorageError(
      'deleted',
      `This highlight was deleted (id ${id}). Undo the deletion before editing it.`,
    );
  }
  return record;
}

/**
 * A strictly increasing `updatedAt`, even if the clock stepped back or two
 * edits land in the same millisecond, so "last edit wins" stays well defined.
 */
function nextUpdatedAt(record: Annotation, now: number): number {
  return Math.max(now, record.updatedAt + 1);
}

/** The live annotation `id`, or a {@link StorageError} in words when it is gone or deleted. */
export function getLiveAnnotation(db: LessonHighlighterDb, id: string): Promise<Annotation> {
  return getLive(db, id);
}
