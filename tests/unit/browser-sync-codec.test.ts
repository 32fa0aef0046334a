import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { HIGHLIGHT_COLORS, LESSON_SITE } from '../../storage/model';
import { asciiToBytes, bytesToAscii, bytesToText, textToBytes } from '../../storage/sync/browser-sync-bytes';
import { DamagedItemError, decodeItem, encodeItem, itemValue } from '../../storage/sync/browser-sync-codec';
import { CHARACTER_TABLE, CHARACTER_TABLE_CHECKSUM } from '../../storage/sync/browser-sync-hanzi';
import { itemBytes, planLayout, SYNC_LIMITS } from '../../storage/sync/browser-sync-layout';
import { formatStamp } from '../../storage/sync/hlc';
import { mergeNotes, type ReplicatedAnnotation } from '../../storage/sync/merge';
import { typicalAnnotations } from '../fixtures/sync/typical-annotations';

/** Any UTF-16 string, lone surrogates and control characters included. */
const anyText = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 60 });
const replica = fc.constantFrom('alpha', 'bravo', 'home7x2k9q');
const stamp = fc.tuple(fc.integer({ min: 1_600_000_000_000, max: 1_800_000_000_000 }), fc.nat(999_999), replica).map(([wall, counter, r]) => formatStamp(wall, counter, r));
const chinese = fc.string({ unit: fc.constantFrom(...CHARACTER_TABLE.slice(0, 400)), maxLength: 40 });

const annotation: fc.Arbitrary<ReplicatedAnnotation> = fc
  .record({
    id: fc.uuid({ version: 4 }),
    lessonId: fc.stringMatching(/^\d{1,12}$/),
    canonicalUrl: fc.boolean(),
    titles: fc.tuple(anyText, chinese),
    exact: fc.oneof(chinese, anyText).filter((text) => text.length > 0),
    prefix: anyText,
    suffix: chinese,
    start: fc.nat(1_000_000),
    createdAt: fc.integer({ min: 1_600_000_000_000, max: 1_800_000_000_000 }),
    color: fc.constantFrom(...HIGHLIGHT_COLORS),
    tags: fc.array(fc.string({ minLength: 1, maxLength: 10 }), { maxLength: 3 }),
    stamps: fc.tuple(stamp, stamp, stamp),
    deletedAt: fc.option(fc.integer({ min: 1_600_000_000_000, max: 1_800_000_000_000 })),
    notes: fc.array(fc.record({ text: fc.oneof(chinese, anyText), stamp, seen: fc.dictionary(replica, fc.integer({ min: 1, max: 50 })) }), { minLength: 1, maxLength: 3 }),
  })
  .map((r) => ({
    id: r.id,
    lesson: {
      site: LESSON_SITE,
      lessonId: r.lessonId,
      url: r.canonicalUrl ? `https://${LESSON_SITE}/column/article/${r.lessonId}` : `https://${LESSON_SITE}/column/article/${r.lessonId}?from=app`,
      lessonTitle: r.titles[0],
      courseTitle: r.titles[1],
    },
    target: {
      quote: { type: 'TextQuoteSelector' as const, exact: r.exact, prefix: r.prefix, suffix: r.suffix },
      position: { type: 'TextPositionSelector' as const, start: r.start, end: r.start + r.exact.length },
    },
    createdAt: r.createdAt,
    color: { value: r.color, stamp: r.stamps[0] },
    tags: { value: r.tags, stamp: r.stamps[1] },
    deleted: { value: r.deletedAt, stamp: r.stamps[2] },
    notes: mergeNotes(r.notes, []),
  }));

describe('browser sync item format', () => {
  test('text survives the byte coding exactly, whatever it holds', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(bytesToText(textToBytes(text))).toBe(text);
      }),
    );
  });

  test('common Chinese takes one or two bytes a character', () => {
    expect(textToBytes('的是，一')).toHaveLength(4);
    expect(textToBytes('幂等').length).toBeLessThanOrEqual(4);
  });

  test('bytes survive base 85, written with characters JSON writers leave as they are', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 50 }), (bytes) => {
        const text = bytesToAscii(bytes);
        expect(text).not.toMatch(/["\\<]/);
        expect(JSON.stringify(text)).toHaveLength(text.length + 2);
        expect(asciiToBytes(text)).toEqual(bytes);
      }),
    );
  });

  test('annotations decode to exactly what was encoded', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(annotation, { minLength: 1, maxLength: 4 }), async (records) => {
        const { value } = await encodeItem(records);
        const { records: decoded } = await decodeItem(value);
        expect(decoded).toEqual([...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
      }),
      { numRuns: 200 },
    );
  });

  test('any other value is refused as damaged, never with another error', async () => {
    const valid = (await encodeItem(typicalAnnotations({ count: 2 }))).value;
    const mutated = fc.tuple(fc.nat(valid.length - 1), fc.constantFrom(...'!#0Aaz~')).map(([at, char]) => valid.slice(0, at) + char + valid.slice(at + 1));
    const anything = fc.oneof(mutated, fc.string().map((s) => `1${s}`), fc.anything());
    await fc.assert(
      fc.asyncProperty(anything, async (value) => {
        const outcome = await decodeItem(value).then(
          (item) => item,
          (error: unknown) => error,
        );
        if (outcome instanceof Error) expect(outcome).toBeInstanceOf(DamagedItemError);
      }),
      { numRuns: 300 },
    );
    await expect(decodeItem(await itemValue('[0,[],[],[]]'))).resolves.toMatchObject({ records: [] });
  });

  test('the character table is frozen (changing it needs a new format)', () => {
    let hash = 0x811c9dc5;
    for (let i = 0; i < CHARACTER_TABLE.length; i++) hash = Math.imul(hash ^ CHARACTER_TABLE.charCodeAt(i), 0x01000193) >>> 0;
    expect(hash).toBe(CHARACTER_TABLE_CHECKSUM);
    expect(new Set(CHARACTER_TABLE).size).toBe(CHARACTER_TABLE.length);
  });
});

describe('browser sync capacity', () => {
  test('carries well over 250 typical annotations in 100 KB, every item within 8 KB', async () => {
    const records = typicalAnnotations({ count: 700 });
    const layout = await planLayout(records, { bytes: SYNC_LIMITS.quotaBytes, items: SYNC_LIMITS.maxItems }, new Map());
    expect(layout.carried.length).toBeGreaterThanOrEqual(260);
    for (const item of layout.items) expect(itemBytes(item.key, item.value)).toBeLessThanOrEqual(SYNC_LIMITS.quotaBytesPerItem);
    expect(layout.bytes).toBeLessThanOrEqual(SYNC_LIMITS.quotaBytes);
  });
});
