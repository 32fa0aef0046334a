/**
 * Lesson notes through browser sync (issue #5): items `n1:…` of their own in
 * the simulated `storage.sync` shared by two or three profiles, merged by the
 * rules of merge.ts, within the same quotas, surviving the browser's
 * last-writer-wins overwrites, and never deleted when they do not all fit.
 */
import { Dexie } from 'dexie';
import { describe, expect, test } from 'vitest';
import { openDb } from '../../storage/db';
import { getLessonNote, saveLessonNote } from '../../storage/lesson-notes';
import { createLocalSyncStore } from '../../storage/sync/local-store';
import { LESSON_SITE, type AnnotationTarget, type LessonRef } from '../../storage/model';
import { createBrowserSync, LOCAL_BATCH_MS, MIN_WRITE_GAP_MS } from '../../storage/sync/browser-sync';
import { CHARACTER_TABLE } from '../../storage/sync/browser-sync-hanzi';
import { itemBytes, SYNC_LIMITS } from '../../storage/sync/browser-sync-layout';
import { decodeLessonNoteItem, isLessonNoteKey, lessonNotesJson } from '../../storage/sync/browser-sync-notes';
import { itemValue } from '../../storage/sync/browser-sync-codec';
import { combineByLesson } from '../../storage/sync/browser-sync-pass';
import { currentNote, type ReplicatedLessonNote } from '../../storage/sync/merge';
import { formatStamp } from '../../storage/sync/hlc';
import { toReplicatedLessonNote } from '../../storage/sync/lesson-note-versions';
import { SyncWorld } from '../fixtures/sync/browser-sync-world';
import { createSyncCloud } from '../fixtures/sync/fake-storage-sync';

function lesson(lessonId: string): LessonRef {
  return { site: LESSON_SITE, lessonId, url: `https://${LESSON_SITE}/column/article/${lessonId}`, lessonTitle: '01 | 超时与重试', courseTitle: '分布式系统实战 45 讲' };
}

const TARGET: AnnotationTarget = {
  quote: { type: 'TextQuoteSelector', exact: '超时并不等于失败', prefix: '', suffix: '' },
  position: { type: 'TextPositionSelector', start: 0, end: 8 },
};

/** Every lesson note the area's items carry, merged, by lesson. */
async function areaLessonNotes(items: Record<string, unknown>, now: number): Promise<ReplicatedLessonNote[]> {
  const own = Object.entries(items).filter(([key]) => isLessonNoteKey(key));
  const decoded = await Promise.all(own.map(([, value]) => decodeLessonNoteItem(value, now)));
  return combineByLesson(decoded.flatMap((item) => item.notes)).sort((a, b) => (a.lessonId < b.lessonId ? -1 : 1));
}

function shown(note: ReplicatedLessonNote | undefined): string | undefined {
  return note && currentNote(note.notes);
}

/** Text that compresses about as badly as real prose can (deterministic). */
function prose(seed: number, length: number): string {
  let state = seed;
  let text = '';
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    text += CHARACTER_TABLE[state % CHARACTER_TABLE.length];
  }
  return text;
}

describe('the lesson note item format', () => {
  const NOW = Date.UTC(2026, 2, 1, 8);

  test('round-trips notes saved before versions were kept, concurrent versions and lessons with an unusual URL', async () => {
    const old = toReplicatedLessonNote({ lessonId: '100001', lesson: lesson('100001'), note: '早年的笔记', createdAt: NOW - 86_400_000, updatedAt: NOW - 3_600_000 });
    const concurrent: ReplicatedLessonNote = {
      lessonId: '100002',
      lesson: { ...lesson('100002'), url: 'https://time.geekbang.org/column/article/100002?from=app', lessonTitle: '' },
      createdAt: NOW,
      notes: [
        { text: '家里', stamp: formatStamp(NOW + 5, 0, 'homeprofile1'), seen: { homeprofile1: 2, workprofile1: 1 } },
        { text: '公司', stamp: formatStamp(NOW + 4, 3, 'workprofile1'), seen: { workprofile1: 2 } },
      ],
    };

    const { notes, json } = await decodeLessonNoteItem(await itemValue(lessonNotesJson([concurrent, old])), NOW);

    expect(notes).toEqual([old, concurrent]);
    expect(json).toBe(lessonNotesJson([old, concurrent]));
  });

  test('refuses an item that is not a lesson note item, in words', async () => {
    const highlightsShaped = await itemValue(JSON.stringify([0, [], [], []]));
    await expect(decodeLessonNoteItem(highlightsShaped, NOW)).rejects.toThrow('not a lesson note item');
    await expect(decodeLessonNoteItem(42, NOW)).rejects.toThrow('not a string');
    const noVersions = await itemValue(JSON.stringify([[], [[['100001', '', ''], '0', []]]]));
    await expect(decodeLessonNoteItem(noVersions, NOW)).rejects.toThrow('lesson note 100001: no note versions');
  });
});

describe('lesson notes through browser sync', () => {
  test('a lesson note written in one profile appears in another, in an item of its own', async () => {
    const world = new SyncWorld(['alpha', 'bravo']);
    world.edit('alpha', (store) => store.create({ lesson: lesson('100001'), target: TARGET }));
    const written = world.edit('alpha', (store) => store.writeLessonNote(lesson('100001'), '这一讲：超时 → 重试 → 幂等'));

    await world.advance(LOCAL_BATCH_MS);
    await world.carry();

    expect(world.profile('bravo').store.lessonNote('100001')).toEqual(written);
    expect(Object.keys(world.cloud.server()).filter(isLessonNoteKey)).toEqual(['n1:0']);
    expect(await areaLessonNotes(world.cloud.server(), world.now())).toEqual([written]);
    expect(world.profile('alpha').status()).toMatchObject({ lastError: null, pendingChanges: 0 });
  });

  test('a clear (an edit to empty text) travels and replaces the text', async () => {
    const world = new SyncWorld(['alpha', 'bravo']);
    world.edit('alpha', (store) => store.writeLessonNote(lesson('100001'), '先写着'));
    await world.settle();
    world.time += 1_000;

    world.edit('alpha', (store) => store.writeLessonNote(lesson('100001'), ''));
    await world.settle();

    const note = world.profile('bravo').store.lessonNote('100001');
    expect(shown(note)).toBe('');
    expect(note!.notes).toHaveLength(1);
  });

  test('concurrent edits written over each other by the browser end with both texts as versions in every profile', async () => {
    const world = new SyncWorld(['alpha', 'bravo', 'charlie']);
    world.edit('alpha', (store) => store.writeLessonNote(lesson('100001'), '原文'));
    await world.settle();

    world.edit('alpha', (store) => store.writeLessonNote(lesson('100001'), '公司里改的'));
    world.edit('bravo', (store) => store.writeLessonNote(lesson('100001'), '家里改的'));
    world.edit('charlie', (store) => store.writeLessonNote(lesson('100002'), '另一讲'));
    await world.advance(LOCAL_BATCH_MS); // all three write n1:0, none has seen the others'
    await world.carry(); // the server keeps one write per key: two profiles' notes are gone from the area
    await world.settle();

    const expected = world.profile('charlie').store.allLessonNotes();
    expect(expected.map((note) => note.lessonId)).toEqual(['100001', '100002']);
    expect(expected[0]!.notes.map((version) => version.text).sort()).toEqual(['公司里改的', '家里改的']);
    for (const profile of world.all()) expect(profile.store.allLessonNotes(), profile.name).toEqual(expected);
    expect(await areaLessonNotes(world.cloud.server(), world.now())).toEqual(expected);
  });

  test('an item planted without a profile\'s note (a stale overwrite) is written again with it', async () => {
    const world = new SyncWorld(['alpha', 'bravo']);
    const mine = world.edit('alpha', (store) => store.writeLessonNote(lesson('100001'), '我的'));
    await world.settle();

    // Another device's old write wins at the server: an item holding an unrelated note only.
    const other: ReplicatedLessonNote = {
      lessonId: '100009',
      lesson: lesson('100009'),
      createdAt: world.now(),
      notes: [{ text: '旧设备的', stamp: formatStamp(world.now(), 0, 'olddevice01'), seen: { olddevice01: 1 } }],
    };
    world.cloud.plant('n1:0', await itemValue(lessonNotesJson([other])));
    await world.settle();

    for (const profile of world.all()) {
      expect(profile.store.lessonNote('100001'), profile.name).toEqual(mine);
      expect(shown(profile.store.lessonNote('100009')), profile.name).toBe('旧设备的');
    }
    expect((await areaLessonNotes(world.cloud.server(), world.now())).map((note) => note.lessonId)).toEqual(['100001', '100009']);
  });

  test('a damaged lesson note item is reported in words, merges nothing, and is written over', async () => {
    const world = new SyncWorld(['alpha', 'bravo']);
    world.edit('alpha', (store) => store.writeLessonNote(lesson('100001'), '好的'));
    await world.settle();
    const tomorrow = world.now() + 2 * 86_400_000;
    const hostile: ReplicatedLessonNote = { lessonId: '100002', lesson: lesson('100002'), createdAt: world.now(), notes: [{ text: '未来', stamp: formatStamp(tomorrow, 0, 'hostile0001'), seen: { hostile0001: 1 } }] };
    world.cloud.plant('n1:1', await itemValue(lessonNotesJson([hostile])));
    await world.carry();

    const status = await world.profile('bravo').sync.syncNow();
    await world.settle();

    expect(status.lastError).toMatch(/damaged item.*n1:1: lesson note 100002: a change is dated .*more than 24 hours ahead/);
    expect(world.profile('bravo').store.lessonNote('100002')).toBeUndefined();
    expect(shown(world.profile('bravo').store.lessonNote('100001'))).toBe('好的');
    expect(world.cloud.server()['n1:1']).toBeUndefined();
  });

  test('over quota: the most recent lesson notes are carried, the message counts the rest, and nothing is deleted', async () => {
    const world = new SyncWorld(['alpha', 'bravo']);
    const lessonIds = Array.from({ length: 14 }, (_, i) => String(100_001 + i));
    for (const [index, id] of lessonIds.entries()) {
      world.edit('alpha', (store) => store.writeLessonNote(lesson(id), prose(index + 1, 3_000)));
      world.time += 1_000;
    }
    // One note too long for any item, written last.
    world.edit('alpha', (store) => store.writeLessonNote(lesson('200001'), prose(99, 10_000)));
    world.edit('alpha', (store) => store.create({ lesson: lesson('100001'), target: TARGET, note: '划线也要走' }));
    await world.settle();

    const alpha = world.profile('alpha');
    expect(alpha.store.allLessonNotes()).toHaveLength(15);
    const message = alpha.status()?.lastError ?? '';
    const [, carried] = /Browser sync carries (\d+) of 15 lesson notes; lesson notes may take a quarter of the 100 KB the browser allows, and 1 is too long for the browser's 8 KB an item\. .*Nothing was deleted/.exec(message) ?? [];
    expect(Number(carried)).toBeGreaterThan(0);
    expect(Number(carried)).toBeLessThan(14);

    const server = world.cloud.server();
    const total = Object.entries(server).reduce((sum, [key, value]) => sum + itemBytes(key, value), 0);
    expect(total).toBeLessThanOrEqual(SYNC_LIMITS.quotaBytes);
    for (const [key, value] of Object.entries(server)) expect(itemBytes(key, value)).toBeLessThanOrEqual(SYNC_LIMITS.quotaBytesPerItem);
    // The most recent ones went; the older ones stayed home, as did the highlight's room.
    const bravo = world.profile('bravo').store;
    expect(bravo.allLessonNotes().map((note) => note.lessonId)).toEqual(lessonIds.slice(-Number(carried)));
    expect(bravo.all().map((record) => record.notes[0]!.text)).toEqual(['划线也要走']);
  });

  test('with the real databases, a note written and cleared in one profile reaches the other, and the area then stays quiet', async () => {
    let now = Date.UTC(2026, 2, 1, 8);
    const cloud = createSyncCloud(() => now);
    const profiles = ['alpha', 'bravo'].map((name) => {
      const db = openDb(`browser-sync-notes-${name}-${crypto.randomUUID()}`);
      const area = cloud.profile(name);
      // Passes run only when the test asks (syncNow), so every write is accounted for.
      const sync = createBrowserSync({ area, store: createLocalSyncStore(db, { now: () => now }), status: { write: async () => undefined }, now: () => now, schedule: () => () => undefined });
      return { db, area, sync };
    });
    const [alpha, bravo] = profiles as [(typeof profiles)[0], (typeof profiles)[0]];
    const round = async () => {
      for (const profile of profiles) {
        now += MIN_WRITE_GAP_MS;
        await profile.sync.syncNow();
        cloud.upload();
        cloud.download();
        await cloud.idle();
      }
    };
    try {
      await saveLessonNote(alpha.db, lesson('100001'), '写了又删', now);
      await saveLessonNote(alpha.db, lesson('100002'), '留着的', now);
      await saveLessonNote(alpha.db, lesson('100001'), '', now + 1);
      await round();
      await round();
      expect((await getLessonNote(bravo.db, '100001'))?.note).toBe('');
      expect((await getLessonNote(bravo.db, '100002'))?.note).toBe('留着的');

      // Both hold the same notes, the cleared one included: no profile has anything to write any more.
      const writes = alpha.area.writeTimes.length + bravo.area.writeTimes.length;
      await round();
      await round();
      expect(alpha.area.writeTimes.length + bravo.area.writeTimes.length).toBe(writes);
      expect(await areaLessonNotes(cloud.server(), now)).toEqual(await createLocalSyncStore(bravo.db).exportLessonNotes());
    } finally {
      for (const { db } of profiles) {
        db.close();
        await Dexie.delete(db.name);
      }
    }
  });
});
