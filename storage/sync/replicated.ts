/**
 * Converts between the stored annotation (what the pages show) and the
 * replicated form that replicas exchange and merge (storage/sync/merge.ts).
 *
 * Pure and free of Dexie and zod, so the export (which runs in the library
 * page) can use it. Records written before sync have no merge metadata;
 * their stamps are synthesized from `updatedAt` and the field's value, so
 * the same record converts to the same stamps on every profile and in every
 * file, and a differing value gets a differing stamp (merging stays
 * deterministic).
 */
import type { Annotation, AnnotationTarget, LessonRef, NoteVersion, SyncMeta } from '../model';
import { formatStamp, parseStamp, type Stamp } from './hlc';
import { currentNote, type ReplicatedAnnotation } from './merge';

/** An annotation in replicated form; stamps are synthesized when it has none. */
export function toReplicated(annotation: Annotation): ReplicatedAnnotation {
  const sync = syncMetaOf(annotation);
  return {
    id: annotation.id,
    lesson: copyLesson(annotation.lesson),
    target: copyTarget(annotation.target),
    createdAt: annotation.createdAt,
    color: { value: annotation.color, stamp: sync.color },
    tags: { value: [...annotation.tags], stamp: sync.tags },
    deleted: { value: annotation.deletedAt, stamp: sync.deleted },
    notes: sync.notes.map(copyVersion),
  };
}

/**
 * The stored record of a replicated state: the shown note is the current
 * version's text, `updatedAt` the latest stamp's wall time. Local-only
 * fields (whether the highlight could be put back on the page) come from
 * `previous`, the local record before the merge, if there was one.
 */
export function fromReplicated(replicated: ReplicatedAnnotation, previous?: Annotation): Annotation {
  return {
    id: replicated.id,
    lesson: copyLesson(replicated.lesson),
    target: copyTarget(replicated.target),
    color: replicated.color.value,
    note: currentNote(replicated.notes),
    tags: [...replicated.tags.value],
    createdAt: replicated.createdAt,
    updatedAt: latestWall(replicated),
    deletedAt: replicated.deleted.value,
    anchorStatus: previous?.anchorStatus ?? 'unknown',
    sync: {
      color: replicated.color.stamp,
      tags: replicated.tags.stamp,
      deleted: replicated.deleted.stamp,
      notes: replicated.notes.map(copyVersion),
    },
  };
}

/** The record's merge metadata, or metadata synthesized from `updatedAt` for a record written before sync. */
export function syncMetaOf(annotation: Annotation): SyncMeta {
  if (annotation.sync) return annotation.sync;
  const at = annotation.updatedAt;
  return {
    color: synthesizedStamp(at, annotation.color),
    tags: synthesizedStamp(at, annotation.tags),
    deleted: synthesizedStamp(at, annotation.deletedAt),
    // Seen by no edit: any later edit of the note supersedes it.
    notes: [{ text: annotation.note, stamp: synthesizedStamp(at, annotation.note), seen: {} }],
  };
}

/**
 * A stamp for a value set at `wall` by an unknown replica. Its replica part
 * is a hash of the value (8 characters, never a real 12-character replica id).
 */
export function synthesizedStamp(wall: number, value: unknown): Stamp {
  return formatStamp(Math.max(0, Math.trunc(wall)), 0, fnv1a(JSON.stringify(value) ?? 'undefined'));
}

/** The wall time of the latest stamp in the state: when it last changed. */
export function latestWall(replicated: ReplicatedAnnotation): number {
  let latest = 0;
  for (const stamp of stampsOf(replicated)) latest = Math.max(latest, parseStamp(stamp)?.wall ?? 0);
  return latest;
}

/** Every stamp the state carries (to move the clock past them). */
export function stampsOf(replicated: ReplicatedAnnotation): Stamp[] {
  return [replicated.color.stamp, replicated.tags.stamp, replicated.deleted.stamp, ...replicated.notes.map((v) => v.stamp)];
}

// Copied field by field so stored records and exports always have the same
// shape and key order, whatever the sender added or however it ordered keys.
function copyLesson(lesson: LessonRef): LessonRef {
  const { site, lessonId, url, lessonTitle, courseTitle } = lesson;
  return { site, lessonId, url, lessonTitle, courseTitle };
}

function copyTarget({ quote, position }: AnnotationTarget): AnnotationTarget {
  return {
    quote: { type: 'TextQuoteSelector', exact: quote.exact, prefix: quote.prefix, suffix: quote.suffix },
    position: { type: 'TextPositionSelector', start: position.start, end: position.end },
  };
}

function copyVersion(version: NoteVersion): NoteVersion {
  return { text: version.text, stamp: version.stamp, seen: { ...version.seen } };
}

/** 32-bit FNV-1a of the UTF-16 code units, as 8 hex digits. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
