/**
 * The annotation repository: every read and write of highlights goes through
 * these functions, each taking the database so tests can pass a fresh one.
 * Callers get plain records back; failures a reader can cause (editing a
 * highlight that is gone) throw {@link StorageError} with a message in words.
 *
 * Every reader's change is stamped for sync (issue #5) in its own
 * transaction: the changed fields get a hybrid-logical-clock stamp, a note
 * edit becomes a new note version, and the record gets the next local
 * sequence number so transports see it in `changesSince`.
 */
import type { LessonHighlighterDb, StoredAnnotation } from './db';
import type { AnchorStatus, Annotation, AnnotationDraft, AnnotationPatch } from './model';
import { parseStamp, type Stamp } from './sync/hlc';
import { chooseNoteVersion, editNote, type ReplicatedAnnotation } from './sync/merge';
import { loadReplicaState, newReplicaId, nextSequence, saveReplicaState, stampLocalChange } from './sync/replica';
import { fromReplicated, syncMetaOf, toReplicated } from './sync/replicated';

/**
 * Why a repository call was refused: the record is gone or deleted, the note
 * version to restore is gone, or synced or imported data is malformed.
 */
export type StorageErrorCode = 'not-found' | 'deleted' | 'no-such-version' | 'invalid-data';

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
  const records = (await db.annotations.ofLesson(lessonId)).filter((record) => record.deletedAt === null);
  return records.sort(
    (a, b) => a.target.position.start - b.target.position.start || a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** Stores a new highlight from the page's draft, stamped for sync; answers the full record. */
export async function createAnnotation(
  db: LessonHighlighterDb,
  draft: AnnotationDraft,
  now: number = Date.now(),
): Promise<Annotation> {
  return db.transaction('rw', db.lessonRows, db.meta, async () => {
    const state = await loadReplicaState(db);
    const stamp = stampLocalChange(state, now);
    const note = draft.note ?? '';
    // Copy field by field so nothing the sender added beyond the model is stored.
    const record: StoredAnnotation = {
      id: crypto.randomUUID(),
      lesson: { ...draft.lesson },
      target: { quote: { ...draft.target.quote }, position: { ...draft.target.position } },
      color: draft.color,
      note,
      tags: [],
      createdAt: now,
      updatedAt: wallOf(stamp),
      deletedAt: null,
      anchorStatus: 'anchored',
      sync: { color: stamp, tags: stamp, deleted: stamp, notes: editNote([], note, stamp, state.replicaId) },
      syncSeq: nextSequence(state),
    };
    await db.annotations.add(record);
    await saveReplicaState(db, state);
    return record;
  });
}

/**
 * Changes color, note or tags of a live highlight; answers the stored record.
 * Only fields whose value really changes are stamped, so saving a note
 * unchanged keeps its conflict versions; nothing changed writes nothing.
 */
export async function updateAnnotation(
  db: LessonHighlighterDb,
  id: string,
  patch: AnnotationPatch,
  now: number = Date.now(),
): Promise<Annotation> {
  return db.transaction('rw', db.lessonRows, db.meta, async () => {
    const existing = await getLive(db, id);
    // `undefined` never erases a note: only fields present in the patch change.
    const color = patch.color !== undefined && patch.color !== existing.color ? patch.color : undefined;
    const note = patch.note !== undefined && patch.note !== existing.note ? patch.note : undefined;
    const tags = patch.tags !== undefined && !sameTags(patch.tags, existing.tags) ? [...patch.tags] : undefined;
    if (color === undefined && note === undefined && tags === undefined) return existing;
    return writeLocalChange(db, existing, now, (current, stamp, replicaId) => ({
      ...current,
      color: color === undefined ? current.color : { value: color, stamp },
      tags: tags === undefined ? current.tags : { value: tags, stamp },
      // A new version of the shown note; conflict versions stay (editNote with a lane).
      notes: note === undefined ? current.notes : editNote(current.notes, note, stamp, replicaId, newReplicaId),
    }));
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
  return db.transaction('rw', db.lessonRows, db.meta, async () => {
    const existing = await getExisting(db, id);
    if (existing.deletedAt !== null) return existing;
    return writeLocalChange(db, existing, now, (current, stamp) => ({
      ...current,
      deleted: { value: wallOf(stamp), stamp },
    }));
  });
}

/** Undoes a deletion; answers the restored record. Restoring a live one changes nothing. */
export async function restoreAnnotation(
  db: LessonHighlighterDb,
  id: string,
  now: number = Date.now(),
): Promise<Annotation> {
  return db.transaction('rw', db.lessonRows, db.meta, async () => {
    const existing = await getExisting(db, id);
    if (existing.deletedAt === null) return existing;
    return writeLocalChange(db, existing, now, (current, stamp) => ({ ...current, deleted: { value: null, stamp } }));
  });
}

/**
 * Makes the conflict version with `stamp` the note again. The note it
 * replaces is kept as a conflict version in turn (issue #5: no text is
 * lost, and the reader can swap back); every profile sees the same once it
 * syncs. Restoring the shown version instead keeps it and dismisses the
 * others: a new edit written on top of every version. Answers the stored record.
 */
export async function restoreNoteVersion(
  db: LessonHighlighterDb,
  id: string,
  stamp: Stamp,
  now: number = Date.now(),
): Promise<Annotation> {
  return db.transaction('rw', db.lessonRows, db.meta, async () => {
    const existing = await getLive(db, id);
    const versions = syncMetaOf(existing).notes;
    const version = versions.find((candidate) => candidate.stamp === stamp);
    if (!version) {
      throw new StorageError(
        'no-such-version',
        'This version of the note is no longer there: it was replaced or restored, perhaps on another device. Reload to see the current note.',
      );
    }
    if (versions.length === 1) return existing;
    if (version === versions[0]) {
      return writeLocalChange(db, existing, now, (current, edit, replicaId) => ({
        ...current,
        notes: editNote(current.notes, version.text, edit, replicaId),
      }));
    }
    return writeLocalChange(db, existing, now, (current, edit, _replicaId, later) => ({
      ...current,
      notes: chooseNoteVersion(current.notes, stamp, { stamp: later, lane: newReplicaId }),
    }));
  });
}

/**
 * A change of one record, given its replicated state, the change's stamp,
 * this replica's id, and a source of further stamps: the first call answers
 * `stamp`, each later one a later stamp (for a change that writes several versions).
 */
type LocalEdit = (current: ReplicatedAnnotation, stamp: Stamp, replicaId: string, later: () => Stamp) => ReplicatedAnnotation;

/**
 * Stamps and writes a reader's change of `record`; call inside a read-write
 * transaction over annotations and meta. The stamp's time is also the new
 * `updatedAt`: strictly increasing, even if the clock stepped back or two
 * edits land in the same millisecond, so "last edit wins" stays well defined.
 */
async function writeLocalChange(
  db: LessonHighlighterDb,
  record: StoredAnnotation,
  now: number,
  edit: LocalEdit,
): Promise<Annotation> {
  const state = await loadReplicaState(db);
  const stamp = stampLocalChange(state, Math.max(now, record.updatedAt + 1));
  let issued = 0;
  const later = () => (issued++ === 0 ? stamp : stampLocalChange(state, now));
  const changed = edit(toReplicated(record), stamp, state.replicaId, later);
  const stored: StoredAnnotation = { ...fromReplicated(changed, record), syncSeq: nextSequence(state) };
  await db.annotations.put(stored);
  await saveReplicaState(db, state);
  return stored;
}

function wallOf(stamp: Stamp): number {
  return parseStamp(stamp)?.wall ?? 0;
}

function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((tag, i) => tag === b[i]);
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
  return db.transaction('rw', db.lessonRows, async () => {
    const records = await db.annotations.ofLesson(lessonId);
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

/** The live annotation `id`, or a {@link StorageError} in words when it is gone or deleted. */
export function getLiveAnnotation(db: LessonHighlighterDb, id: string): Promise<Annotation> {
  return getLive(db, id);
}
