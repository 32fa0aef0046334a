/**
 * The one merge every way of syncing uses (browser sync, a CouchDB server,
 * an import file). It is a state-based CRDT: merging is deterministic,
 * commutative, associative and idempotent, so replicas that have seen the
 * same changes hold the same data, in whatever order the changes arrived.
 *
 * - color, tags and the deletion tombstone are last-writer-wins registers,
 *   ordered by hybrid logical clock stamps: a deletion wins over older edits,
 *   an undo (a newer "not deleted") wins over the deletion;
 * - the note is a multi-value register: each version carries a version
 *   vector, versions that another version has seen are dropped, and
 *   concurrent versions are all kept. The one with the latest stamp is shown
 *   as the note, the others as conflict versions the reader can restore, so
 *   no note text is ever silently dropped;
 * - the target and lesson never change after creation.
 * Absence of a record is never a deletion: merge only ever adds information.
 */
import type { AnnotationTarget, HighlightColor, LessonRef, NoteVersion, Stamp } from '../model';

export type { NoteVersion };

/** A last-writer-wins register. */
export interface Register<T> {
  value: T;
  stamp: Stamp;
}

/** Counts of note edits seen, per replica. */
export type VersionVector = Record<string, number>;

/** An annotation as replicas exchange and merge it. */
export interface ReplicatedAnnotation {
  id: string;
  lesson: LessonRef;
  target: AnnotationTarget;
  createdAt: number;
  color: Register<HighlightColor>;
  tags: Register<string[]>;
  /** `deletedAt` in milliseconds, or null when live. */
  deleted: Register<number | null>;
  /** Concurrent note versions; never empty. Sorted by stamp, latest first. */
  notes: NoteVersion[];
}

/** Merges two states of the same annotation. */
export function mergeAnnotation(a: ReplicatedAnnotation, b: ReplicatedAnnotation): ReplicatedAnnotation {
  // Immutable parts are equal on every honest replica; should they differ,
  // pick by content so the choice does not depend on the merge order.
  const base = immutableKey(a) <= immutableKey(b) ? a : b;
  return {
    id: a.id,
    lesson: base.lesson,
    target: base.target,
    createdAt: Math.min(a.createdAt, b.createdAt),
    color: laterRegister(a.color, b.color),
    tags: laterRegister(a.tags, b.tags),
    deleted: laterRegister(a.deleted, b.deleted),
    notes: mergeNotes(a.notes, b.notes),
  };
}

function immutableKey(record: ReplicatedAnnotation): string {
  return JSON.stringify([record.lesson, record.target]);
}

function laterRegister<T>(a: Register<T>, b: Register<T>): Register<T> {
  return a.stamp >= b.stamp ? a : b;
}

/** Union of both sides' versions, without those another version has seen. */
export function mergeNotes(a: readonly NoteVersion[], b: readonly NoteVersion[]): NoteVersion[] {
  const byStamp = new Map<Stamp, NoteVersion>();
  for (const version of [...a, ...b]) byStamp.set(version.stamp, version);
  const all = [...byStamp.values()];
  const heads = all.filter((version) => !all.some((other) => other !== version && dominates(other.seen, version.seen)));
  return heads.sort((x, y) => (x.stamp < y.stamp ? 1 : -1));
}

/** True when `a` has seen everything `b` has (and is not the same). */
function dominates(a: VersionVector, b: VersionVector): boolean {
  let larger = false;
  for (const replica of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const left = a[replica] ?? 0;
    const right = b[replica] ?? 0;
    if (left < right) return false;
    if (left > right) larger = true;
  }
  return larger;
}

/**
 * A new note version written on `replica`.
 *
 * Without `lane` it is written on top of every current version and
 * supersedes all of them: a first note, or the reader dismissing the other
 * versions (restoring the shown one).
 *
 * With `lane` — a reader editing the shown note — it supersedes only the
 * shown version: conflict versions the reader has not dealt with stay beside
 * it (issue #5: no note text is ever silently dropped, and an editor hides
 * them while it is open). Its vector is the shown version's plus one event
 * on a fresh lane, so it has seen nothing the conflict versions hold. When
 * there are no conflict versions it is the plain edit (no lane is spent).
 */
export function editNote(notes: readonly NoteVersion[], text: string, stamp: Stamp, replica: string, lane?: () => string): NoteVersion[] {
  const [shown, ...others] = notes;
  if (lane && shown && others.length > 0) return mergeNotes([{ text, stamp, seen: { ...shown.seen, [lane()]: 1 } }], others);
  const seen: VersionVector = {};
  for (const version of notes) {
    for (const [id, count] of Object.entries(version.seen)) seen[id] = Math.max(seen[id] ?? 0, count);
  }
  seen[replica] = (seen[replica] ?? 0) + 1;
  return [{ text, stamp, seen }];
}

/** The note shown to the reader: the latest concurrent version. */
export function currentNote(notes: readonly NoteVersion[]): string {
  return notes[0]?.text ?? '';
}

/** Concurrent versions other than the shown one, for the reader to restore. */
export function conflictVersions(notes: readonly NoteVersion[]): NoteVersion[] {
  return notes.slice(1);
}

/** Where the new versions of {@link chooseNoteVersion} come from. */
export interface VersionSource {
  /** A stamp of this replica's clock, later than every stamp issued before. */
  stamp(): Stamp;
  /** An id no replica has ever used, for one event in a version vector. */
  lane(): string;
}

/**
 * Makes the conflict version with `stamp` the shown note while keeping every
 * other version, the replaced one included, as a conflict version (issue #5:
 * the reader can swap back, and no text is lost).
 *
 * The chosen text becomes a new version that has seen the chosen one and
 * nothing else: its vector is the chosen one's plus one event on a fresh
 * lane. It supersedes the chosen version on every replica, and no other,
 * since the versions are concurrent. A version whose vector it would still
 * cover (only possible when two versions have equal vectors, e.g. two notes
 * written before sync) is written again on a lane of its own, so it stays.
 * The chosen version's stamp is issued last, so it is shown.
 */
export function chooseNoteVersion(notes: readonly NoteVersion[], stamp: Stamp, source: VersionSource): NoteVersion[] {
  const chosen = notes.find((version) => version.stamp === stamp);
  if (!chosen) throw new RangeError(`no note version ${stamp}`);
  const seen: VersionVector = { ...chosen.seen, [source.lane()]: 1 };
  const kept = notes
    .filter((version) => version !== chosen)
    .map((version) =>
      dominates(seen, version.seen)
        ? { text: version.text, stamp: source.stamp(), seen: { ...version.seen, [source.lane()]: 1 } }
        : version,
    );
  return mergeNotes([{ text: chosen.text, stamp: source.stamp(), seen }], kept);
}

// ---- Lesson notes -----------------------------------------------------------

/**
 * A lesson's page-level note as profiles (through files) merge it: the same
 * multi-value register as a highlight's note, so a concurrent edit keeps
 * both texts. One per lesson, keyed by the lesson id.
 */
export interface ReplicatedLessonNote {
  lessonId: string;
  lesson: LessonRef;
  createdAt: number;
  /** Concurrent versions; never empty. Sorted by stamp, latest first. */
  notes: NoteVersion[];
}

/** Merges two states of the same lesson's note (deterministic, commutative, associative, idempotent). */
export function mergeLessonNote(a: ReplicatedLessonNote, b: ReplicatedLessonNote): ReplicatedLessonNote {
  // Titles differ only when one side could not read them (an import from a
  // bare URL): the larger form keeps known titles over empty ones, whatever the order.
  const lesson = JSON.stringify(a.lesson) >= JSON.stringify(b.lesson) ? a.lesson : b.lesson;
  return {
    lessonId: a.lessonId,
    lesson,
    createdAt: Math.min(a.createdAt, b.createdAt),
    notes: mergeNotes(a.notes, b.notes),
  };
}
