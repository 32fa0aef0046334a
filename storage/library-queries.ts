/**
 * Reads for the popup and the library (issue #4): everything at once, most
 * recently updated first, and the counts behind the toolbar badge.
 */
import type { LessonHighlighterDb } from './db';
import type { Annotation, LessonNote } from './model';

/**
 * Every live annotation, most recently updated first. With `limit`, only the
 * first `limit` of them: a cursor that stops early, for a fast first paint.
 */
export async function listAnnotations(db: LessonHighlighterDb, limit?: number): Promise<Annotation[]> {
  if (limit !== undefined) {
    return db.annotations
      .orderBy('updatedAt')
      .reverse()
      .filter((record) => record.deletedAt === null)
      .limit(limit)
      .toArray();
  }
  // Everything: one bulk read in index order is several times faster than a
  // filtered cursor over 10,000 records; tombstones are dropped afterwards.
  const records = await db.annotations.orderBy('updatedAt').toArray();
  return records.filter((record) => record.deletedAt === null).reverse();
}

/**
 * Every lesson note with some text, or with conflict versions to choose
 * from (the shown one may be a cleared note), most recently updated first.
 */
export async function listLessonNotes(db: LessonHighlighterDb): Promise<LessonNote[]> {
  const notes = await db.lessonNotes.orderBy('updatedAt').toArray();
  return notes.filter((note) => note.note.trim() !== '' || (note.sync?.notes.length ?? 0) > 1).reverse();
}

/** How many live highlights a lesson has (the number on the toolbar badge). */
export function countLessonHighlights(db: LessonHighlighterDb, lessonId: string): Promise<number> {
  return db.annotations
    .where('lesson.lessonId')
    .equals(lessonId)
    .filter((record) => record.deletedAt === null)
    .count();
}
