/**
 * The fault hook of the build with test hooks (issue #8): the next N
 * database writes fail inside Dexie as a full disk does, the handlers answer
 * in words, nothing is written, and writes work again once the count is used
 * up or cleared. Also: the words for other database failures.
 */
import { Dexie } from 'dexie';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createAnnotation } from '../../storage/annotations';
import { openDb, type LessonHighlighterDb } from '../../storage/db';
import { describeError, handleRequest } from '../../storage/handlers';
import { createWriteFaults, FAIL_WRITES_KEY, type FaultArea, type WriteFaults } from '../../storage/write-faults';
import { draft, dumpDb, LESSON, NOW } from '../fixtures/sync/sync-fixtures';

let area: Map<string, unknown>;
let faults: WriteFaults;
let db: LessonHighlighterDb;
let id: string;

const fakeArea: FaultArea = {
  get: async (key) => (area.has(key) ? { [key]: area.get(key) } : {}),
  set: async (items) => {
    for (const [key, value] of Object.entries(items)) area.set(key, value);
  },
};

beforeEach(async () => {
  area = new Map();
  id = (await createAnnotation((db = openDb(`faults-${crypto.randomUUID()}`)), draft(10, '超时不等于失败'), NOW)).id;
  db.close();
  // As the background does: the hook goes in before the database opens.
  faults = createWriteFaults(fakeArea);
  db = openDb(db.name).use(faults.middleware);
  await faults.loaded;
});

afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

const saveNote = (note: string) => handleRequest(db, { type: 'updateAnnotation', id, patch: { note } });

describe('the write fault hook', () => {
  test('the next N writes fail as a full disk, in words, and write nothing; then writes work', async () => {
    faults.onStoredCount(2);
    const before = await dumpDb(db);

    expect(await saveNote('第一次')).toEqual({ ok: false, error: expect.stringMatching(/^The browser's storage is full/) });
    expect(await handleRequest(db, { type: 'saveLessonNote', lesson: LESSON, note: '本讲' })).toEqual({
      ok: false,
      error: expect.stringMatching(/storage is full/),
    });
    expect(await dumpDb(db)).toBe(before);

    expect(await saveNote('第三次')).toMatchObject({ ok: true, value: { note: '第三次' } });
    // Each failure counted down the stored count, so a restarted worker would not fail again.
    expect(area.get(FAIL_WRITES_KEY)).toBe(0);
  });

  test('reads are never failed', async () => {
    faults.onStoredCount(5);

    expect(await handleRequest(db, { type: 'listLessonAnnotations', lessonId: LESSON.lessonId })).toMatchObject({ ok: true });
  });

  test('clearing the count (0, or removed) stops the failures at once', async () => {
    faults.onStoredCount(100);
    expect((await saveNote('失败')).ok).toBe(false);

    faults.onStoredCount(undefined);
    expect((await saveNote('成功')).ok).toBe(true);
  });

  test('a count stored before the worker started is honoured', async () => {
    area.set(FAIL_WRITES_KEY, 1);
    db.close();
    faults = createWriteFaults(fakeArea);
    db = openDb(db.name).use(faults.middleware);
    await faults.loaded;

    expect((await saveNote('失败')).ok).toBe(false);
    expect((await saveNote('成功')).ok).toBe(true);
  });

  test('its own countdown, echoed back by storage.onChanged, does not undo a later one', async () => {
    faults.onStoredCount(2);
    await saveNote('一');
    await saveNote('二');
    // The change events of the two countdown writes arrive late, in order.
    faults.onStoredCount(1);
    faults.onStoredCount(0);

    expect((await saveNote('三')).ok).toBe(true);
  });
});

describe('database failures in words', () => {
  test('a damaged database (Chrome’s UnknownError under Dexie’s OpenFailedError) is named as such', () => {
    const error = new Dexie.OpenFailedError('open failed', new DOMException('Internal error opening backing store', 'UnknownError'));

    expect(describeError(error)).toMatch(/could not be read or written \(it may be damaged, or the disk failed\)/);
  });

  test('the innermost known cause wins: a database closed because it is newer says so', () => {
    const error = new Dexie.DatabaseClosedError(new Dexie.VersionError('newer'));

    expect(describeError(error)).toMatch(/newer version of this extension/);
  });
});
