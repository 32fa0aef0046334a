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
 * A new note version written on `replica` on top of every current version:
 * it supersedes all of them (restoring a conflict version is such an edit).
 */
export function editNote(notes: readonly NoteVersion[], text: string, stamp: Stamp, replica: string): NoteVersion[] {
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
