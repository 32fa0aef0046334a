import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  createAnnotation,
  deleteAnnotation,
  listLessonAnnotations,
  recordAnchorResults,
  restoreAnnotation,
  StorageError,
  updateAnnotation,
} from '../../storage/annotations';
import { openDb, type LessonHighlighterDb } from '../../storage/db';
import type { Annotation, AnnotationDraft, HighlightColor } from '../../storage/model';

const LESSON = '100001';
const OTHER_LESSON = '100002';

/** A draft as the content script would send it, highlighting [start, start + exact.length). */
function draft(start: number, exact: string, lessonId = LESSON, color: HighlightColor = 'yellow'): AnnotationDraft {
  return {
    lesson: {
      site: 'time.geekbang.org',
      lessonId,
      url: `https://time.geekbang.org/column/article/${lessonId}`,
      lessonTitle: '01 | 开篇词',
      courseTitle: '数据结构与算法之美',
    },
    target: {
      quote: { type: 'TextQuoteSelector', exact, prefix: '', suffix: '' },
      position: { type: 'TextPositionSelector', start, end: start + exact.length },
    },
    color,
  };
}

/** What the pages show of a record: all but its sync metadata (tested in sync-local.test.ts). */
function shown(record: Annotation & { syncSeq?: number }): Omit<Annotation, 'sync'> {
  const { sync: _sync, syncSeq: _syncSeq, ...rest } = record;
  return rest;
}

let db: LessonHighlighterDb;

beforeEach(() => {
  db = openDb(`test-${crypto.randomUUID()}`);
});

afterEach(async () => {
  await db.delete();
});

describe('creating and listing', () => {
  test('a new highlight gets an id, an empty note, no tags and counts as anchored', async () => {
    const created = await createAnnotation(db, draft(10, '时间复杂度'), 1_000);

    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created).toMatchObject({ note: '', tags: [], anchorStatus: 'anchored', deletedAt: null });
    expect(created).toMatchObject({ createdAt: 1_000, updatedAt: 1_000 });
    expect(await db.annotations.get(created.id)).toEqual(created);
  });

  test('a note written with the highlight is kept', async () => {
    const created = await createAnnotation(db, { ...draft(0, '数组'), note: '面试常考' });

    expect(created.note).toBe('面试常考');
  });

  test('each highlight gets its own id', async () => {
    const first = await createAnnotation(db, draft(0, '链表'));
    const second = await createAnnotation(db, draft(0, '链表'));

    expect(first.id).not.toBe(second.id);
  });

  test("a lesson's highlights are listed in reading order, not in the order they were made", async () => {
    await createAnnotation(db, draft(300, '第三段'), 1);
    const laterAtSameSpot = await createAnnotation(db, draft(10, '第一段'), 3);
    const earlierAtSameSpot = await createAnnotation(db, draft(10, '第一'), 2);
    await createAnnotation(db, draft(120, '第二段'), 4);

    const listed = await listLessonAnnotations(db, LESSON);

    expect(listed.map((a) => a.target.quote.exact)).toEqual(['第一', '第一段', '第二段', '第三段']);
    expect(listed[0]?.id).toBe(earlierAtSameSpot.id);
    expect(listed[1]?.id).toBe(laterAtSameSpot.id);
  });

  test('highlights of another lesson are not listed', async () => {
    await createAnnotation(db, draft(0, '本课'));
    await createAnnotation(db, draft(0, '别的课', OTHER_LESSON));

    const listed = await listLessonAnnotations(db, LESSON);

    expect(listed.map((a) => a.target.quote.exact)).toEqual(['本课']);
  });

  test('a lesson without highlights lists nothing', async () => {
    expect(await listLessonAnnotations(db, LESSON)).toEqual([]);
  });
});

describe('editing', () => {
  test('changing color and note keeps the quote and position and moves updatedAt forward', async () => {
    const created = await createAnnotation(db, draft(10, '递归'), 1_000);

    const updated = await updateAnnotation(db, created.id, { color: 'pink', note: '终止条件!' }, 2_000);

    expect(shown(updated)).toEqual({ ...shown(created), color: 'pink', note: '终止条件!', updatedAt: 2_000 });
    expect(await listLessonAnnotations(db, LESSON)).toEqual([updated]);
  });

  test('changing only the color leaves the note as it was', async () => {
    const created = await createAnnotation(db, { ...draft(10, '递归'), note: '保留我' });

    const updated = await updateAnnotation(db, created.id, { color: 'green' });

    expect(updated.note).toBe('保留我');
    expect(updated.color).toBe('green');
  });

  test('tags can be set', async () => {
    const created = await createAnnotation(db, draft(10, '堆'));

    const updated = await updateAnnotation(db, created.id, { tags: ['复习', '重点'] });

    expect((await db.annotations.get(created.id))?.tags).toEqual(['复习', '重点']);
    expect(updated.tags).toEqual(['复习', '重点']);
  });

  test('updatedAt keeps increasing even when the clock steps back or two edits share a millisecond', async () => {
    const created = await createAnnotation(db, draft(10, '排序'), 5_000);

    const sameMillisecond = await updateAnnotation(db, created.id, { note: 'a' }, 5_000);
    const clockSteppedBack = await updateAnnotation(db, created.id, { note: 'b' }, 1_000);
    const deleted = await deleteAnnotation(db, created.id, 1_000);
    const restored = await restoreAnnotation(db, created.id, 1_000);

    const stamps = [created, sameMillisecond, clockSteppedBack, deleted, restored].map((a) => a.updatedAt);
    expect(stamps).toEqual([5_000, 5_001, 5_002, 5_003, 5_004]);
  });

  test('editing a highlight that does not exist is refused in words', async () => {
    const missing = crypto.randomUUID();

    const refusal = updateAnnotation(db, missing, { note: 'x' });

    await expect(refusal).rejects.toBeInstanceOf(StorageError);
    await expect(refusal).rejects.toThrow(/no longer exists/);
    expect(await db.annotations.count()).toBe(0);
  });

  test('editing a deleted highlight is refused and does not bring it back', async () => {
    const created = await createAnnotation(db, draft(10, '栈'));
    await deleteAnnotation(db, created.id);

    await expect(updateAnnotation(db, created.id, { note: 'x' })).rejects.toThrow(/was deleted/);
    expect(await listLessonAnnotations(db, LESSON)).toEqual([]);
    expect((await db.annotations.get(created.id))?.note).toBe('');
  });
});

describe('deleting and restoring', () => {
  test('a deleted highlight leaves the lesson but stays in the table as a tombstone', async () => {
    const created = await createAnnotation(db, draft(10, '队列'), 1_000);

    const deleted = await deleteAnnotation(db, created.id, 2_000);

    expect(shown(deleted)).toEqual({ ...shown(created), deletedAt: 2_000, updatedAt: 2_000 });
    expect(await listLessonAnnotations(db, LESSON)).toEqual([]);
    expect(await db.annotations.get(created.id)).toEqual(deleted);
  });

  test('deleting twice keeps the first deletion time', async () => {
    const created = await createAnnotation(db, draft(10, '队列'), 1_000);
    const first = await deleteAnnotation(db, created.id, 2_000);

    const second = await deleteAnnotation(db, created.id, 3_000);

    expect(second).toEqual(first);
  });

  test('restoring brings a deleted highlight back with its color and note', async () => {
    const created = await createAnnotation(db, { ...draft(10, '哈希表', LESSON, 'blue'), note: '冲突' }, 1_000);
    await deleteAnnotation(db, created.id, 2_000);

    const restored = await restoreAnnotation(db, created.id, 3_000);

    expect(shown(restored)).toEqual({ ...shown(created), updatedAt: 3_000 });
    expect(await listLessonAnnotations(db, LESSON)).toEqual([restored]);
  });

  test('restoring a highlight that was never deleted changes nothing', async () => {
    const created = await createAnnotation(db, draft(10, '树'));

    expect(await restoreAnnotation(db, created.id)).toEqual(created);
  });

  test('deleting or restoring a highlight that does not exist is refused in words', async () => {
    const missing = crypto.randomUUID();

    await expect(deleteAnnotation(db, missing)).rejects.toThrow(/no longer exists/);
    await expect(restoreAnnotation(db, missing)).rejects.toThrow(/no longer exists/);
  });
});

describe('anchor results', () => {
  test('a highlight that could not be placed becomes an orphan and is kept, without counting as an edit', async () => {
    const lost = await createAnnotation(db, draft(10, '被删掉的段落'), 1_000);
    const found = await createAnnotation(db, draft(50, '还在的段落'), 1_000);

    const outcome = await recordAnchorResults(db, LESSON, [
      { id: lost.id, status: 'orphan' },
      { id: found.id, status: 'anchored' },
    ]);

    expect(outcome).toEqual({ updated: 1 });
    const listed = await listLessonAnnotations(db, LESSON);
    expect(listed.map((a) => [a.id, a.anchorStatus])).toEqual([
      [lost.id, 'orphan'],
      [found.id, 'anchored'],
    ]);
    expect(listed.map((a) => a.updatedAt)).toEqual([1_000, 1_000]);
  });

  test('an orphan that is found again is anchored again', async () => {
    const created = await createAnnotation(db, draft(10, '回来了'));
    await recordAnchorResults(db, LESSON, [{ id: created.id, status: 'orphan' }]);

    await recordAnchorResults(db, LESSON, [{ id: created.id, status: 'anchored' }]);

    expect((await db.annotations.get(created.id))?.anchorStatus).toBe('anchored');
  });

  test('results for another lesson or unknown ids change nothing', async () => {
    const elsewhere = await createAnnotation(db, draft(10, '别的课', OTHER_LESSON));

    const outcome = await recordAnchorResults(db, LESSON, [
      { id: elsewhere.id, status: 'orphan' },
      { id: crypto.randomUUID(), status: 'orphan' },
    ]);

    expect(outcome).toEqual({ updated: 0 });
    expect(await db.annotations.get(elsewhere.id)).toEqual(elsewhere);
    expect(await db.annotations.count()).toBe(1);
  });

  test('the last result for a repeated id wins', async () => {
    const created = await createAnnotation(db, draft(10, '重复'));

    const outcome = await recordAnchorResults(db, LESSON, [
      { id: created.id, status: 'orphan' },
      { id: created.id, status: 'anchored' },
    ]);

    expect(outcome).toEqual({ updated: 0 });
    expect((await db.annotations.get(created.id))?.anchorStatus).toBe('anchored');
  });
});
