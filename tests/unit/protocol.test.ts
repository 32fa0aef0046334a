import { describe, expect, test } from 'vitest';
import { MAX_NOTE_LENGTH, parseRequest, type Request } from '../../storage/protocol';

const ID = '3f2b8c1e-4d5a-4e6f-8a7b-9c0d1e2f3a4b';

const lesson = {
  site: 'time.geekbang.org',
  lessonId: '100001',
  url: 'https://time.geekbang.org/column/article/100001',
  lessonTitle: '01 | 复杂度分析',
  courseTitle: '数据结构与算法之美',
} as const;

const target = {
  quote: { type: 'TextQuoteSelector', exact: '时间复杂度', prefix: '什么是', suffix: '?' },
  position: { type: 'TextPositionSelector', start: 10, end: 15 },
} as const;

/** One valid request of every type, as the content script, popup or library sends it. */
const VALID: Request[] = [
  { type: 'listLessonAnnotations', lessonId: '100001' },
  { type: 'createAnnotation', draft: { lesson, target, color: 'yellow' } },
  { type: 'createAnnotation', draft: { lesson, target, color: 'purple', note: '重点' } },
  { type: 'updateAnnotation', id: ID, patch: { color: 'green', note: '', tags: ['复习'] } },
  { type: 'deleteAnnotation', id: ID },
  { type: 'restoreAnnotation', id: ID },
  { type: 'reportAnchorResults', lessonId: '100001', results: [{ id: ID, status: 'orphan' }] },
  { type: 'reportAnchorResults', lessonId: '100001', results: [] },
];

/** A create request whose draft has `changes` merged in. */
function createWith(changes: Record<string, unknown>): unknown {
  return { type: 'createAnnotation', draft: { lesson, target, color: 'yellow', ...changes } };
}

/** A create request highlighting [start, end). */
function createAt(start: number, end: number): unknown {
  return createWith({ target: { ...target, position: { type: 'TextPositionSelector', start, end } } });
}

/** An update request of one annotation. */
function updateWith(patch: unknown): unknown {
  return { type: 'updateAnnotation', id: ID, patch };
}

/** A `reportAnchorResults` request with `count` copies of `result`. */
function anchorResults(count: number, result: unknown = { id: ID, status: 'orphan' }): unknown {
  return { type: 'reportAnchorResults', lessonId: '100001', results: Array.from({ length: count }, () => result) };
}

/** [what is wrong, the message, words the error must contain] */
const PROTO_DELETE = `{"type":"deleteAnnotation","id":"${ID}","__proto__":{"polluted":true}}`;
const PROTO_PATCH = `{"type":"updateAnnotation","id":"${ID}","patch":{"note":"a","__proto__":{"color":"red"}}}`;
const manyTags = Array.from({ length: 51 }, (_, i) => `tag${i}`);

const MALFORMED: Array<[string, unknown, RegExp]> = [
  ['an unknown type', { type: 'dropDatabase' }, /type: Invalid discriminator value/],
  ['no type at all', { lessonId: '100001' }, /type/],
  ['a missing id', { type: 'deleteAnnotation' }, /id: .*expected string/],
  ['a missing draft', { type: 'createAnnotation' }, /draft/],
  ['a draft without a target', createWith({ target: undefined }), /draft\.target/],
  ['an extra top-level field', { type: 'deleteAnnotation', id: ID, force: true }, /Unrecognized key: "force"/],
  ['an extra field deep in the draft', createWith({ lesson: { ...lesson, admin: true } }), /draft\.lesson: Unrecognized key/],
  ['a color outside the palette', updateWith({ color: 'red' }), /patch\.color: Invalid option/],
  ['an id that is not a UUID', { type: 'deleteAnnotation', id: '1' }, /id: Invalid UUID/],
  ['a lesson id that is not digits', { type: 'listLessonAnnotations', lessonId: '../1' }, /lesson id must be digits/],
  ['another site', createWith({ lesson: { ...lesson, site: 'evil.example' } }), /draft\.lesson\.site/],
  [
    `a note of ${MAX_NOTE_LENGTH + 1} characters`,
    updateWith({ note: 'x'.repeat(MAX_NOTE_LENGTH + 1) }),
    /patch\.note: note is longer than 10000 characters/,
  ],
  ['an empty patch', updateWith({}), /patch changes nothing/],
  ['a negative start offset', createAt(-1, 5), /draft\.target\.position\.start/],
  ['a fractional offset', createAt(1.5, 5), /draft\.target\.position\.start/],
  ['an end equal to the start', createAt(5, 5), /position end must be after start/],
  ['an end before the start', createAt(9, 5), /position end must be after start/],
  ['an empty quote', createWith({ target: { ...target, quote: { ...target.quote, exact: '' } } }), /quote\.exact/],
  ['null', null, /expected object, received null/],
  ['undefined', undefined, /expected object/],
  ['a string', 'deleteAnnotation', /expected object, received string/],
  ['an array', [{ type: 'deleteAnnotation', id: ID }], /expected object, received array/],
  ['a number', 42, /expected object, received number/],
  ['a __proto__ key', JSON.parse(PROTO_DELETE), /Unrecognized key: "__proto__"/],
  ['a __proto__ key inside the patch', JSON.parse(PROTO_PATCH), /patch: Unrecognized key: "__proto__"/],
  ['more than 100,000 anchor results', anchorResults(100_001), /results: Too big/],
  ['more than 50 tags', updateWith({ tags: manyTags }), /patch\.tags: Too big/],
  ['an anchor status of unknown', anchorResults(1, { id: ID, status: 'unknown' }), /results\.0\.status/],
];

describe('parseRequest', () => {
  test.each(VALID.map((request) => [request.type, request] as const))(
    'accepts a valid %s request unchanged',
    (_, request) => {
      expect(parseRequest(structuredClone(request))).toEqual({ ok: true, value: request });
    },
  );

  test(`accepts a note of exactly ${MAX_NOTE_LENGTH} characters`, () => {
    const request = { type: 'updateAnnotation', id: ID, patch: { note: '注'.repeat(MAX_NOTE_LENGTH) } };

    expect(parseRequest(request).ok).toBe(true);
  });

  test('accepts a highlight starting at offset 0', () => {
    expect(parseRequest(createAt(0, 1)).ok).toBe(true);
  });

  test.each(MALFORMED)('rejects %s, saying what is wrong', (_, message, words) => {
    const result = parseRequest(message);

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(/^Invalid request: /);
    expect(result.error).toMatch(words);
  });

  test('a __proto__ payload does not pollute Object.prototype', () => {
    parseRequest(JSON.parse(PROTO_DELETE));

    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  test('a message with many problems names at most three of them', () => {
    const result = parseRequest({ type: 'createAnnotation', draft: { lesson: {}, target: {}, color: 'red' } });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.split('; ').length).toBeLessThanOrEqual(3);
  });
});
