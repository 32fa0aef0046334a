/** The page-level note of each lesson: read and save. */
import type { LessonHighlighterDb } from './db';
import type { LessonNote, LessonRef } from './model';

/** The lesson's note, or null when the reader never wrote one. */
export async function getLessonNote(db: LessonHighlighterDb, lessonId: string): Promise<LessonNote | null> {
  return (await db.lessonNotes.get(lessonId)) ?? null;
}

/** Saves the lesson's note (an empty text clears it); answers the stored record. */
export async function saveLessonNote(
  db: LessonHighlighterDb,
  lesson: LessonRef,
  note: string,
  now: number = Date.now(),
): Promise<LessonNote> {
  return db.transaction('rw', db.lessonNotes, async () => {
    const existing = await db.lessonNotes.get(lesson.lessonId);
    const record: LessonNote = {
      lessonId: lesson.lessonId,
      lesson: { ...lesson },
      note,
      createdAt: existing?.createdAt ?? now,
      // Strictly increasing, like annotations, so "last edit wins" is well defined.
      updatedAt: Math.max(now, (existing?.updatedAt ?? 0) + 1),
    };
    await db.lessonNotes.put(record);
    return record;
  });
}
