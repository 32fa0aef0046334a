/**
 * A lesson's page-level note keeps concurrent versions (issue #5): an edit
 * on another profile, arriving in an imported file, is kept beside the note
 * instead of being dropped for being older, and the reader can restore it.
 */
import { Dexie } from 'dexie';
import { afterEach, describe, expect, test } from 'vitest';
import { openDb, type LessonHighlighterDb } from '../../storage/db';
import { buildExport } from '../../storage/export-files';
import { handleRequest } from '../../storage/handlers';
import { getLessonNote, restoreLessonNoteVersion, saveLessonNote } from '../../storage/lesson-notes';
import { listLessonNotes } from '../../storage/library-queries';
import type { LessonNote } from '../../storage/model';
import { importAnnotationsFile } from '../../storage/sync/import-file';
import { DAY, dumpDb, LESSON, NOW } from '../fixtures/sync/sync-fixtures';

const databases: LessonHighlighterDb[] = [];

function newDb(): LessonHighlighterDb {
  const db = openDb(`lesson-notes-${crypto.randomUUID()}`);
  databases.push(db);
  return db;
}

afterEach(async () => {
  for (const db of databases.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

/** The JSON export of `notes`, as the library page downloads it. */
function exportOf(notes: readonly LessonNote[]): string {
  return buildExport({ type: 'all' }, 'jsonld', [], notes, {
    labels: { lessonNote: 'Lesson note', untitledCourse: '', untitledLesson: '' },
    allLabel: 'All notes',
    now: NOW,
    collectionId: 'urn:uuid:11111111-2222-4333-8444-555555555555',
  }).text;
}

const texts = (note: LessonNote | null) => note?.sync?.notes.map((version) => version.text);

/** Two profiles that both wrote the lesson's note after sharing a first version: home later than work. */
async function concurrentEdits(): Promise<{ home: LessonHighlighterDb; work: LessonHighlighterDb }> {
  const home = newDb();
  const work = newDb();
  await saveLessonNote(home, LESSON, '第一遍：重点是幂等。', NOW - 2 * DAY);
  await importAnnotationsFile(work, exportOf(await listLessonNotes(home)), NOW - 2 * DAY);
  await saveLessonNote(work, LESSON, '公司里补的：重试要有预算。', NOW - DAY);
  await saveLessonNote(home, LESSON, '家里补的：超时不等于失败。', NOW - DAY + 1000);
  return { home, work };
}

describe("a lesson's note edited on two profiles", () => {
  test('keeps both texts after an import: the later one shown, the other a conflict version', async () => {
    const { home, work } = await concurrentEdits();

    const outcome = await importAnnotationsFile(home, exportOf(await listLessonNotes(work)), NOW);

    expect(outcome).toEqual({ imported: 1, changed: 1 });
    const note = await getLessonNote(home, LESSON.lessonId);
    expect(note?.note).toBe('家里补的：超时不等于失败。');
    expect(texts(note)).toEqual(['家里补的：超时不等于失败。', '公司里补的：重试要有预算。']);
  });

  test('keeps the local text when the file holds a later concurrent one (last writer wins no more)', async () => {
    const { home, work } = await concurrentEdits();

    await importAnnotationsFile(work, exportOf(await listLessonNotes(home)), NOW);

    expect(texts(await getLessonNote(work, LESSON.lessonId))).toEqual(['家里补的：超时不等于失败。', '公司里补的：重试要有预算。']);
  });

  test('an older file of a note edited since adds no conflict: the edit was written on top of it', async () => {
    const home = newDb();
    await saveLessonNote(home, LESSON, '初稿', NOW - DAY);
    const stale = exportOf(await listLessonNotes(home));
    await saveLessonNote(home, LESSON, '改过的', NOW);
    const before = await dumpDb(home);

    expect(await importAnnotationsFile(home, stale, NOW)).toEqual({ imported: 1, changed: 0 });
    expect(await dumpDb(home)).toBe(before);
  });

  test('restoring the conflict version swaps the texts; restoring back swaps them again', async () => {
    const { home, work } = await concurrentEdits();
    await importAnnotationsFile(home, exportOf(await listLessonNotes(work)), NOW);
    const conflict = (await getLessonNote(home, LESSON.lessonId))!.sync!.notes[1]!;

    const restored = await restoreLessonNoteVersion(home, LESSON.lessonId, conflict.stamp, NOW + 10);

    expect(restored.note).toBe('公司里补的：重试要有预算。');
    expect(texts(restored)).toEqual(['公司里补的：重试要有预算。', '家里补的：超时不等于失败。']);
    expect(await getLessonNote(home, LESSON.lessonId)).toEqual(restored);
    const back = await restoreLessonNoteVersion(home, LESSON.lessonId, restored.sync!.notes[1]!.stamp, NOW + 20);
    expect(texts(back)).toEqual(['家里补的：超时不等于失败。', '公司里补的：重试要有预算。']);
  });

  test('the export carries every version, so an emptied profile gets them back and a second import changes nothing', async () => {
    const { home, work } = await concurrentEdits();
    await importAnnotationsFile(home, exportOf(await listLessonNotes(work)), NOW);
    const restoredProfile = newDb();
    const file = exportOf(await listLessonNotes(home));

    await importAnnotationsFile(restoredProfile, file, NOW);
    const before = await dumpDb(restoredProfile);

    expect(await listLessonNotes(restoredProfile)).toEqual(await listLessonNotes(home));
    expect(await importAnnotationsFile(restoredProfile, file, NOW)).toEqual({ imported: 1, changed: 0 });
    expect(await dumpDb(restoredProfile)).toBe(before);
  });

  test('a note cleared on one profile while edited on the other is still listed, with the text to restore', async () => {
    const { home, work } = await concurrentEdits();
    await saveLessonNote(home, LESSON, '', NOW);

    await importAnnotationsFile(home, exportOf(await listLessonNotes(work)), NOW + 1);

    const [listed] = await listLessonNotes(home);
    expect(listed?.note).toBe('');
    expect(texts(listed ?? null)).toEqual(['', '公司里补的：重试要有预算。']);
  });

  test('is restored through the protocol, and a version that is gone is refused in words', async () => {
    const { home, work } = await concurrentEdits();
    await importAnnotationsFile(home, exportOf(await listLessonNotes(work)), NOW);
    const conflict = (await getLessonNote(home, LESSON.lessonId))!.sync!.notes[1]!;

    const answer = await handleRequest(home, { type: 'restoreLessonNoteVersion', lessonId: LESSON.lessonId, stamp: conflict.stamp });
    const again = await handleRequest(home, { type: 'restoreLessonNoteVersion', lessonId: LESSON.lessonId, stamp: conflict.stamp });

    expect(answer).toMatchObject({ ok: true, value: { note: '公司里补的：重试要有预算。' } });
    expect(again).toEqual({ ok: false, error: expect.stringMatching(/^This version of the lesson note is no longer there/) });
  });
});

describe('lesson notes saved before versions were kept', () => {
  /** A note as an older version of the extension stored it: no versions. */
  async function legacyNote(db: LessonHighlighterDb, note: string, updatedAt: number): Promise<void> {
    await db.lessonNotes.put({ lessonId: LESSON.lessonId, lesson: LESSON, note, createdAt: updatedAt, updatedAt });
  }

  test('an unrelated note of the same lesson from another profile is kept beside it, not dropped as older', async () => {
    const home = newDb();
    const work = newDb();
    await legacyNote(home, '旧版本写的', NOW - DAY);
    await saveLessonNote(work, LESSON, '新版本写的', NOW - 2 * DAY);

    await importAnnotationsFile(home, exportOf(await listLessonNotes(work)), NOW);

    expect(texts(await getLessonNote(home, LESSON.lessonId))).toEqual(['旧版本写的', '新版本写的']);
  });

  test('an edit made on top of it replaces it, in a file from an older version too', async () => {
    const home = newDb();
    await legacyNote(home, '旧版本写的', NOW - DAY);
    const olderFile = exportOf(await listLessonNotes(home)).replace(/,\s*"notes": \[[\s\S]*?\]\s*\}/, '}');
    expect(olderFile).not.toContain('"notes"');

    const edited = await saveLessonNote(home, LESSON, '升级以后改的', NOW);

    expect(texts(edited)).toEqual(['升级以后改的']);
    expect(await importAnnotationsFile(home, olderFile, NOW)).toEqual({ imported: 1, changed: 0 });
  });
});

describe('a file with broken lesson note versions', () => {
  test('is refused in words and changes nothing', async () => {
    const home = newDb();
    await saveLessonNote(home, LESSON, '本地的', NOW);
    const file = JSON.parse(exportOf(await listLessonNotes(home)));
    file.first.items[0].lessonHighlighter.notes[0].stamp = 'not a stamp';
    const before = await dumpDb(home);

    const answer = await handleRequest(home, { type: 'importAnnotations', text: JSON.stringify(file) });

    expect(answer).toEqual({ ok: false, error: expect.stringMatching(/Annotation 1: lessonHighlighter\.notes\.0\.stamp: is not a sync stamp/) });
    expect(await dumpDb(home)).toBe(before);
  });
});
