import { Dexie } from 'dexie';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createAnnotation, StorageError, updateAnnotation } from '../../storage/annotations';
import { openDb, type LessonHighlighterDb } from '../../storage/db';
import { buildExport } from '../../storage/export-files';
import { handleRequest } from '../../storage/handlers';
import { saveLessonNote } from '../../storage/lesson-notes';
import { listAnnotations, listLessonNotes } from '../../storage/library-queries';
import type { Annotation } from '../../storage/model';
import { importAnnotationsFile } from '../../storage/sync/import-file';
import { createLocalSyncStore } from '../../storage/sync/local-store';
import type { ReplicatedAnnotation } from '../../storage/sync/merge';
import { DAY, draft, dumpDb, LESSON, NOW, stampAt } from '../fixtures/sync/sync-fixtures';
import { ledgerFile, recordFault } from '../faults/ledger';

const databases: LessonHighlighterDb[] = [];

/** A fresh, empty profile database. */
function newDb(): LessonHighlighterDb {
  const db = openDb(`import-${crypto.randomUUID()}`);
  databases.push(db);
  return db;
}

afterEach(async () => {
  vi.restoreAllMocks();
  for (const db of databases.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

/** The JSON export of `annotations` and `notes`, as the library page downloads it. */
function exportOf(annotations: readonly Annotation[], notes: Parameters<typeof buildExport>[3] = []): string {
  return buildExport({ type: 'all' }, 'jsonld', annotations, notes, {
    labels: { lessonNote: 'Lesson note', untitledCourse: '', untitledLesson: '' },
    allLabel: 'All notes',
    now: NOW,
    collectionId: 'urn:uuid:11111111-2222-4333-8444-555555555555',
  }).text;
}

/** The JSON export of everything in `db`. */
async function exportAll(db: LessonHighlighterDb): Promise<string> {
  return exportOf(await listAnnotations(db), await listLessonNotes(db));
}

async function replicatedOf(db: LessonHighlighterDb): Promise<ReplicatedAnnotation[]> {
  return (await createLocalSyncStore(db, { now: () => NOW }).exportReplicated()).sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** A profile with two highlights (one with a note and tags) and a lesson note. */
async function sampleProfile(): Promise<{ db: LessonHighlighterDb; ids: string[] }> {
  const db = newDb();
  const first = await createAnnotation(db, draft(10, '超时不等于失败', '面试常考'), NOW - 2 * DAY);
  const second = await createAnnotation(db, draft(40, '幂等是前提'), NOW - DAY);
  await updateAnnotation(db, first.id, { tags: ['复习'], color: 'blue' }, NOW - DAY);
  await saveLessonNote(db, LESSON, '这一讲：不确定性 → 重试 → 幂等。', NOW - DAY);
  return { db, ids: [first.id, second.id] };
}

describe('importing a JSON export', () => {
  test('brings highlights, notes, tags, colors, lesson titles and the lesson note to another profile, losslessly', async () => {
    const { db: source } = await sampleProfile();
    const target = newDb();

    const outcome = await importAnnotationsFile(target, await exportAll(source), NOW);

    expect(outcome).toEqual({ imported: 3, changed: 3 });
    expect(await replicatedOf(target)).toEqual(await replicatedOf(source));
    const [shown] = (await listAnnotations(target)).filter((a) => a.note !== '');
    expect(shown).toMatchObject({ note: '面试常考', tags: ['复习'], color: 'blue', lesson: LESSON });
    expect(await listLessonNotes(target)).toEqual(await listLessonNotes(source));
  });

  test('importing the same file twice changes nothing the second time', async () => {
    const { db: source } = await sampleProfile();
    const target = newDb();
    const file = await exportAll(source);
    await importAnnotationsFile(target, file, NOW);
    const before = await dumpDb(target);

    expect(await importAnnotationsFile(target, file, NOW)).toEqual({ imported: 3, changed: 0 });
    expect(await dumpDb(target)).toBe(before);
  });

  test('importing into the profile the file came from changes nothing', async () => {
    const { db } = await sampleProfile();
    const before = await dumpDb(db);

    expect(await importAnnotationsFile(db, await exportAll(db), NOW)).toMatchObject({ changed: 0 });
    expect(await dumpDb(db)).toBe(before);
  });

  test('a note edited both here and in the file shows the later text and keeps the other as a conflict version', async () => {
    const { db: source, ids } = await sampleProfile();
    const target = newDb();
    await importAnnotationsFile(target, await exportAll(source), NOW);
    await updateAnnotation(target, ids[0]!, { note: '这里改的' }, NOW + 10);
    await updateAnnotation(source, ids[0]!, { note: '文件里改的' }, NOW + 20);

    expect(await importAnnotationsFile(target, await exportAll(source), NOW + 30)).toMatchObject({ changed: 1 });

    const merged = (await target.annotations.get(ids[0]!))!;
    expect(merged.note).toBe('文件里改的');
    expect(merged.sync!.notes.slice(1).map((version) => version.text)).toEqual(['这里改的']);
  });

  test('a file from before sync (no sync metadata) is merged with stamps from its dates, and again changes nothing', async () => {
    const { db: source } = await sampleProfile();
    const file = JSON.parse(await exportAll(source));
    for (const item of file.first.items) delete item.lessonHighlighter;
    const text = JSON.stringify(file);
    const target = newDb();

    expect(await importAnnotationsFile(target, text, NOW)).toEqual({ imported: 3, changed: 3 });
    expect(await importAnnotationsFile(target, text, NOW)).toEqual({ imported: 3, changed: 0 });
    const imported = await listAnnotations(target);
    expect(imported.map((a) => a.note).sort()).toEqual(['', '面试常考']);
    expect(imported[0]!.lesson).toMatchObject({ lessonId: LESSON.lessonId, url: LESSON.url, lessonTitle: '' });
  });

  test('is answered through the protocol, with the outcome or the problem in words', async () => {
    const { db: source } = await sampleProfile();
    const target = newDb();

    const imported = await handleRequest(target, { type: 'importAnnotations', text: await exportAll(source) });
    const refused = await handleRequest(target, { type: 'importAnnotations', text: 'hello' });

    expect(imported).toEqual({ ok: true, value: { imported: 3, changed: 3 } });
    expect(refused).toEqual({ ok: false, error: expect.stringMatching(/^This file cannot be imported, so nothing was changed\. The file is not JSON/) });
  });

  test('a conflict version is restored through the protocol', async () => {
    const { db: source, ids } = await sampleProfile();
    const target = newDb();
    await importAnnotationsFile(target, await exportAll(source), NOW);
    await updateAnnotation(target, ids[0]!, { note: '这里改的' }, NOW + 10);
    await updateAnnotation(source, ids[0]!, { note: '文件里改的' }, NOW + 20);
    await importAnnotationsFile(target, await exportAll(source), NOW + 30);
    const conflict = (await target.annotations.get(ids[0]!))!.sync!.notes[1]!;

    const answer = await handleRequest(target, { type: 'restoreNoteVersion', id: ids[0], stamp: conflict.stamp });

    expect(answer).toMatchObject({ ok: true, value: { note: '这里改的' } });
    // The note it replaced is kept as a conflict version in turn.
    expect((await target.annotations.get(ids[0]!))!.sync!.notes.map((version) => version.text)).toEqual(['这里改的', '文件里改的']);
  });

  test('merges a file of 10,000 annotations', { timeout: 60_000 }, async () => {
    const template = (await sampleProfile()).db;
    const [one] = await listAnnotations(template);
    const many = Array.from({ length: 10_000 }, (_, i) => ({ ...one!, id: crypto.randomUUID(), note: `笔记 ${i}`, sync: undefined }));
    const target = newDb();

    expect(await importAnnotationsFile(target, exportOf(many), NOW)).toEqual({ imported: 10_000, changed: 10_000 });
  });
});

describe('a bad file is refused with the problem named, and the database is left exactly as it was', () => {
  let target: LessonHighlighterDb;
  let good: string;
  let before: string;

  beforeEach(async () => {
    const { db: source } = await sampleProfile();
    good = await exportAll(source);
    target = newDb();
    await createAnnotation(target, draft(0, '本地已有'), NOW);
    await saveLessonNote(target, LESSON, '本地的课程笔记', NOW);
    before = await dumpDb(target);
  });

  // Counted for `npm run test:faults` (a no-op without LH_FAULT_LEDGER): what the refused file changed.
  afterEach(async () => {
    if (!ledgerFile()) return;
    const records = (dump: string) => {
      const { annotations, lessonNotes } = JSON.parse(dump) as Record<string, unknown[]>;
      return [...(annotations ?? []), ...(lessonNotes ?? [])].map((record) => JSON.stringify(record));
    };
    const kept = records(before);
    const now = new Set(records(await dumpDb(target)));
    const was = new Set(kept);
    recordFault('Bad import file (unit test): refused, database untouched', {
      injected: 1,
      acknowledged: kept.length,
      unacknowledged: 0,
      lost: kept.filter((record) => !now.has(record)).length,
      halfWritten: [...now].filter((record) => !was.has(record)).length,
    });
  });

  /** The good file with its `index`-th item changed by `change`. */
  function withItem(index: number, change: (item: Record<string, any>) => void): string {
    const file = JSON.parse(good);
    change(file.first.items[index]);
    return JSON.stringify(file, null, 2);
  }

  /** The index (1-based, as errors name it) of the first highlight of the good file. */
  function firstHighlight(): number {
    return JSON.parse(good).first.items.findIndex((item: { target: unknown }) => typeof item.target === 'object');
  }

  const cases: Array<[string, () => string, RegExp]> = [
    ['not JSON', () => '# 划重点\n\n> 超时不等于失败', /The file is not JSON: it begins with “# 划重点/],
    ['cut off halfway', () => good.slice(0, good.length / 2), /The file is not valid JSON: line \d+, column \d+/],
    ['JSON of the wrong shape', () => '{"hello": "world"}', /It is JSON but not a Lesson Highlighter export/],
    ['a JSON array', () => '[1, 2, 3]', /It is JSON but not a Lesson Highlighter export/],
    ['nested 1,000 levels deep', () => `{"a":${'['.repeat(1000)}${']'.repeat(1000)}}`, /Line 1: the file nests more than 32 levels deep/],
    ['a __proto__ key', () => good.replace('"type": "Annotation",', '"type": "Annotation", "__proto__": {"polluted": true},'), /Line \d+: the key "__proto__" is not allowed/],
    ['a __proto__ key spelled with escapes', () => good.replace('"type": "Annotation",', '"type": "Annotation", "\\u005f_proto__": {},'), /the key "__proto__" is not allowed/],
    ['a constructor key', () => good.replace('"type": "Annotation",', '"type": "Annotation", "constructor": {"prototype": 1},'), /the key "constructor" is not allowed/],
    [
      'an absurd offset',
      () => withItem(firstHighlight(), (item) => (item.target.selector[1].end = 99_999_999)),
      /Annotation \d+: the position \d+–99999999 is not a text range \(0 ≤ start < end ≤ 10,000,000\)/,
    ],
    [
      'a negative offset',
      () => withItem(firstHighlight(), (item) => (item.target.selector[1].start = -5)),
      /Annotation \d+: the position -5–\d+ is not a text range/,
    ],
    [
      'a huge string',
      () => withItem(firstHighlight(), (item) => (item.target.selector[0].exact = '长'.repeat(60_000))),
      /Line \d+: a text is 60,000 characters long; the longest accepted is 50,000/,
    ],
    [
      'a note over 10,000 characters',
      () => withItem(firstHighlight(), (item) => (item.body = [{ type: 'TextualBody', value: '长'.repeat(10_001), purpose: 'commenting' }])),
      /Annotation \d+: note is longer than 10,000 characters/,
    ],
    ['a date that is not one', () => withItem(0, (item) => (item.created = 'yesterday')), /annotation 1: created "yesterday" is not a date/i],
    ['a date in the far future', () => withItem(0, (item) => (item.modified = '2999-01-01T00:00:00.000Z')), /annotation 1: modified 2999-01-01T00:00:00\.000Z is not a sane date/i],
    [
      'a change stamped two days ahead',
      () => withItem(firstHighlight(), (item) => (item.lessonHighlighter.stamps.color = stampAt(NOW + 2 * DAY))),
      /annotation \d+: a change is dated .* more than 24 hours ahead/i,
    ],
    [
      'a note that differs from its versions',
      () => withItem(firstHighlight(), (item) => (item.lessonHighlighter.notes[0].text = '改过')),
      /annotation \d+: its note differs from the note versions/i,
    ],
    [
      'a color the extension does not have',
      () => withItem(firstHighlight(), (item) => (item.target.styleClass = 'highlight-red')),
      /annotation \d+: styleClass "highlight-red" names no highlight color/i,
    ],
    [
      'a page that is not a GeekTime lesson',
      () =>
        withItem(firstHighlight(), (item) => {
          item.target.source = 'https://example.com/article/1';
          delete item.lessonHighlighter;
        }),
      /annotation \d+: target https:\/\/example\.com\/article\/1 is not a GeekTime lesson/i,
    ],
    [
      'more than 100,000 annotations',
      () => JSON.stringify({ type: 'AnnotationCollection', first: { items: Array.from({ length: 100_001 }, () => ({})) } }),
      /The file holds 100,001 annotations; at most 100,000 can be imported at once/,
    ],
  ];

  test.each(cases)('%s', async (_name, makeFile, problem) => {
    const refusal = importAnnotationsFile(target, makeFile(), NOW);

    await expect(refusal).rejects.toBeInstanceOf(StorageError);
    await expect(refusal).rejects.toThrow(problem);
    expect(await dumpDb(target)).toBe(before);
  });

  test('a 50 MB file is refused by its size, without being parsed', async () => {
    const huge = `{"a":"${'x'.repeat(50 * 1024 * 1024)}"}`;
    const parse = vi.spyOn(JSON, 'parse');

    await expect(importAnnotationsFile(target, huge, NOW)).rejects.toThrow(
      'This file cannot be imported, so nothing was changed. The file is 50.0 MB; the largest import accepted is 20 MB.',
    );
    expect(parse).not.toHaveBeenCalled();
    parse.mockRestore();
    expect(await dumpDb(target)).toBe(before);
  });

  test('a file just over 20 MB does not read as 20 MB', async () => {
    const justOver = `{"a":"${'x'.repeat(20 * 1024 * 1024)}"}`;

    await expect(importAnnotationsFile(target, justOver, NOW)).rejects.toThrow(
      'The file is just over 20 MB; the largest import accepted is 20 MB.',
    );
    expect(await dumpDb(target)).toBe(before);
  });

  test('good annotations before a bad one are not imported either (all or nothing)', async () => {
    const file = JSON.parse(good);
    const last = structuredClone(file.first.items[firstHighlight()]);
    last.id = `urn:uuid:${crypto.randomUUID()}`;
    last.target.selector[1].start = 10_000_001;
    file.first.items.push(last);

    await expect(importAnnotationsFile(target, JSON.stringify(file), NOW)).rejects.toThrow(
      new RegExp(`Annotation ${file.first.items.length}: the position`),
    );
    expect(await dumpDb(target)).toBe(before);
  });
});
