/**
 * Lesson notes through the local SyncStore (issue #5): every write path
 * stamps and sequences them, `changesSince` carries them with the
 * highlights, and `mergeRemote` merges them by the rules of merge.ts in the
 * same all-or-nothing transaction.
 */
import { Dexie } from 'dexie';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createAnnotation } from '../../storage/annotations';
import { openDb, type LessonHighlighterDb } from '../../storage/db';
import { getLessonNote, restoreLessonNoteVersion, saveLessonNote } from '../../storage/lesson-notes';
import { importAnnotationsFile } from '../../storage/sync/import-file';
import { createLocalSyncStore } from '../../storage/sync/local-store';
import { editNote, type ReplicatedLessonNote } from '../../storage/sync/merge';
import type { SyncStore } from '../../storage/sync/sync-store';
import { draft, dumpDb, LESSON, NOW, stampAt } from '../fixtures/sync/sync-fixtures';

let db: LessonHighlighterDb;
let store: SyncStore;

beforeEach(() => {
  db = openDb(`sync-notes-${crypto.randomUUID()}`);
  store = createLocalSyncStore(db, { now: () => NOW });
});

afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

/** A lesson note as another profile ('remoteprofil') would send it. */
function remoteNote(text: string, wall: number): ReplicatedLessonNote {
  return { lessonId: LESSON.lessonId, lesson: { ...LESSON }, createdAt: NOW, notes: editNote([], text, stampAt(wall), 'remoteprofil') };
}

describe('local changes of lesson notes', () => {
  test('saving, restoring a version and importing each give the note the next sequence number, shared with highlights', async () => {
    await createAnnotation(db, draft(0, '超时'), NOW);
    const { sequence: afterHighlight } = await store.changesSince(0);

    await saveLessonNote(db, LESSON, '第一稿', NOW + 1);
    const saved = await store.changesSince(afterHighlight);
    expect(saved.records).toEqual([]);
    expect(saved.lessonNotes.map((note) => note.notes[0]!.text)).toEqual(['第一稿']);
    expect(saved.sequence).toBe(afterHighlight + 1);

    // A concurrent edit from elsewhere, then the reader restores it: both are changes to carry on.
    await store.mergeRemote([], [remoteNote('别处写的', NOW + 2)]);
    const merged = await store.changesSince(saved.sequence);
    expect(merged.lessonNotes.map((note) => note.notes.map((version) => version.text))).toEqual([['别处写的', '第一稿']]);

    const other = (await getLessonNote(db, LESSON.lessonId))!.sync!.notes[1]!;
    await restoreLessonNoteVersion(db, LESSON.lessonId, other.stamp, NOW + 3);
    const restored = await store.changesSince(merged.sequence);
    expect(restored.lessonNotes[0]!.notes[0]!.text).toBe('第一稿');
    expect(restored.sequence).toBe(merged.sequence + 1);
  });

  test('an imported lesson note is a change the transports carry on', async () => {
    const { sequence } = await store.changesSince(0);
    const file = JSON.stringify({
      type: 'AnnotationCollection',
      first: {
        items: [
          {
            id: `urn:lesson-highlighter:lesson-note:${LESSON.lessonId}`,
            type: 'Annotation',
            created: new Date(NOW).toISOString(),
            modified: new Date(NOW).toISOString(),
            body: [{ type: 'TextualBody', value: '文件里的', purpose: 'commenting' }],
            target: LESSON.url,
          },
        ],
      },
    });
    await importAnnotationsFile(db, file, NOW);

    const changes = await store.changesSince(sequence);
    expect(changes.lessonNotes.map((note) => note.notes[0]!.text)).toEqual(['文件里的']);
    expect(changes.sequence).toBe(sequence + 1);
  });

  test('clearing a lesson note is an edit to empty text with a later stamp, carried like any other', async () => {
    await saveLessonNote(db, LESSON, '要删的', NOW);
    const { sequence, lessonNotes: [written] } = await store.changesSince(0);
    await saveLessonNote(db, LESSON, '', NOW + 1000);

    const [cleared] = (await store.changesSince(sequence)).lessonNotes;
    expect(cleared!.notes).toHaveLength(1);
    expect(cleared!.notes[0]!.text).toBe('');
    expect(cleared!.notes[0]!.stamp > written!.notes[0]!.stamp).toBe(true);
  });
});

describe('merging remote lesson notes', () => {
  test('a note from elsewhere is stored, merging it again changes nothing, and local stamps then order after it', async () => {
    const remote = remoteNote('家里写的', NOW + 60_000);

    expect(await store.mergeRemote([], [remote])).toEqual({ changed: 1 });
    const before = await dumpDb(db);
    expect(await store.mergeRemote([], [remote, remote])).toEqual({ changed: 0 });
    expect(await dumpDb(db)).toBe(before);

    // The local clock is behind the remote stamp: an edit made now must still win.
    const edited = await saveLessonNote(db, LESSON, '公司里改的', NOW);
    expect(edited.note).toBe('公司里改的');
    expect(edited.sync!.notes).toHaveLength(1);
    expect(edited.sync!.notes[0]!.stamp > remote.notes[0]!.stamp).toBe(true);
  });

  test('a concurrent edit keeps both texts as versions, the later one shown', async () => {
    await saveLessonNote(db, LESSON, '公司里写的', NOW);

    await store.mergeRemote([], [remoteNote('家里写的', NOW + 5)]);

    const note = (await getLessonNote(db, LESSON.lessonId))!;
    expect(note.note).toBe('家里写的');
    expect(note.sync!.notes.map((version) => version.text)).toEqual(['家里写的', '公司里写的']);
  });

  test('absence is never deletion: merging nothing, or notes of other lessons, leaves the note alone', async () => {
    await saveLessonNote(db, LESSON, '留着', NOW);
    const other = { ...remoteNote('另一讲', NOW), lessonId: '100002', lesson: { ...LESSON, lessonId: '100002', url: 'https://time.geekbang.org/column/article/100002' } };

    await store.mergeRemote([], []);
    await store.mergeRemote([], [other]);

    expect((await getLessonNote(db, LESSON.lessonId))!.note).toBe('留着');
    expect((await store.exportLessonNotes()).map((note) => note.lessonId).sort()).toEqual([LESSON.lessonId, '100002']);
  });

  test('a cleared note from elsewhere is kept even for a lesson with none here, so every profile carries the same notes', async () => {
    // Browser sync writes its items from the database: dropping it here would mean writing items without it.
    const cleared = remoteNote('', NOW);

    expect(await store.mergeRemote([], [cleared])).toEqual({ changed: 1 });

    expect(await store.exportLessonNotes()).toEqual([cleared]);
    expect((await store.changesSince(0)).lessonNotes).toEqual([cleared]);
  });

  test('a malformed lesson note refuses the whole batch (highlights too) in words, and nothing is written', async () => {
    await saveLessonNote(db, LESSON, '已有', NOW);
    const before = await dumpDb(db);
    const good = remoteNote('好的', NOW);
    const mismatched = { ...remoteNote('坏的', NOW), lessonId: '100009' };

    await expect(store.mergeRemote([], [good, mismatched])).rejects.toThrow(
      /malformed, so nothing was merged: lesson note 2 \(lesson 100009\): lesson\.lessonId/,
    );
    const future = remoteNote('明天的', NOW + 25 * 3_600_000);
    await expect(store.mergeRemote([], [future])).rejects.toThrow(/more than 24 hours ahead/);
    await expect(store.mergeRemote([], [{ ...good, notes: [] }])).rejects.toThrow(/notes: has no note version/);
    expect(await dumpDb(db)).toBe(before);
  });
});
