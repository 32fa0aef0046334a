/**
 * The half-write checker the fault tests rely on: whole records pass, and
 * each way a write cut short could leave a record is reported. (Without
 * this, a checker that found nothing would make every fault test pass.)
 */
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnnotation, deleteAnnotation, updateAnnotation } from '../../storage/annotations';
import { openDb, type LessonHighlighterDb } from '../../storage/db';
import { saveLessonNote } from '../../storage/lesson-notes';
import { draft, LESSON, NOW } from '../fixtures/sync/sync-fixtures';
import { findHalfWritten, type DatabaseDump } from './record-shape';

let db: LessonHighlighterDb | undefined;

afterEach(async () => {
  db?.close();
  if (db) await Dexie.delete(db.name);
});

/** A database with a highlight (edited, with a note), a deleted one and a lesson note, read as the fault tests read it. */
async function wholeDump(): Promise<DatabaseDump> {
  db = openDb(`shape-${crypto.randomUUID()}`);
  const kept = await createAnnotation(db, draft(10, '超时不等于失败'), NOW);
  await updateAnnotation(db, kept.id, { note: '幂等是前提', color: 'blue' }, NOW + 1);
  const gone = await createAnnotation(db, draft(40, '重试要有上限'), NOW + 2);
  await deleteAnnotation(db, gone.id, NOW + 3);
  await saveLessonNote(db, LESSON, '这一讲的笔记', NOW + 4);
  return {
    lessonRows: await db.lessonRows.toArray(),
    annotations: await db.annotations.toArray(),
    lessonNotes: await db.lessonNotes.toArray(),
    meta: (await db.meta.toArray()) as DatabaseDump['meta'],
  };
}

/** `dump` with the first live annotation changed by `change`. */
function withFirst(dump: DatabaseDump, change: (record: Record<string, any>) => void): DatabaseDump {
  const copy = structuredClone(dump);
  change(copy.annotations.find((record) => (record as { deletedAt: unknown }).deletedAt === null) as Record<string, any>);
  return copy;
}

describe('finding half-written records', () => {
  it('finds nothing wrong with what the repository writes', async () => {
    expect(findHalfWritten(await wholeDump(), NOW + 10)).toEqual([]);
  });

  const cuts: Array<[string, (record: Record<string, any>) => void, RegExp]> = [
    ['a record without its merge metadata', (record) => delete record.sync, /sync/],
    ['a record without its target', (record) => delete record.target, /target/],
    ['a shown note that is not its latest version', (record) => (record.note = 'half'), /latest version/],
    ['a tombstone that disagrees with deletedAt', (record) => (record.deletedAt = NOW + 5), /deletedAt/],
    ['updatedAt not moved with the change', (record) => (record.updatedAt -= 1), /updatedAt/],
    ['a sequence number the counter never reached', (record) => (record.syncSeq = 999), /past the counter/],
    ['a stamp ahead of the saved clock', (record) => (record.sync.color = record.sync.color.replace(/^\d{13}/, String(NOW + 60_000).padStart(13, '0'))), /ahead of the saved clock|updatedAt/],
  ];

  it.each(cuts)('reports %s', async (_name, cut, problem) => {
    const found = findHalfWritten(withFirst(await wholeDump(), cut), NOW + 10);
    expect(found).toHaveLength(1);
    expect(found[0]!.problem).toMatch(problem);
  });

  const rowCuts: Array<[string, (row: Record<string, any>) => void, RegExp]> = [
    ['a row whose ids miss a record', (row) => row.ids.pop(), /ids do not match/],
    ['a row holding another lesson\'s record', (row) => (row.records[0].lesson = { ...row.records[0].lesson, lessonId: '999' }), /belongs to lesson 999/],
    ['a row whose newest change was not counted', (row) => (row.syncSeq -= 1), /syncSeq/],
    ['a row whose newest edit time was not kept', (row) => (row.updatedAt -= 1), /updatedAt/],
    ['an empty row', (row) => ((row.records = []), (row.ids = [])), /empty row/],
  ];

  it.each(rowCuts)('reports %s', async (_name, cut, problem) => {
    const dump = structuredClone(await wholeDump());
    cut(dump.lessonRows[0] as Record<string, any>);
    const found = findHalfWritten(dump, NOW + 10);
    expect(found.map((entry) => entry.store)).toEqual(['lessonRows']);
    expect(found[0]!.problem).toMatch(problem);
  });

  it('reports a record kept in two rows', async () => {
    const dump = structuredClone(await wholeDump());
    // The same record under another lesson's row (that row otherwise whole).
    const copy = structuredClone(dump.lessonRows[0]) as { lessonId: string; records: Array<{ lesson: { lessonId: string } }> };
    copy.lessonId = '999999';
    for (const record of copy.records) record.lesson.lessonId = '999999';
    dump.lessonRows.push(copy);
    const found = findHalfWritten(dump, NOW + 10);
    expect(found.map((entry) => entry.problem).join()).toMatch(/also in the row of lesson/);
  });

  it('reports a lost sync counter and a malformed lesson note', async () => {
    const dump = await wholeDump();
    const found = findHalfWritten({ ...dump, meta: dump.meta.filter((entry) => entry.key !== 'sequence'), lessonNotes: [{ lessonId: LESSON.lessonId }] }, NOW + 10);
    expect(found.map((problem) => problem.store).sort()).toEqual(['lessonNotes', 'meta']);
  });
});
