import { Dexie } from 'dexie';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { openDb, type LessonHighlighterDb } from '../../storage/db';
import { describeError, handleRequest } from '../../storage/handlers';
import type { Annotation } from '../../storage/model';
import type { Result } from '../../storage/protocol';
import { isTrustedSender } from '../../storage/sender';

const LESSON = '100001';

const lesson = {
  site: 'time.geekbang.org',
  lessonId: LESSON,
  url: `https://time.geekbang.org/column/article/${LESSON}`,
  lessonTitle: '01 | 复杂度分析',
  courseTitle: '数据结构与算法之美',
};

/** A create request as the content script sends it. */
function createRequest(start: number, exact: string, note?: string): unknown {
  const position = { type: 'TextPositionSelector', start, end: start + exact.length };
  const quote = { type: 'TextQuoteSelector', exact, prefix: '', suffix: '' };
  return { type: 'createAnnotation', draft: { lesson, target: { quote, position }, color: 'yellow', note } };
}

/** The value of a successful answer; fails the test with the error otherwise. */
function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got: ${result.error}`);
  return result.value;
}

/** Narrows an answer to one holding a single annotation. */
function annotationOf(result: Result<unknown>): Annotation {
  return valueOf(result) as Annotation;
}

let db: LessonHighlighterDb;

beforeEach(() => {
  db = openDb(`test-${crypto.randomUUID()}`);
});

afterEach(async () => {
  vi.restoreAllMocks();
  db.close();
  await Dexie.delete(db.name);
});

describe('handleRequest answers valid requests', () => {
  test('a highlight made on the page is listed when the lesson is opened again', async () => {
    const created = annotationOf(await handleRequest(db, createRequest(40, '空间复杂度', '对比时间')));
    annotationOf(await handleRequest(db, createRequest(5, '时间复杂度')));

    const listed = valueOf(await handleRequest(db, { type: 'listLessonAnnotations', lessonId: LESSON }));

    expect(listed).toHaveLength(2);
    expect((listed as Annotation[]).map((a) => a.target.quote.exact)).toEqual(['时间复杂度', '空间复杂度']);
    expect(created.note).toBe('对比时间');
  });

  test('changing the color and note is answered with the stored record', async () => {
    const created = annotationOf(await handleRequest(db, createRequest(5, '大 O')));

    const updated = annotationOf(
      await handleRequest(db, { type: 'updateAnnotation', id: created.id, patch: { color: 'blue', note: '渐进' } }),
    );

    expect(updated).toMatchObject({ id: created.id, color: 'blue', note: '渐进' });
    expect(await db.annotations.get(created.id)).toEqual(updated);
  });

  test('delete then undo brings the highlight back', async () => {
    const created = annotationOf(await handleRequest(db, createRequest(5, '最好情况')));

    const deleted = annotationOf(await handleRequest(db, { type: 'deleteAnnotation', id: created.id }));
    const afterDelete = valueOf(await handleRequest(db, { type: 'listLessonAnnotations', lessonId: LESSON }));
    const restored = annotationOf(await handleRequest(db, { type: 'restoreAnnotation', id: created.id }));
    const afterUndo = valueOf(await handleRequest(db, { type: 'listLessonAnnotations', lessonId: LESSON }));

    expect(deleted.deletedAt).not.toBeNull();
    expect(afterDelete).toEqual([]);
    expect(restored.deletedAt).toBeNull();
    expect(afterUndo).toEqual([restored]);
  });

  test('anchor results are answered with how many highlights changed', async () => {
    const created = annotationOf(await handleRequest(db, createRequest(5, '均摊')));

    const answer = await handleRequest(db, {
      type: 'reportAnchorResults',
      lessonId: LESSON,
      results: [{ id: created.id, status: 'orphan' }],
    });

    expect(answer).toEqual({ ok: true, value: { updated: 1 } });
    expect((await db.annotations.get(created.id))?.anchorStatus).toBe('orphan');
  });
});

describe('handleRequest refuses bad requests in words, without writing', () => {
  let existing: Annotation;

  beforeEach(async () => {
    existing = annotationOf(await handleRequest(db, createRequest(5, '已有的划线')));
  });

  const ID = '3f2b8c1e-4d5a-4e6f-8a7b-9c0d1e2f3a4b';
  const update = (id: string, patch: unknown) => ({ type: 'updateAnnotation', id, patch });
  const malformed: Array<[string, () => unknown]> = [
    ['null', () => null],
    ['undefined', () => undefined],
    ['a string', () => 'createAnnotation'],
    ['an array', () => [createRequest(5, 'x')]],
    ['a number', () => 7],
    ['an unknown type', () => ({ type: 'clearAll' })],
    ['a create without a draft', () => ({ type: 'createAnnotation' })],
    ['a create with an extra field', () => ({ ...(createRequest(5, 'x') as object), sneaky: 1 })],
    ['a create of an empty quote that ends where it starts', () => createRequest(5, '')],
    ['an update to a color outside the palette', () => update(existing.id, { color: 'red' })],
    ['an update with a note of 10,001 characters', () => update(existing.id, { note: 'x'.repeat(10_001) })],
    ['a delete of a non-UUID id', () => ({ type: 'deleteAnnotation', id: `${ID}'; DROP` })],
    ['a delete with a __proto__ key', () => JSON.parse(`{"type":"deleteAnnotation","id":"${ID}","__proto__":{}}`)],
    [
      'too many anchor results',
      () => ({
        type: 'reportAnchorResults',
        lessonId: LESSON,
        results: Array.from({ length: 100_001 }, () => ({ id: existing.id, status: 'orphan' })),
      }),
    ],
    ['an update of a highlight that does not exist', () => update(ID, { note: 'x' })],
    ['a delete of a highlight that does not exist', () => ({ type: 'deleteAnnotation', id: ID })],
    ['a restore of a highlight that does not exist', () => ({ type: 'restoreAnnotation', id: ID })],
  ];

  test.each(malformed)('%s', async (_, message) => {
    const before = await db.annotations.toArray();

    const answer = await handleRequest(db, message());

    expect(answer.ok).toBe(false);
    expect(answer).toEqual({ ok: false, error: expect.stringMatching(/\w+ \w+/) });
    expect(await db.annotations.count()).toBe(before.length);
    expect(await db.annotations.toArray()).toEqual(before);
  });

  test('a missing highlight is explained, not just failed', async () => {
    const answer = await handleRequest(db, { type: 'updateAnnotation', id: ID, patch: { note: 'x' } });

    expect(answer).toEqual({ ok: false, error: expect.stringMatching(/This highlight no longer exists/) });
  });

  test('editing a deleted highlight asks for undo first', async () => {
    await handleRequest(db, { type: 'deleteAnnotation', id: existing.id });

    const answer = await handleRequest(db, { type: 'updateAnnotation', id: existing.id, patch: { note: 'x' } });

    expect(answer).toEqual({ ok: false, error: expect.stringMatching(/deleted.*Undo the deletion/) });
  });
});

describe('handleRequest turns database failures into words', () => {
  test('a full disk is reported as full storage and nothing is saved', async () => {
    vi.spyOn(db.annotations, 'add').mockRejectedValue(new DOMException('Quota exceeded', 'QuotaExceededError'));

    const answer = await handleRequest(db, createRequest(5, '存不下'));

    expect(answer).toEqual({ ok: false, error: expect.stringMatching(/^The browser's storage is full/) });
    expect(await db.annotations.count()).toBe(0);
  });

  test("a full disk reported inside Dexie's AbortError is still recognised", () => {
    const wrapped = new Dexie.AbortError('Transaction aborted', new DOMException('Quota', 'QuotaExceededError'));

    expect(describeError(wrapped)).toMatch(/storage is full/);
  });

  test('a closed database answers in words instead of throwing', async () => {
    db.close();

    const answer = await handleRequest(db, { type: 'listLessonAnnotations', lessonId: LESSON });

    expect(answer).toEqual({ ok: false, error: expect.stringMatching(/database was closed/) });
  });

  test('an unexpected failure still answers with its name and message', async () => {
    vi.spyOn(db.annotations, 'ofLesson').mockImplementation(() => {
      throw new TypeError('boom');
    });

    const answer = await handleRequest(db, { type: 'listLessonAnnotations', lessonId: LESSON });

    expect(answer).toEqual({ ok: false, error: 'The highlight database failed: TypeError: boom' });
  });
});

describe('isTrustedSender', () => {
  const EXTENSION_ID = 'abcdefghijklmnopabcdefghijklmnop';
  const ORIGIN = `chrome-extension://${EXTENSION_ID}/`;
  const OTHER_ID = 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz';
  const LESSON_URL = 'https://time.geekbang.org/column/article/100001';
  const trusts = (sender: Parameters<typeof isTrustedSender>[0], origin = ORIGIN) =>
    isTrustedSender(sender, EXTENSION_ID, origin);

  test.each([
    ['the popup', { id: EXTENSION_ID, url: `${ORIGIN}popup.html` }],
    ['the library page in a tab', { id: EXTENSION_ID, url: `${ORIGIN}library.html#/notes`, tab: { id: 3 } }],
    ['the content script on a lesson', { id: EXTENSION_ID, url: LESSON_URL, tab: { id: 1 } }],
    ['the content script on http with a port', { id: EXTENSION_ID, url: 'http://time.geekbang.org:8080/a', tab: {} }],
  ])('trusts %s', (_, sender) => {
    expect(trusts(sender)).toBe(true);
  });

  test('trusts our Firefox pages, whose origin is moz-extension://<uuid>', () => {
    const origin = 'moz-extension://0b6d3c1e-1111-4222-8333-944455556666/';

    expect(trusts({ id: EXTENSION_ID, url: `${origin}popup.html` }, origin)).toBe(true);
    expect(trusts({ id: EXTENSION_ID, url: `${ORIGIN}popup.html` }, origin)).toBe(false);
  });

  test.each([
    ["another extension's content script on a lesson", { id: OTHER_ID, url: LESSON_URL, tab: {} }],
    ["another extension's page", { id: OTHER_ID, url: `chrome-extension://${OTHER_ID}/p.html` }],
    ['our id on another extension origin', { id: EXTENSION_ID, url: `chrome-extension://${OTHER_ID}/p.html` }],
    ['an origin that only starts like ours', { id: EXTENSION_ID, url: `chrome-extension://${EXTENSION_ID}evil/p.html` }],
    ['a sender without an id', { url: `${ORIGIN}popup.html` }],
    ['a sender without a url', { id: EXTENSION_ID, tab: {} }],
    ['a tab on another site', { id: EXTENSION_ID, url: 'https://evil.example/column/article/1', tab: {} }],
    ['a look-alike host', { id: EXTENSION_ID, url: 'https://time.geekbang.org.evil.example/', tab: {} }],
    ['a subdomain', { id: EXTENSION_ID, url: 'https://x.time.geekbang.org/', tab: {} }],
    ['the lesson site over another scheme', { id: EXTENSION_ID, url: 'ftp://time.geekbang.org/', tab: {} }],
    ['a lesson URL that does not come from a tab', { id: EXTENSION_ID, url: LESSON_URL }],
    ['an unparsable url', { id: EXTENSION_ID, url: 'not a url', tab: {} }],
  ])('ignores %s', (_, sender) => {
    expect(trusts(sender)).toBe(false);
  });

  test('ignores everyone when our own id is unknown', () => {
    expect(isTrustedSender({ url: `${ORIGIN}popup.html` }, '', ORIGIN)).toBe(false);
  });
});
