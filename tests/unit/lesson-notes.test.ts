import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openDb, type LessonHighlighterDb } from '../../storage/db';
import { handleRequest } from '../../storage/handlers';
import { getLessonNote, saveLessonNote } from '../../storage/lesson-notes';
import type { LessonRef } from '../../storage/model';

const lesson: LessonRef = {
  site: 'time.geekbang.org',
  lessonId: '100001',
  url: 'https://time.geekbang.org/column/article/100001',
  lessonTitle: '01 | 超时之后',
  courseTitle: '分布式系统实战 45 讲',
};

let db: LessonHighlighterDb;
beforeEach(() => {
  db = openDb(`test-${crypto.randomUUID()}`);
});
afterEach(async () => {
  await db.delete();
});

describe('the lesson note', () => {
  test('is absent until the reader writes one', async () => {
    expect(await handleRequest(db, { type: 'getLessonNote', lessonId: '100001' })).toEqual({ ok: true, value: null });
  });

  test('is saved, read back, and replaced by a later save of the same lesson', async () => {
    const first = await saveLessonNote(db, lesson, '第一遍读完：重点看幂等。', 1000);
    await saveLessonNote(db, lesson, '第二遍：补上重试预算。', 1000);
    const read = await getLessonNote(db, '100001');

    expect(read?.note).toBe('第二遍：补上重试预算。');
    expect(read?.createdAt).toBe(first.createdAt);
    expect(read!.updatedAt).toBeGreaterThan(first.updatedAt);
    expect(await db.lessonNotes.count()).toBe(1);
  });

  test('refuses a note longer than 10,000 characters and keeps the saved one', async () => {
    await saveLessonNote(db, lesson, '保留这条');
    const refused = await handleRequest(db, { type: 'saveLessonNote', lesson, note: '长'.repeat(10_001) });

    expect(refused).toEqual({ ok: false, error: expect.stringMatching(/10000 characters/) });
    expect((await getLessonNote(db, '100001'))?.note).toBe('保留这条');
  });
});
