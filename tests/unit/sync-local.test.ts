import { Dexie } from 'dexie';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  createAnnotation,
  deleteAnnotation,
  listLessonAnnotations,
  recordAnchorResults,
  restoreAnnotation,
  restoreNoteVersion,
  StorageError,
  updateAnnotation,
} from '../../storage/annotations';
import { openDb, type LessonHighlighterDb, type StoredAnnotation } from '../../storage/db';
import { handleRequest } from '../../storage/handlers';
import { HIGHLIGHT_COLORS, type Annotation, type HighlightColor } from '../../storage/model';
import { parseStamp } from '../../storage/sync/hlc';
import { createLocalSyncStore } from '../../storage/sync/local-store';
import { editNote, mergeNotes, type ReplicatedAnnotation } from '../../storage/sync/merge';
import { fromReplicated, toReplicated } from '../../storage/sync/replicated';
import type { SyncStore } from '../../storage/sync/sync-store';
import { collectTombstones } from '../../storage/sync/tombstones';
import { DAY, draft, dumpDb, LESSON, NOW, remoteState, stampAt } from '../fixtures/sync/sync-fixtures';

let db: LessonHighlighterDb;
let store: SyncStore;
let clock: number;

beforeEach(() => {
  db = openDb(`sync-${crypto.randomUUID()}`);
  clock = NOW;
  store = createLocalSyncStore(db, { now: () => clock });
});

afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

async function stored(id: string): Promise<StoredAnnotation> {
  const record = await db.annotations.get(id);
  if (!record) throw new Error(`no record ${id}`);
  return record;
}

describe('replica identity and clock', () => {
  test('a profile gets one random replica id of 12 lowercase letters and digits, kept across restarts', async () => {
    const id = await store.replicaId();
    db.close();
    const reopened = openDb(db.name);
    const other = openDb(`sync-${crypto.randomUUID()}`);

    expect(id).toMatch(/^[a-z0-9]{12}$/);
    expect(await createLocalSyncStore(reopened).replicaId()).toBe(id);
    expect(await createLocalSyncStore(other).replicaId()).not.toBe(id);
    reopened.close();
    await other.delete();
  });

  test("the clock survives a restart: an edit after the computer's clock stepped back still orders after earlier ones", async () => {
    const created = await createAnnotation(db, draft(0, '重试'), NOW);
    db.close();
    db = openDb(db.name);

    const edited = await updateAnnotation(db, created.id, { color: 'blue' }, NOW - 60_000);

    expect(edited.sync!.color > created.sync!.color).toBe(true);
    expect(parseStamp(edited.sync!.color)?.replica).toBe(await createLocalSyncStore(db).replicaId());
  });
});

describe('every local write is stamped', () => {
  test('a new highlight stamps every field with one stamp and its note is the first version', async () => {
    const created = await createAnnotation(db, draft(0, '幂等', '先想清楚重试'), NOW);
    const replica = await store.replicaId();
    const { color, tags, deleted, notes } = created.sync!;

    expect(parseStamp(color)).toEqual({ wall: NOW, counter: 0, replica });
    expect([tags, deleted, notes[0]!.stamp]).toEqual([color, color, color]);
    expect(notes).toEqual([{ text: '先想清楚重试', stamp: color, seen: { [replica]: 1 } }]);
    expect(await stored(created.id)).toEqual(created);
  });

  test('an edit stamps only the fields it changes; a note edit is a new version on top of the old one', async () => {
    const created = await createAnnotation(db, draft(0, '幂等', '旧'), NOW);
    const replica = await store.replicaId();

    const recolored = await updateAnnotation(db, created.id, { color: 'pink' }, NOW + 10);
    const renoted = await updateAnnotation(db, created.id, { note: '新' }, NOW + 20);

    expect(recolored.sync!.color).toBe(stampAt(NOW + 10, replica));
    expect(recolored.sync!.notes).toEqual(created.sync!.notes);
    expect(renoted.sync!.color).toBe(recolored.sync!.color);
    expect(renoted.sync!.notes).toEqual([{ text: '新', stamp: stampAt(NOW + 20, replica), seen: { [replica]: 2 } }]);
    expect(renoted).toMatchObject({ note: '新', color: 'pink', updatedAt: NOW + 20 });
  });

  test('each change gets the next sequence number, so transports can ask for what changed since', async () => {
    const first = await createAnnotation(db, draft(0, '一'), NOW);
    const second = await createAnnotation(db, draft(10, '二'), NOW);
    const { sequence } = await store.changesSince(0);
    await updateAnnotation(db, first.id, { tags: ['复习'] }, NOW + 1);

    const changes = await store.changesSince(sequence);

    expect([(await stored(second.id)).syncSeq, sequence]).toEqual([2, 2]);
    expect(changes.sequence).toBe(3);
    expect(changes.records.map((record) => [record.id, record.tags.value])).toEqual([[first.id, ['复习']]]);
  });

  test('deleting and undoing stamp the tombstone register', async () => {
    const created = await createAnnotation(db, draft(0, '删'), NOW);

    const deleted = await deleteAnnotation(db, created.id, NOW + 5);
    const restored = await restoreAnnotation(db, created.id, NOW + 9);

    expect(toReplicated(deleted).deleted).toEqual({ value: NOW + 5, stamp: expect.stringMatching(/^0*\d+-000000-/) });
    expect(parseStamp(deleted.sync!.deleted)?.wall).toBe(NOW + 5);
    expect(toReplicated(restored).deleted.value).toBeNull();
    expect(restored.sync!.deleted > deleted.sync!.deleted).toBe(true);
    expect((await store.changesSince(0)).sequence).toBe(3);
    expect((await stored(created.id)).syncSeq).toBe(3);
  });

  test('saving a note unchanged, or changing nothing, writes nothing and keeps conflict versions', async () => {
    const created = await createAnnotation(db, draft(0, '不变', '同一句'), NOW);

    const saved = await updateAnnotation(db, created.id, { note: '同一句', color: 'yellow', tags: [] }, NOW + 1);

    expect(saved).toEqual(created);
    expect((await store.changesSince(0)).sequence).toBe(1);
  });

  test('recording anchor results is not an edit: no stamp and no new sequence number', async () => {
    const created = await createAnnotation(db, draft(0, '找不到了'), NOW);

    await recordAnchorResults(db, LESSON.lessonId, [{ id: created.id, status: 'orphan' }]);

    expect(await stored(created.id)).toEqual({ ...created, anchorStatus: 'orphan' });
    expect((await store.changesSince(1)).records).toEqual([]);
  });

  test('a highlight written before sync gets stamps from updatedAt, the same on every conversion, and real ones when edited', async () => {
    const legacy: Annotation = { ...(await createAnnotation(db, draft(0, '旧记录', '旧笔记'), NOW)), updatedAt: NOW - DAY };
    delete legacy.sync;
    await db.annotations.put(legacy);

    const replicated = toReplicated(legacy);
    const edited = await updateAnnotation(db, legacy.id, { color: 'green' }, NOW);

    expect(replicated).toEqual(toReplicated({ ...legacy }));
    for (const stamp of [replicated.color.stamp, replicated.tags.stamp, replicated.notes[0]!.stamp]) {
      expect(parseStamp(stamp)?.wall).toBe(NOW - DAY);
    }
    expect(replicated.notes).toEqual([{ text: '旧笔记', stamp: expect.any(String), seen: {} }]);
    expect(edited.sync).toMatchObject({ tags: replicated.tags.stamp, notes: replicated.notes });
    expect(parseStamp(edited.sync!.color)).toMatchObject({ wall: NOW, replica: await store.replicaId() });
  });
});

describe('the replicated form', () => {
  test('converts back to the same record, keeping whether it could be put on the page', async () => {
    const created = await createAnnotation(db, draft(0, '往返', '笔记'), NOW);
    const { syncSeq: _syncSeq, ...record } = { ...(await stored(created.id)), anchorStatus: 'orphan' as const };
    const orphan: Annotation = record;

    expect(fromReplicated(toReplicated(orphan), orphan)).toEqual(record);
    expect(fromReplicated(toReplicated(orphan)).anchorStatus).toBe('unknown');
  });

  test('shows the latest version as the note and the latest stamp as updatedAt', () => {
    const remote = remoteState(crypto.randomUUID(), NOW, '第一版');
    const later = { ...remote, tags: { value: ['标签'], stamp: stampAt(NOW + 500) } };

    expect(fromReplicated(later)).toMatchObject({ note: '第一版', tags: ['标签'], updatedAt: NOW + 500, color: 'green' });
  });
});

describe('merging remote states', () => {
  test('a highlight from another profile is stored, shown in its lesson and carried on; merging it again changes nothing', async () => {
    const remote = remoteState(crypto.randomUUID(), NOW - 1000, '别处写的');

    expect(await store.mergeRemote([remote])).toEqual({ changed: 1 });
    const before = await dumpDb(db);
    expect(await store.mergeRemote([remote, remote])).toEqual({ changed: 0 });

    expect(await dumpDb(db)).toBe(before);
    const [listed] = await listLessonAnnotations(db, LESSON.lessonId);
    expect(listed).toMatchObject({ id: remote.id, note: '别处写的', color: 'green', anchorStatus: 'unknown' });
    expect((await store.changesSince(0)).records).toEqual([remote]);
  });

  test('concurrent edits of different fields on two profiles both survive', async () => {
    const remote = remoteState(crypto.randomUUID(), NOW - 1000);
    await store.mergeRemote([remote]);
    await updateAnnotation(db, remote.id, { color: 'purple' }, NOW);
    const noted = { ...remote, notes: editNote(remote.notes, '那边加的笔记', stampAt(NOW + 1), 'remoteprofil') };

    await store.mergeRemote([noted]);

    expect(await stored(remote.id)).toMatchObject({ color: 'purple', note: '那边加的笔记' });
  });

  test('the same note edited on two profiles shows the later text and keeps the other as a conflict version to restore', async () => {
    const remote = remoteState(crypto.randomUUID(), NOW - 1000, '原文');
    await store.mergeRemote([remote]);
    await updateAnnotation(db, remote.id, { note: '这里改的' }, NOW);
    const there = { ...remote, notes: editNote(remote.notes, '那边改的', stampAt(NOW + 1), 'remoteprofil') };

    await store.mergeRemote([there]);
    const merged = await stored(remote.id);

    expect(merged.note).toBe('那边改的');
    expect(merged.sync!.notes.slice(1).map((version) => version.text)).toEqual(['这里改的']);
    const restored = await restoreNoteVersion(db, remote.id, merged.sync!.notes[1]!.stamp, NOW + 2);
    expect(restored.note).toBe('这里改的');
    // The replaced text stays as a conflict version, so the reader can swap back.
    expect(restored.sync!.notes.map((version) => version.text)).toEqual(['这里改的', '那边改的']);
    // The other profile, still holding both versions, takes the restore as it is.
    const [ours] = (await store.changesSince(merged.syncSeq!)).records;
    expect(mergeNotes(ours!.notes, merged.sync!.notes)).toEqual(ours!.notes);
  });

  test('editing a note that has a conflict version keeps that version; restoring the shown note dismisses it', async () => {
    const remote = remoteState(crypto.randomUUID(), NOW - 1000, '原文');
    await store.mergeRemote([remote]);
    await updateAnnotation(db, remote.id, { note: '这里改的' }, NOW);
    await store.mergeRemote([{ ...remote, notes: editNote(remote.notes, '那边改的', stampAt(NOW + 1), 'remoteprofil') }]);

    // The reader edits the shown note ("那边改的") without opening the other version: it must not vanish.
    const edited = await updateAnnotation(db, remote.id, { note: '那边改的，再补一句' }, NOW + 2);
    expect(edited.sync!.notes.map((version) => version.text)).toEqual(['那边改的，再补一句', '这里改的']);

    // "Keep only the current note": the one way the other version goes.
    const kept = await restoreNoteVersion(db, remote.id, edited.sync!.notes[0]!.stamp, NOW + 3);
    expect(kept.note).toBe('那边改的，再补一句');
    expect(kept.sync!.notes).toHaveLength(1);
  });

  test('restoring a note version that is no longer there is refused in words', async () => {
    const created = await createAnnotation(db, draft(0, '版本'), NOW);

    const refusal = restoreNoteVersion(db, created.id, stampAt(NOW - 5));

    await expect(refusal).rejects.toBeInstanceOf(StorageError);
    await expect(refusal).rejects.toThrow(/version of the note is no longer there/);
  });

  test('a request to restore a version with a malformed stamp is refused before it reaches the database', async () => {
    const created = await createAnnotation(db, draft(0, '版本'), NOW);

    const answer = await handleRequest(db, { type: 'restoreNoteVersion', id: created.id, stamp: 'yesterday' });

    expect(answer).toEqual({ ok: false, error: 'Invalid request: stamp: stamp is not a note version stamp' });
  });

  test('a deletion wins over older edits, and an undo after it wins over the deletion', async () => {
    const remote = remoteState(crypto.randomUUID(), NOW - 1000);
    await store.mergeRemote([remote]);
    await updateAnnotation(db, remote.id, { color: 'blue' }, NOW);
    const deletedThere = { ...remote, deleted: { value: NOW + 10, stamp: stampAt(NOW + 10) } };

    await store.mergeRemote([deletedThere]);
    expect(await listLessonAnnotations(db, LESSON.lessonId)).toEqual([]);
    expect((await stored(remote.id)).color).toBe('blue');

    await restoreAnnotation(db, remote.id, NOW + 20);
    await store.mergeRemote([deletedThere]);
    expect((await stored(remote.id)).deletedAt).toBeNull();
  });

  test('a highlight missing from a remote batch is never taken as deleted', async () => {
    const mine = await createAnnotation(db, draft(0, '只在这里'), NOW);

    await store.mergeRemote([remoteState(crypto.randomUUID(), NOW)]);
    await store.mergeRemote([]);

    expect(await stored(mine.id)).toEqual(mine);
    expect((await store.exportReplicated()).map((record) => record.id)).toContain(mine.id);
  });

  test('remote stamps move the clock: a local edit afterwards orders after them even if this computer is behind', async () => {
    const remote = remoteState(crypto.randomUUID(), NOW + 3_600_000);
    await store.mergeRemote([remote]);

    const edited = await updateAnnotation(db, remote.id, { color: 'pink' }, NOW);

    expect(edited.sync!.color > remote.color.stamp).toBe(true);
    expect(edited.color).toBe('pink');
  });

  test('one malformed record refuses the whole batch in words, and nothing is written', async () => {
    await createAnnotation(db, draft(0, '已有'), NOW);
    const before = await dumpDb(db);
    const good = remoteState(crypto.randomUUID(), NOW);
    const bad = { ...remoteState(crypto.randomUUID(), NOW), color: { value: 'red', stamp: stampAt(NOW) } };

    // @ts-expect-error: a transport could receive anything
    const refusal = store.mergeRemote([good, bad]);

    await expect(refusal).rejects.toThrow(/malformed, so nothing was merged: record 2 \(id [0-9a-f-]+\): color\.value/);
    expect(await dumpDb(db)).toBe(before);
  });

  test('a stamp more than 24 hours ahead is refused, so no profile can drag the clock into the future', async () => {
    await createAnnotation(db, draft(0, '已有'), NOW);
    const before = await dumpDb(db);
    const soon = remoteState(crypto.randomUUID(), NOW + 23 * 3_600_000);
    const tooLate = remoteState(crypto.randomUUID(), NOW + 25 * 3_600_000);

    await expect(store.mergeRemote([soon, tooLate])).rejects.toThrow(/more than 24 hours ahead/);
    expect(await dumpDb(db)).toBe(before);
    expect(await store.mergeRemote([soon])).toEqual({ changed: 1 });
  });

  test('changesSince answers everything for a cursor of 0 or one from the future (a replaced database)', async () => {
    await createAnnotation(db, draft(0, '一'), NOW);
    await store.mergeRemote([remoteState(crypto.randomUUID(), NOW)]);

    const all = await store.changesSince(0);

    expect(all).toMatchObject({ sequence: 2 });
    expect(all.records).toHaveLength(2);
    expect((await store.changesSince(2)).records).toEqual([]);
    expect((await store.changesSince(99)).records).toHaveLength(2);
  });

  test('merges 10,000 remote annotations in one transaction', { timeout: 60_000 }, async () => {
    const records = Array.from({ length: 10_000 }, (_, i) => remoteState(crypto.randomUUID(), NOW - i, `笔记 ${i}`));

    expect(await store.mergeRemote(records)).toEqual({ changed: 10_000 });
    expect(await db.annotations.count()).toBe(10_000);
    expect(await store.mergeRemote(records)).toEqual({ changed: 0 });
  });
});

describe('collecting tombstones', () => {
  test('removes highlights deleted more than 90 days ago and keeps newer tombstones and live ones', async () => {
    const old = await createAnnotation(db, draft(0, '很久以前删的'), NOW - 200 * DAY);
    const recent = await createAnnotation(db, draft(10, '最近删的'), NOW - 200 * DAY);
    const live = await createAnnotation(db, draft(20, '还在'), NOW - 200 * DAY);
    await deleteAnnotation(db, old.id, NOW - 91 * DAY);
    await deleteAnnotation(db, recent.id, NOW - 89 * DAY);

    expect(await collectTombstones(db, NOW)).toEqual({ removed: 1 });
    expect((await db.annotations.toArray()).map((record) => record.id).sort()).toEqual([recent.id, live.id].sort());
  });
});

describe('three profiles syncing through changesSince and mergeRemote', () => {
  const REPLICA_IDS = ['replicaalpha', 'replicabravo', 'replicacharl'] as const;
  const profile = fc.nat(2);
  const pick = fc.nat(11);

  type Operation =
    | { type: 'create'; at: number; note: string }
    | { type: 'color'; at: number; pick: number; color: HighlightColor }
    | { type: 'note'; at: number; pick: number; note: string }
    | { type: 'tags'; at: number; pick: number; tags: string[] }
    | { type: 'delete' | 'restore'; at: number; pick: number }
    | { type: 'restoreVersion'; at: number; pick: number; version: number }
    | { type: 'send'; from: number; to: number; duplicate: boolean }
    | { type: 'deliver'; to: number; reversed: boolean }
    | { type: 'lose'; to: number };

  // Weighted towards note edits and deliveries, so concurrent edits of one note are common.
  const operation: fc.Arbitrary<Operation> = fc.oneof(
    { weight: 1, arbitrary: fc.record({ type: fc.constant('create' as const), at: profile, note: fc.string({ maxLength: 4 }) }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('color' as const), at: profile, pick, color: fc.constantFrom(...HIGHLIGHT_COLORS) }) },
    { weight: 5, arbitrary: fc.record({ type: fc.constant('note' as const), at: profile, pick, note: fc.string({ maxLength: 4 }) }) },
    {
      weight: 1,
      arbitrary: fc.record({ type: fc.constant('tags' as const), at: profile, pick, tags: fc.array(fc.constantFrom('复习', '重点'), { maxLength: 2 }) }),
    },
    { weight: 2, arbitrary: fc.record({ type: fc.constantFrom('delete' as const, 'restore' as const), at: profile, pick }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('restoreVersion' as const), at: profile, pick, version: fc.nat(3) }) },
    { weight: 4, arbitrary: fc.record({ type: fc.constant('send' as const), from: profile, to: profile, duplicate: fc.boolean() }) },
    { weight: 4, arbitrary: fc.record({ type: fc.constant('deliver' as const), to: profile, reversed: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('lose' as const), to: profile }) },
  );

  /** One simulated browser profile: its own database, store, clock skew and cursors. */
  interface Profile {
    db: LessonHighlighterDb;
    store: SyncStore;
    skew: number;
    /** Per peer: the sequence number up to which changes were sent to it. */
    sentUpTo: number[];
    inbox: ReplicatedAnnotation[][];
  }

  /** Note versions written, and those an editor held (and so knowingly replaced) when writing a new one. */
  interface NoteLedger {
    written: Map<string, { id: string; text: string }>;
    replaced: Set<string>;
  }

  async function noteEdit(p: Profile, id: string, ledger: NoteLedger, edit: () => Promise<unknown>): Promise<void> {
    const held = (await p.db.annotations.get(id))?.sync?.notes.map((version) => version.stamp) ?? [];
    try {
      await edit();
    } catch (error) {
      // Editing a deleted highlight is refused, as the reader would see.
      if (error instanceof StorageError) return;
      throw error;
    }
    const [current] = (await p.db.annotations.get(id))!.sync!.notes;
    if (held.includes(current!.stamp)) return;
    for (const stamp of held) ledger.replaced.add(stamp);
    ledger.written.set(current!.stamp, { id, text: current!.text });
  }

  async function apply(profiles: Profile[], op: Operation, now: number, ledger: NoteLedger): Promise<void> {
    if (op.type === 'send') {
      const from = profiles[op.from]!;
      const { records, sequence } = await from.store.changesSince(from.sentUpTo[op.to]!);
      from.sentUpTo[op.to] = sequence;
      profiles[op.to]!.inbox.push(records, ...(op.duplicate ? [records] : []));
      return;
    }
    if (op.type === 'lose') return void profiles[op.to]!.inbox.shift();
    if (op.type === 'deliver') {
      const p = profiles[op.to]!;
      const batches = p.inbox.splice(0);
      for (const batch of op.reversed ? batches.reverse() : batches) await p.store.mergeRemote(batch);
      return;
    }
    const p = profiles[op.at]!;
    const at = now + p.skew;
    if (op.type === 'create') {
      const created = await createAnnotation(p.db, draft(op.note.length, `原文${op.note}`, op.note), at);
      ledger.written.set(created.sync!.notes[0]!.stamp, { id: created.id, text: op.note });
      return;
    }
    const ids = (await p.db.annotations.toArray()).map((record) => record.id).sort();
    const id = ids[op.pick % Math.max(ids.length, 1)];
    if (id === undefined) return;
    const refusedIfDeleted = async (write: () => Promise<unknown>) => write().catch((error: unknown) => {
      if (!(error instanceof StorageError)) throw error;
    });
    if (op.type === 'color') await refusedIfDeleted(() => updateAnnotation(p.db, id, { color: op.color }, at));
    if (op.type === 'tags') await refusedIfDeleted(() => updateAnnotation(p.db, id, { tags: op.tags }, at));
    if (op.type === 'delete') await deleteAnnotation(p.db, id, at);
    if (op.type === 'restore') await restoreAnnotation(p.db, id, at);
    if (op.type === 'note') await noteEdit(p, id, ledger, () => updateAnnotation(p.db, id, { note: op.note }, at));
    if (op.type === 'restoreVersion') {
      const versions = (await p.db.annotations.get(id))!.sync!.notes;
      const stamp = versions[op.version % versions.length]!.stamp;
      await noteEdit(p, id, ledger, () => restoreNoteVersion(p.db, id, stamp, at));
    }
  }

  async function openProfiles(skews: readonly number[], clock: { now: number }): Promise<Profile[]> {
    return Promise.all(
      REPLICA_IDS.map(async (replicaId, i) => {
        const profileDb = openDb(`profile-${crypto.randomUUID()}`);
        await profileDb.meta.put({ key: 'replicaId', value: replicaId });
        const skew = skews[i]!;
        const profileStore = createLocalSyncStore(profileDb, { now: () => clock.now + skew });
        return { db: profileDb, store: profileStore, skew, sentUpTo: [0, 0, 0], inbox: [] };
      }),
    );
  }

  test('converge to the same records through lost, duplicated and reordered batches, and keep every note not knowingly replaced', { timeout: 30_000 }, async () => {
    const skews = fc.array(fc.integer({ min: -5_000, max: 5_000 }), { minLength: 3, maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(skews, fc.array(operation, { maxLength: 50 }), async (skewList, operations) => {
        const clock = { now: NOW };
        const profiles = await openProfiles(skewList, clock);
        const ledger: NoteLedger = { written: new Map(), replaced: new Set() };
        try {
          // Two highlights every profile already has, so edits of the same one meet.
          for (const note of ['共同的', '']) await apply(profiles, { type: 'create', at: 0, note }, clock.now, ledger);
          for (const to of [1, 2]) {
            await apply(profiles, { type: 'send', from: 0, to, duplicate: false }, clock.now, ledger);
            await apply(profiles, { type: 'deliver', to, reversed: false }, clock.now, ledger);
          }
          for (const op of operations) {
            clock.now += 7;
            await apply(profiles, op, clock.now, ledger);
          }
          // Everyone eventually hears everything from everyone (a full exchange, twice).
          for (let round = 0; round < 2; round++) {
            for (const to of profiles) {
              for (const from of profiles) await to.store.mergeRemote((await from.store.changesSince(0)).records);
            }
          }
          const finals = await Promise.all(
            profiles.map(async (p) => (await p.store.exportReplicated()).sort((a, b) => (a.id < b.id ? -1 : 1))),
          );
          expect(finals[1]).toEqual(finals[0]);
          expect(finals[2]).toEqual(finals[0]);
          const kept = new Set(finals[0]!.flatMap((record) => record.notes.map((version) => version.stamp)));
          for (const [stamp, { text }] of ledger.written) {
            if (!ledger.replaced.has(stamp)) expect(kept.has(stamp), `note "${text}" was lost`).toBe(true);
          }
        } finally {
          for (const p of profiles) {
            p.db.close();
            await Dexie.delete(p.db.name);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
