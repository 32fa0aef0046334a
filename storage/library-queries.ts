/**
 * Reads for the popup and the library (issue #4): everything at once, most
 * recently updated first, and the counts behind the toolbar badge.
 */
import { newestFirst } from './annotation-rows';
import type { LessonHighlighterDb } from './db';
import type { Annotation, LessonNote } from './model';

/**
 * Every live annotation, most recently updated first. With `limit`, only the
 * first `limit` of them, reading only the lessons needed: for a fast first paint.
 */
export async function listAnnotations(db: LessonHighlighterDb, limit?: number): Promise<Annotation[]> {
  const live = (record: Annotation) => record.deletedAt === null;
  if (limit !== undefined) return db.annotations.recent(limit, live);
  return (await db.annotations.toArray()).filter(live).sort(newestFirst);
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
export async function countLessonHighlights(db: LessonHighlighterDb, lessonId: string): Promise<number> {
  return (await db.annotations.ofLesson(lessonId)).filter((record) => record.deletedAt === null).length;
}
