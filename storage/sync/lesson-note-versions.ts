/**
 * Converts between the stored lesson note and its replicated form
 * (storage/sync/merge.ts, `ReplicatedLessonNote`), whose text is a
 * multi-value register like a highlight's note (issue #5).
 *
 * Pure and free of Dexie and zod: the export (in the library page) uses it.
 */
import type { LessonNote, NoteVersion } from '../model';
import { parseStamp } from './hlc';
import { currentNote, type ReplicatedLessonNote } from './merge';
import { synthesizedStamp } from './replicated';

/**
 * The note's versions, the shown one first. A note saved before lesson
 * notes kept versions gets one synthesized from its text and `updatedAt`,
 * the same on every profile and in every file. Its vector names a lane of
 * its own, derived from that stamp: an edit made on top of it carries the
 * lane on and supersedes it, but an unrelated edit of the same lesson's note
 * on another profile does not (both texts are kept).
 */
export function lessonNoteVersions(note: LessonNote): NoteVersion[] {
  if (note.sync) return note.sync.notes;
  const stamp = synthesizedStamp(note.updatedAt, note.note);
  const { wall, replica } = parseStamp(stamp)!;
  return [{ text: note.note, stamp, seen: { [`n${replica}${wall.toString(36)}`]: 1 } }];
}

/** The conflict versions of a lesson note (none for a note without versions). */
export function lessonNoteConflicts(note: LessonNote | null): NoteVersion[] {
  return note?.sync?.notes.slice(1) ?? [];
}

/** A stored lesson note in replicated form. */
export function toReplicatedLessonNote(note: LessonNote): ReplicatedLessonNote {
  return {
    lessonId: note.lessonId,
    lesson: { ...note.lesson },
    createdAt: note.createdAt,
    notes: lessonNoteVersions(note).map(copyVersion),
  };
}

/** The stored record of a replicated lesson note: the shown text is the latest version's, `updatedAt` its latest stamp's time. */
export function fromReplicatedLessonNote(replicated: ReplicatedLessonNote): LessonNote {
  const { lessonId, url, lessonTitle, courseTitle, site } = replicated.lesson;
  const walls = replicated.notes.map((version) => parseStamp(version.stamp)?.wall ?? 0);
  return {
    lessonId: replicated.lessonId,
    lesson: { site, lessonId, url, lessonTitle, courseTitle },
    note: currentNote(replicated.notes),
    createdAt: replicated.createdAt,
    updatedAt: Math.max(replicated.createdAt, ...walls),
    sync: { notes: replicated.notes.map(copyVersion) },
  };
}

function copyVersion(version: NoteVersion): NoteVersion {
  return { text: version.text, stamp: version.stamp, seen: { ...version.seen } };
}
