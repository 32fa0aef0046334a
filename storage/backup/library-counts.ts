/**
 * How many highlights and notes the library holds (issue #8), for the
 * options page's storage line: counted in the database, not listed, so a
 * library of 10,000 highlights costs one pass over the table.
 */
import type { LessonHighlighterDb } from '../db';

export interface LibraryCounts {
  /** Live (not deleted) highlights. */
  highlights: number;
  /** Notes: highlights with a note, plus lessons with a page-level note. */
  notes: number;
}

/** Counts live highlights and notes (tombstones and empty notes are not counted). */
export async function countLibrary(db: LessonHighlighterDb): Promise<LibraryCounts> {
  let highlights = 0;
  let notes = 0;
  for (const record of await db.annotations.toArray()) {
    if (record.deletedAt !== null) continue;
    highlights++;
    if (record.note.trim() !== '') notes++;
  }
  const lessonNotes = await db.lessonNotes.filter((note) => note.note.trim() !== '').count();
  return { highlights, notes: notes + lessonNotes };
}
