import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { browser } from 'wxt/browser';
import { HIGHLIGHT_COLORS, LESSON_SITE, type AnnotationTarget, type LessonRef } from '../../storage/model';
import { LOCAL_BATCH_MS, REMOTE_SETTLE_MS, type SyncArea } from '../../storage/sync/browser-sync';
import { decodeItem, encodeItem, itemValue } from '../../storage/sync/browser-sync-codec';
import { CHARACTER_TABLE } from '../../storage/sync/browser-sync-hanzi';
import { bucketOf, isOwnKey, lastChange, SYNC_LIMITS } from '../../storage/sync/browser-sync-layout';
import { combineById } from '../../storage/sync/browser-sync-pass';
import { formatStamp } from '../../storage/sync/hlc';
import { mergeAnnotation, type ReplicatedAnnotation } from '../../storage/sync/merge';
import { CHROME_ERRORS } from '../fixtures/sync/fake-storage-sync';
import { SyncWorld } from '../fixtures/sync/browser-sync-world';
import { typicalAnnotations } from '../fixtures/sync/typical-annotations';

function lesson(lessonId: string): LessonRef {
  return { site: LESSON_SITE, lessonId, url: `https://${LESSON_SITE}/column/article/${lessonId}`, lessonTitle: '01 | 超时与重试', courseTitle: '分布式系统实战 45 讲' };
}

function target(exact: string, start = 0): AnnotationTarget {
  return {
    quote: { type: 'TextQuoteSelector', exact, prefix: '先讲一个我亲历过的故事。', suffix: '几年前，我所在的团队' },
    position: { type: 'TextPositionSelector', start, end: start + exact.length },
  };
}

/** Two lessons in the same bucket (so their annotations share items) and one in another. */
function lessonsSharingABucket(): [LessonRef, LessonRef, LessonRef] {
  const ids = Array.from({ length: 200 }, (_, i) => String(100_001 + i));
  const first = ids[0]!;
  const same = ids.find((id) => id !== first && bucketOf(id) === bucketOf(first))!;
  const other = ids.find((id) => bucketOf(id) !== bucketOf(first))!;
  return [lesson(first), lesson(same), lesson(other)];
}

/** Every annotation the area carries, merged. */
async function areaContents(items: Record<string, unknown>): Promise<ReplicatedAnnotation[]> {
  const own = Object.entries(items).filter(([key]) => isOwnKey(key));
  const decoded = await Promise.all(own.map(([, value]) => decodeItem(value)));
  return combineById(decoded.flatMap((item) => item.records)).sort((a, b) => (a.id < b.id ? -1 : 1));
}

describe('browser sync between profiles', () => {
  test('a highlight with a note made in one profile appears in another', async () => {
    const world = new SyncWorld(['alpha', 'bravo']);
    const made = world.edit('alpha', (store) => store.create({ lesson: lesson('100001'), target: target('超时并不等于失败'), color: 'green', note: '幂等键要和业务单号绑定' }));

    await world.advance(LOCAL_BATCH_MS);
    await world.carry();

    expect(world.profile('bravo').store.get(made.id)).toEqual(made);
    expect(world.profile('alpha').status()).toMatchObject({ way: 'browser', lastError: null, pendingChanges: 0, carried: 1, notCarried: 0 });
  });

  test('browser.storage.sync fits the area port as it is', () => {
    const area: SyncArea = browser.storage.sync;
    expect(area).toBeDefined();
  });

  test('two profiles writing the same item at once both end up with both highlights', async () => {
    const world = new SyncWorld(['alpha', 'bravo', 'charlie']);
    const [first, second] = lessonsSharingABucket();
    const fromAlpha = world.edit('alpha', (store) => store.create({ lesson: first, target: target('重试之前先问自己'), note: '家里写的' }));
    const fromBravo = world.edit('bravo', (store) => store.create({ lesson: second, target: target('所谓幂等'), note: '公司写的' }));
    await world.advance(LOCAL_BATCH_MS); // both write item b1:n, neither has seen the other's

    await world.carry(); // the server keeps bravo's write (uploaded last); alpha's copy is replaced
    await world.settle();

    for (const profile of world.all()) {
      expect(profile.store.all()).toEqual([fromAlpha, fromBravo].sort((a, b) => (a.id < b.id ? -1 : 1)));
    }
    expect(await areaContents(world.cloud.server())).toEqual(world.profile('charlie').store.all());
  });

  test('a deletion reaches the other profiles as a tombstone, and so does its undo', async () => {
    const world = new SyncWorld(['alpha', 'bravo']);
    const made = world.edit('alpha', (store) => store.create({ lesson: lesson('100002'), target: target('每个任期最多只有一个领导者') }));
    await world.settle();

    world.edit('bravo', (store) => store.remove(made.id));
    await world.settle();
    const deleted = world.profile('alpha').store.get(made.id)!;
    expect(deleted.deleted.value).toBe(world.profile('bravo').store.get(made.id)!.deleted.value);
    expect(deleted.deleted.value).not.toBeNull();

    world.edit('alpha', (store) => store.restore(made.id));
    await world.settle();
    expect(world.profile('bravo').store.get(made.id)!.deleted.value).toBeNull();
  });

  test('random edits and deliveries on three profiles converge on the merge of every edit, losing nothing', async () => {
    const lessons = lessonsSharingABucket();
    const profileIndex = fc.nat(2);
    const step = fc.oneof(
      fc.record({ type: fc.constant('create' as const), at: profileIndex, lesson: fc.nat(2), note: fc.string({ maxLength: 8 }) }),
      fc.record({ type: fc.constant('note' as const), at: profileIndex, pick: fc.nat(), text: fc.string({ minLength: 1, maxLength: 8 }) }),
      fc.record({ type: fc.constant('color' as const), at: profileIndex, pick: fc.nat(), color: fc.constantFrom(...HIGHLIGHT_COLORS) }),
      fc.record({ type: fc.constant('delete' as const), at: profileIndex, pick: fc.nat() }),
      fc.record({ type: fc.constant('restore' as const), at: profileIndex, pick: fc.nat() }),
      fc.record({ type: fc.constant('wait' as const), ms: fc.constantFrom(500, 3_000, 6_000) }),
      fc.record({ type: fc.constant('upload' as const), at: profileIndex }),
      fc.record({ type: fc.constant('download' as const), at: profileIndex, reverse: fc.boolean() }),
      fc.record({ type: fc.constant('syncNow' as const), at: profileIndex }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), async (steps) => {
        const names = ['alpha', 'bravo', 'charlie'];
        const world = new SyncWorld(names);
        for (const s of steps) {
          if (s.type === 'wait') {
            await world.advance(s.ms);
            continue;
          }
          const name = names[s.at]!;
          if (s.type === 'upload') world.cloud.upload(name);
          else if (s.type === 'download') world.cloud.download(name, { reverse: s.reverse });
          else if (s.type === 'syncNow') await world.profile(name).sync.syncNow();
          else if (s.type === 'create') world.edit(name, (store) => store.create({ lesson: lessons[s.lesson]!, target: target('超时并不等于失败'), note: s.note }));
          else {
            const known = world.profile(name).store.all();
            const record = known[s.pick % Math.max(1, known.length)];
            if (!record) continue;
            if (s.type === 'note') world.edit(name, (store) => store.editNote(record.id, s.text));
            if (s.type === 'color') world.edit(name, (store) => store.setColor(record.id, s.color));
            if (s.type === 'delete') world.edit(name, (store) => store.remove(record.id));
            if (s.type === 'restore') world.edit(name, (store) => store.restore(record.id));
          }
          await world.cloud.idle();
        }
        await world.settle();

        // The join of every state any profile ever made is what everyone must hold.
        const expected = new Map<string, ReplicatedAnnotation>();
        for (const state of world.all().flatMap((profile) => profile.store.edits)) {
          const known = expected.get(state.id);
          expected.set(state.id, known ? mergeAnnotation(known, state) : state);
        }
        const everything = [...expected.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
        for (const profile of world.all()) expect(profile.store.all()).toEqual(everything);
        expect(await areaContents(world.cloud.server())).toEqual(everything);
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});

describe('browser sync over quota', () => {
  test('carries the most recent annotations that fit, says so in words, and deletes nothing', async () => {
    const world = new SyncWorld(['alpha', 'bravo']);
    const alpha = world.profile('alpha');
    const bravo = world.profile('bravo');
    const library = typicalAnnotations({ count: 600, now: world.time - 60_000 });
    alpha.store.seed(library);
    // Bravo has a few old highlights of its own, older than all of alpha's.
    const bravosOwn = typicalAnnotations({ count: 3, seed: 2, now: world.time - 400 * 86_400_000, firstLessonId: 300_000 });
    bravo.store.seed(bravosOwn);

    const status = await alpha.sync.syncNow();
    const carried = status.carried!;
    expect(carried).toBeGreaterThan(250);
    expect(status).toMatchObject({ notCarried: 600 - carried, pendingChanges: 0 });
    expect(status.lastError).toBe(
      `Browser sync carries ${carried} of 600 annotations; the browser allows 100 KB. ` +
        'Set up a sync server in Options to carry all of them. Nothing was deleted: every annotation stays in this profile.',
    );
    expect(status.bytesUsed).toBeLessThanOrEqual(SYNC_LIMITS.quotaBytes);
    expect(alpha.store.all()).toHaveLength(600);

    await world.settle();
    const newest = [...library].sort((a, b) => (lastChange(a) > lastChange(b) ? -1 : 1)).slice(0, carried);
    const expectedAtBravo = [...newest, ...bravosOwn].map((r) => r.id).sort();
    expect(bravo.store.all().map((r) => r.id)).toEqual(expectedAtBravo);
    expect(bravo.status()?.notCarried).toBe(3);
    expect(alpha.store.all()).toHaveLength(600); // bravo's old ones did not fit either

    // Syncing goes on: a new highlight is carried, and the oldest carried one leaves the area but no database.
    const fresh = world.edit('alpha', (store) => store.create({ lesson: lesson('100003'), target: target('B+ 树的叶子节点通过指针相连'), note: '范围查询' }));
    await world.settle();
    expect(bravo.store.get(fresh.id)).toEqual(fresh);
    expect(bravo.store.all()).toHaveLength(expectedAtBravo.length + 1);
    expect(alpha.store.all()).toHaveLength(601);
    expect([...alpha.area.errors, ...bravo.area.errors]).toEqual([]);
  });

  test('an annotation too large for one item is left out, named in words, and the rest still sync', async () => {
    const world = new SyncWorld(['alpha', 'bravo']);
    const unit = () => CHARACTER_TABLE[Math.floor(Math.random() * CHARACTER_TABLE.length)]!;
    const long = Array.from({ length: 10_000 }, unit).join('');
    const huge = world.edit('alpha', (store) => store.create({ lesson: lesson('100001'), target: target('超时并不等于失败'), note: long }));
    const small = world.edit('alpha', (store) => store.create({ lesson: lesson('100001'), target: target('重试', 50), note: '短' }));

    await world.settle();

    expect(world.profile('alpha').status()).toMatchObject({ carried: 1, notCarried: 1 });
    expect(world.profile('alpha').status()?.lastError).toMatch(/^Browser sync carries 1 of 2 annotations; 1 has a note too long for the browser's 8 KB an item\./);
    expect(world.profile('bravo').store.get(small.id)).toEqual(small);
    expect(world.profile('bravo').store.get(huge.id)).toBeUndefined();
    expect(world.profile('alpha').store.get(huge.id)).toEqual(huge);
  });
});

describe('browser sync with a damaged area', () => {
  test('skips damaged and hostile items with a status in words, keeps the database clean, and writes over them', async () => {
    const world = new SyncWorld(['alpha', 'bravo']);
    const made = world.edit('alpha', (store) => store.create({ lesson: lesson('100001'), target: target('超时并不等于失败'), note: '好' }));
    await world.settle();
    const before = world.profile('bravo').store.all();
    const badRecord = ['not-a-uuid', 0, 0, 1, 'x', '', '', '0', 0, '0~0', [], '0~0', 0, '0~0', [['n', '0~0', []]]];
    const planted = {
      [`b1:${bucketOf('100001')}`]: 'garbage',
      'b1:20': 'not ours: bucket out of range', // not one of our keys: left alone
      [`b1:${(bucketOf('100001') + 1) % 16}`]: await itemValue(JSON.stringify([0, ['evil1234'], [['100009', 't', 'c']], [badRecord]])),
      [`b1:${(bucketOf('100001') + 2) % 16}`]: await itemValue(' '.repeat(3_000_000)), // inflates past the limit
      // Well-formed, but dated three days ahead: it would drag every clock into the future.
      [`b1:${(bucketOf('100001') + 3) % 16}`]: (await encodeItem([{ ...made, id: crypto.randomUUID(), color: { value: 'blue', stamp: formatStamp(world.time + 3 * 86_400_000, 0, 'evil1234') } }])).value,
    };
    for (const [key, value] of Object.entries(planted)) world.cloud.plant(key, value);
    await world.carry();

    const status = await world.profile('bravo').sync.syncNow();

    expect(status.lastError).toMatch(/^Browser sync skipped 4 damaged items in the browser's sync storage \(b1:\d+: .+\); this profile's annotations are written in its place\.$/);
    expect(world.profile('bravo').store.all()).toEqual(before);
    await world.settle();
    const items = world.cloud.server();
    expect(items['b1:20']).toBe('not ours: bucket out of range');
    expect(await areaContents(items)).toEqual([made]);
    expect((await world.profile('bravo').sync.syncNow()).lastError).toBeNull();
  });
});

describe('browser sync write rate', () => {
  test('ten minutes of continuous editing stays under the write limits and everything arrives', async () => {
    const world = new SyncWorld(['alpha', 'bravo']);
    const made = world.edit('alpha', (store) => store.create({ lesson: lesson('100001'), target: target('超时并不等于失败') }));
    for (let second = 1; second <= 600; second++) {
      world.edit('alpha', (store) => store.editNote(made.id, `第 ${second} 版`));
      await world.advance(1_000);
      if (second % 10 === 0) await world.carry();
    }
    await world.settle();

    const writes = world.profile('alpha').area.writeTimes;
    const perMinute = Math.max(...writes.map((t) => writes.filter((u) => u >= t && u < t + 60_000).length));
    expect(perMinute).toBeLessThanOrEqual(SYNC_LIMITS.maxWritesPerMinute / 4);
    expect(writes.length).toBeLessThanOrEqual(SYNC_LIMITS.maxWritesPerHour / 6); // in 10 minutes
    expect(world.profile('alpha').area.errors).toEqual([]);
    expect(world.profile('bravo').store.get(made.id)!.notes[0]!.text).toBe('第 600 版');
  }, 30_000);

  test('when the browser refuses a write for the minute, sync waits, says so, and then carries the change', async () => {
    const world = new SyncWorld(['alpha', 'bravo']);
    const alpha = world.profile('alpha');
    // Other code in this profile used up the minute's writes.
    alpha.area.writeTimes.push(...Array.from({ length: SYNC_LIMITS.maxWritesPerMinute }, () => world.time));
    const made = world.edit('alpha', (store) => store.create({ lesson: lesson('100001'), target: target('超时并不等于失败'), note: '稍后同步' }));

    const status = await alpha.sync.syncNow();
    expect(alpha.area.errors).toEqual([CHROME_ERRORS.perMinute]);
    expect(status.lastError).toBe('Browser sync is waiting a minute: the browser allows 120 writes a minute. Your changes are kept in this profile and sync then.');

    await world.advance(60_000 + REMOTE_SETTLE_MS);
    await world.carry();
    expect(world.profile('bravo').store.get(made.id)).toEqual(made);
    expect(alpha.status()?.lastError).toBeNull();
  });
});
