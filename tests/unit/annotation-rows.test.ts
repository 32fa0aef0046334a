/**
 * Annotations stored one row per lesson (storage/annotation-rows.ts): the
 * repository must behave exactly like a table of records keyed by id — the
 * model here — whatever sequence of writes it is given, and keep every row
 * whole (ids, newest sequence number and edit time agreeing with its records).
 */
import { Dexie } from 'dexie';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { newestFirst, rowsOf, type LessonRow } from '../../storage/annotation-rows';
import { openDb, type LessonHighlighterDb, type StoredAnnotation } from '../../storage/db';
import { LESSON_SITE } from '../../storage/model';

let db: LessonHighlighterDb;

beforeEach(() => {
  db = openDb(`rows-${crypto.randomUUID()}`);
});

afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

const LESSONS = ['100001', '100002', '100003', '100004'];

function record(id: number, lessonId: string, updatedAt: number, syncSeq: number, extra: Partial<StoredAnnotation> = {}): StoredAnnotation {
  return {
    id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
    lesson: { site: LESSON_SITE, lessonId, url: `https://time.geekbang.org/column/article/${lessonId}`, lessonTitle: `第 ${lessonId} 讲`, courseTitle: '课程' },
    target: { quote: { type: 'TextQuoteSelector', exact: `原文${id}`, prefix: '', suffix: '' }, position: { type: 'TextPositionSelector', start: id, end: id + 3 } },
    color: 'yellow',
    note: '',
    tags: [],
    createdAt: 1,
    updatedAt,
    deletedAt: null,
    anchorStatus: 'anchored',
    syncSeq,
    ...extra,
  };
}

/** Every stored row is whole: the facts its indexes are built from agree with its records. */
async function expectRowsWhole(): Promise<void> {
  const rows: LessonRow[] = await db.lessonRows.toArray();
  const seen = new Set<string>();
  for (const row of rows) {
    expect(row.records.length).toBeGreaterThan(0);
    expect(row.ids).toEqual(row.records.map((entry) => entry.id));
    expect(row.records.every((entry) => entry.lesson.lessonId === row.lessonId)).toBe(true);
    expect(row.syncSeq).toBe(Math.max(...row.records.map((entry) => entry.syncSeq ?? 0)));
    expect(row.updatedAt).toBe(Math.max(...row.records.map((entry) => entry.updatedAt)));
    for (const id of row.ids) {
      expect(seen.has(id)).toBe(false);
      seen.add(id);
    }
  }
}

describe('annotations stored one row per lesson', () => {
  test('a record is found by id and by lesson, and replacing it keeps one copy', async () => {
    const first = record(1, LESSONS[0]!, 10, 1);
    await db.annotations.put(first);
    await db.annotations.put({ ...first, note: '改过', updatedAt: 20, syncSeq: 2 });

    expect(await db.annotations.get(first.id)).toEqual({ ...first, note: '改过', updatedAt: 20, syncSeq: 2 });
    expect(await db.annotations.ofLesson(LESSONS[0]!)).toHaveLength(1);
    expect(await db.annotations.get('00000000-0000-4000-8000-999999999999')).toBeUndefined();
    expect(await db.annotations.ofLesson('no-such-lesson')).toEqual([]);
    await expectRowsWhole();
  });

  test('add refuses an id that is already stored, and changes nothing', async () => {
    const first = record(1, LESSONS[0]!, 10, 1);
    await db.annotations.add(first);

    await expect(db.annotations.add({ ...first, note: '重复' })).rejects.toThrow(/already stored/);
    expect(await db.annotations.toArray()).toEqual([first]);
  });

  test('a record whose lesson changes moves rows, and an emptied row is removed', async () => {
    const moved = record(1, LESSONS[0]!, 10, 1);
    await db.annotations.put(moved);
    await db.annotations.put({ ...moved, lesson: { ...moved.lesson, lessonId: LESSONS[1]! }, syncSeq: 2 });

    expect(await db.lessonRows.toCollection().primaryKeys()).toEqual([LESSONS[1]]);
    expect((await db.annotations.get(moved.id))?.lesson.lessonId).toBe(LESSONS[1]);
    await expectRowsWhole();
  });

  test('update changes the named fields of one record; an unknown id updates nothing', async () => {
    const first = record(1, LESSONS[0]!, 10, 1);
    await db.annotations.bulkPut([first, record(2, LESSONS[0]!, 11, 2)]);

    expect(await db.annotations.update(first.id, { deletedAt: 50 })).toBe(1);
    expect(await db.annotations.update('00000000-0000-4000-8000-999999999999', { deletedAt: 50 })).toBe(0);
    expect((await db.annotations.get(first.id))?.deletedAt).toBe(50);
    expect((await db.annotations.toArray()).filter((entry) => entry.deletedAt !== null)).toHaveLength(1);
  });

  test('edit reads and writes in one pass, and answers what its callback answers', async () => {
    const first = record(1, LESSONS[0]!, 10, 1);
    await db.annotations.bulkPut([first, record(2, LESSONS[1]!, 11, 2)]);

    const answer = await db.annotations.edit([first.id, record(3, '', 0, 0).id], [LESSONS[0]!], (loaded) => {
      const stored = loaded.get(first.id)!;
      loaded.put({ ...stored, note: '合并后', syncSeq: 3 });
      loaded.put(record(3, LESSONS[2]!, 12, 4));
      return loaded.get(record(2, '', 0, 0).id) === undefined ? 'only what was asked for' : 'more';
    });

    expect(answer).toBe('only what was asked for');
    expect((await db.annotations.get(first.id))?.note).toBe('合并后');
    expect(await db.annotations.ofLesson(LESSONS[2]!)).toHaveLength(1);
    await expectRowsWhole();
  });

  test('a record without a lesson id or with a broken edit time is kept, in a row that stays indexable', () => {
    const broken = { ...record(1, LESSONS[0]!, 10, 1), lesson: undefined, updatedAt: Number.NaN } as unknown as StoredAnnotation;
    const rows = rowsOf([broken, record(2, LESSONS[0]!, 11, 2)]);

    expect(rows.map((row) => [row.lessonId, row.ids.length, row.updatedAt, row.syncSeq])).toEqual([
      ['', 1, 0, 1],
      [LESSONS[0], 1, 11, 2],
    ]);
  });

  test('large batches (hundreds of lessons and ids) take the bulk paths and keep the same results', async () => {
    const lesson = (n: number) => String(200_000 + n);
    const model = new Map<string, StoredAnnotation>();
    let sequence = 0;
    const put = async (records: StoredAnnotation[]) => {
      await db.annotations.bulkPut(records);
      for (const entry of records) model.set(entry.id, entry);
      expect(await db.annotations.toArray()).toEqual([...model.values()].sort((a, b) => a.id.localeCompare(b.id)));
      await expectRowsWhole();
    };
    // 600 records on 300 new lessons: none of the claimed rows exists yet.
    await put(Array.from({ length: 600 }, (_, i) => record(i, lesson(i % 300), 10 + i, ++sequence)));
    // Every one of them again: all claimed rows exist (read in one request).
    await put([...model.values()].map((entry) => ({ ...entry, note: '又改了', syncSeq: ++sequence })));
    // 100 of those lessons and 250 new ones: a few rows exist.
    await put(Array.from({ length: 350 }, (_, i) => record(1_000 + i, lesson(i < 100 ? i : 300 + i), 900 + i, ++sequence)));
    // 300 new ids on new lessons, and one stored record now claimed by a new lesson: found through the id index.
    const moved = { ...model.get(record(7, '', 0, 0).id)!, lesson: { ...model.get(record(7, '', 0, 0).id)!.lesson, lessonId: lesson(999) }, syncSeq: ++sequence };
    await put([...Array.from({ length: 300 }, (_, i) => record(2_000 + i, lesson(700 + (i % 150)), 2_000 + i, ++sequence)), moved]);
    expect((await db.annotations.get(moved.id))?.lesson.lessonId).toBe(lesson(999));
    expect((await db.annotations.ofLesson(lesson(7))).map((entry) => entry.id)).not.toContain(moved.id);
  });

  test('behaves like a table keyed by id under any sequence of writes', async () => {
    const operation = fc.oneof(
      fc.record({ type: fc.constant('put' as const), id: fc.integer({ min: 1, max: 12 }), lesson: fc.integer({ min: 0, max: 3 }), updatedAt: fc.integer({ min: 1, max: 50 }) }),
      fc.record({ type: fc.constant('delete' as const), ids: fc.array(fc.integer({ min: 1, max: 14 }), { maxLength: 4 }) }),
      fc.record({ type: fc.constant('update' as const), id: fc.integer({ min: 1, max: 14 }), updatedAt: fc.integer({ min: 1, max: 50 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(operation, { minLength: 1, maxLength: 5 }), { maxLength: 12 }), fc.integer({ min: 1, max: 8 }), async (batches, limit) => {
        await db.lessonRows.clear();
        const model = new Map<string, StoredAnnotation>();
        let sequence = 0;
        for (const batch of batches) {
          const puts: StoredAnnotation[] = [];
          for (const op of batch) {
            if (op.type === 'put') puts.push(record(op.id, LESSONS[op.lesson]!, op.updatedAt, ++sequence, { note: `第${sequence}次` }));
          }
          await db.annotations.bulkPut(puts);
          for (const entry of puts) model.set(entry.id, entry);
          for (const op of batch) {
            if (op.type === 'delete') {
              const ids = op.ids.map((id) => record(id, '', 0, 0).id);
              await db.annotations.bulkDelete(ids);
              ids.forEach((id) => model.delete(id));
            } else if (op.type === 'update') {
              const id = record(op.id, '', 0, 0).id;
              const changes = { updatedAt: op.updatedAt, syncSeq: ++sequence };
              expect(await db.annotations.update(id, changes)).toBe(model.has(id) ? 1 : 0);
              if (model.has(id)) model.set(id, { ...model.get(id)!, ...changes });
            }
          }
        }
        const all = [...model.values()];
        expect(await db.annotations.toArray()).toEqual([...all].sort((a, b) => a.id.localeCompare(b.id)));
        expect(await db.annotations.count()).toBe(all.length);
        for (const lessonId of LESSONS) {
          const ofLesson = await db.annotations.ofLesson(lessonId);
          expect(ofLesson.map((entry) => entry.id).sort()).toEqual(all.filter((entry) => entry.lesson.lessonId === lessonId).map((entry) => entry.id).sort());
        }
        const since = Math.floor(sequence / 2);
        expect(await db.annotations.changedSince(since)).toEqual(all.filter((entry) => entry.syncSeq! > since).sort((a, b) => a.syncSeq! - b.syncSeq!));
        const kept = (entry: StoredAnnotation) => entry.updatedAt % 3 !== 0;
        expect(await db.annotations.recent(limit, kept)).toEqual(all.filter(kept).sort(newestFirst).slice(0, limit));
        const ids = [...model.keys(), record(13, '', 0, 0).id];
        const seen = await db.annotations.edit(ids, [LESSONS[0]!], (loaded) => ids.filter((id) => loaded.get(id)?.id === id));
        expect(seen.sort()).toEqual([...model.keys()].sort());
        await expectRowsWhole();
      }),
      { numRuns: 200 },
    );
  });
});
