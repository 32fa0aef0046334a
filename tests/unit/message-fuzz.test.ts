import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDb, type LessonHighlighterDb } from '../../storage/db';
import { handleRequest } from '../../storage/handlers';
import { requestSchema } from '../../storage/protocol';

/** Every request type the protocol knows, mixed into look-alike messages. */
const REQUEST_TYPES = requestSchema.options.map((option) => option.shape.type.value);

let db: LessonHighlighterDb;

beforeAll(async () => {
  db = openDb(`fuzz-${crypto.randomUUID()}`);
  await db.open();
});
afterAll(async () => {
  await db.delete();
});

/** Every row of every table, to prove nothing was written. */
async function dump(): Promise<string> {
  const tables = await Promise.all(db.tables.map(async (table) => [table.name, await table.toArray()] as const));
  return JSON.stringify(tables);
}

/** Anything JSON can carry, plus values structured clone can (undefined, nested arrays, odd keys). */
const anything = fc.oneof(
  fc.jsonValue(),
  fc.anything({ withNullPrototype: true, withObjectString: true, maxDepth: 4 }),
);

/** Objects that look like our requests: a real type with random or missing fields. */
const lookalike = fc.record(
  {
    type: fc.constantFrom(...REQUEST_TYPES, '__proto__', 'constructor', 'toString', ''),
    id: fc.oneof(fc.uuid(), fc.string(), fc.integer()),
    lessonId: fc.oneof(fc.string(), fc.constant('100001'), fc.integer()),
    draft: anything,
    patch: anything,
    note: fc.oneof(fc.string(), fc.string({ minLength: 10_001, maxLength: 10_010 })),
    lesson: anything,
    results: fc.array(anything, { maxLength: 5 }),
    __proto__: anything,
  },
  { requiredKeys: ['type'] },
);

describe('the message handlers under random and malformed payloads', () => {
  test('never throw, always answer in words, and write nothing', async () => {
    const before = await dump();
    await fc.assert(
      fc.asyncProperty(fc.oneof(anything, lookalike), async (message) => {
        const answer = await handleRequest(db, message);
        if (!answer.ok) expect(answer.error).toMatch(/\w{3,}/);
      }),
      { numRuns: 400 },
    );
    // Valid reads may succeed, but no payload above can be a valid write:
    // drafts and patches are random, ids random UUIDs of records that do not exist.
    expect(await dump()).toBe(before);
  });

  test('a forged create with extra fields or a prototype key is refused, not stored', async () => {
    const forged = JSON.parse(
      '{"type":"createAnnotation","draft":{"__proto__":{"admin":true},"lesson":{},"target":{},"color":"yellow"}}',
    ) as unknown;
    const answer = await handleRequest(db, forged);

    expect(answer.ok).toBe(false);
    expect(await db.annotations.count()).toBe(0);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});
