import { Dexie } from 'dexie';
import { afterEach, describe, expect, test } from 'vitest';
import { updateAnnotation } from '../../storage/annotations';
import type { LessonRow } from '../../storage/annotation-rows';
import { openDb, SCHEMA_VERSIONS, type LessonHighlighterDb, type StoredAnnotation } from '../../storage/db';
import { saveLessonNote } from '../../storage/lesson-notes';
import type { Annotation, LessonNote } from '../../storage/model';
import { createLocalSyncStore } from '../../storage/sync/local-store';
import { toReplicated } from '../../storage/sync/replicated';
import { NOW, SAMPLE_ANNOTATIONS, SAMPLE_NOTES } from '../fixtures/export/sample-library';

const DAY = 86_400_000;

/** The sample library plus a tombstone and an orphan, as version 1 stored them (no sync metadata). */
const V1_ANNOTATIONS: Annotation[] = [
  ...SAMPLE_ANNOTATIONS,
  {
    ...SAMPLE_ANNOTATIONS[1]!,
    id: '00000000-0000-4000-8000-000000000006',
    note: '删掉了',
    updatedAt: NOW - 7 * DAY,
    deletedAt: NOW - 7 * DAY,
  },
];

let db: LessonHighlighterDb | undefined;
let name = '';

/** Writes `annotations` and the sample lesson notes with the version 1 schema only, then closes it. */
async function fillVersion1(annotations: readonly Annotation[], lessonNotes: readonly LessonNote[] = SAMPLE_NOTES): Promise<void> {
  name = `upgrade-${crypto.randomUUID()}`;
  const v1 = new Dexie(name);
  v1.version(1).stores(SCHEMA_VERSIONS[0]!.stores);
  await v1.table('annotations').bulkAdd([...annotations]);
  await v1.table('lessonNotes').bulkAdd([...lessonNotes]);
  v1.close();
}

afterEach(async () => {
  db?.close();
  await Dexie.delete(name);
});

describe('upgrading the database from version 1 to version 2 (sync)', () => {
  test('keeps every record as it was and numbers them, oldest edit first, so the first sync carries them all', async () => {
    await fillVersion1(V1_ANNOTATIONS);

    db = openDb(name);
    const byAge = [...V1_ANNOTATIONS].sort((a, b) => a.updatedAt - b.updatedAt);

    for (const [index, original] of byAge.entries()) {
      expect(await db.annotations.get(original.id)).toEqual({ ...original, syncSeq: index + 1 });
    }
    expect(db.isOpen() && db.verno).toBe(SCHEMA_VERSIONS.at(-1)!.version);
    expect(await db.annotations.count()).toBe(V1_ANNOTATIONS.length);
    expect(await db.lessonNotes.toArray()).toEqual(SAMPLE_NOTES);
    // Version 4 numbers the lesson notes after the annotations (one counter for both).
    expect(await db.meta.get('sequence')).toEqual({ key: 'sequence', value: V1_ANNOTATIONS.length + SAMPLE_NOTES.length });
  });

  test('after the upgrade, transports see every record and later edits continue the numbering', async () => {
    await fillVersion1(V1_ANNOTATIONS);
    db = openDb(name);
    const store = createLocalSyncStore(db, { now: () => NOW });

    const all = await store.changesSince(0);
    const edited = await updateAnnotation(db, SAMPLE_ANNOTATIONS[0]!.id, { color: 'green' }, NOW);

    expect(all.sequence).toBe(V1_ANNOTATIONS.length + SAMPLE_NOTES.length);
    expect(all.records.map((record) => record.id).sort()).toEqual(V1_ANNOTATIONS.map((a) => a.id).sort());
    expect(all.lessonNotes.map((note) => note.lessonId)).toEqual(SAMPLE_NOTES.map((note) => note.lessonId));
    expect(all.records.find((record) => record.id.endsWith('6'))?.deleted.value).toBe(NOW - 7 * DAY);
    expect((await db.annotations.get(edited.id))?.syncSeq).toBe(all.sequence + 1);
    // Fields the edit left alone keep the stamps synthesized from the old updatedAt.
    const before = toReplicated(SAMPLE_ANNOTATIONS[0]!);
    expect(edited.sync).toMatchObject({ tags: before.tags.stamp, deleted: before.deleted.stamp, notes: before.notes });
  });

  test('an empty version 1 database upgrades to an empty version 2 one', async () => {
    await fillVersion1([], []);
    db = openDb(name);

    expect(await db.annotations.count()).toBe(0);
    expect(await createLocalSyncStore(db).changesSince(0)).toEqual({ records: [], lessonNotes: [], sequence: 0 });
  });
});

describe('an upgrade that throws', () => {
  /** The real schema, plus a next version whose upgrade rewrites some records and then fails. */
  function withFailingNextVersion(dbName: string): Dexie {
    const next = new Dexie(dbName);
    for (const { version, stores, upgrade } of SCHEMA_VERSIONS) {
      const declared = next.version(version).stores(stores);
      if (upgrade) declared.upgrade(upgrade);
    }
    next
      .version(SCHEMA_VERSIONS.length + 1)
      .stores({})
      .upgrade(async (tx) => {
        let seen = 0;
        await tx.table('lessonRows').toCollection().modify((row: LessonRow) => {
          for (const record of row.records) record.note = 'half-written';
          seen += 1;
          if (seen === 3) throw new Error('disk went away in the middle of the upgrade');
        });
      });
    return next;
  }

  test('fails to open, and leaves the previous version and every record readable as it was', async () => {
    await fillVersion1(V1_ANNOTATIONS);
    // First the real upgrade to the current version succeeds…
    db = openDb(name);
    const current = await db.annotations.toArray();
    const currentRows = await db.lessonRows.toArray();
    expect(currentRows.length).toBeGreaterThanOrEqual(3);
    const currentNotes = await db.lessonNotes.toArray();
    db.close();

    // …then a failing next version must not take the data with it.
    const failing = withFailingNextVersion(name);
    await expect(failing.open()).rejects.toThrow(/disk went away/);
    failing.close();

    // Opened without a declared schema (how a recovery export would read it):
    // still the current version, every record exactly as before, nothing half-written.
    const recovered = new Dexie(name);
    await recovered.open();
    expect(recovered.verno).toBe(SCHEMA_VERSIONS.length);
    expect(await recovered.table('lessonRows').toArray()).toEqual(currentRows);
    expect(await recovered.table('lessonNotes').toArray()).toEqual(currentNotes);
    recovered.close();

    // And the current code opens it as if nothing had happened.
    db = openDb(name);
    expect(await db.annotations.toArray()).toEqual(current);
  });
});

describe('upgrading from version 2 to version 3 (unused indexes dropped)', () => {
  test('keeps every record, its sequence number and the sync state, and the queries still find them', async () => {
    name = `upgrade-${crypto.randomUUID()}`;
    const v2 = new Dexie(name);
    v2.version(1).stores(SCHEMA_VERSIONS[0]!.stores);
    v2.version(2).stores(SCHEMA_VERSIONS[1]!.stores);
    const stored = V1_ANNOTATIONS.map((annotation, index) => ({ ...toV2(annotation), syncSeq: index + 1 }));
    await v2.table('annotations').bulkAdd(stored);
    await v2.table('lessonNotes').bulkAdd([...SAMPLE_NOTES]);
    const meta = [
      { key: 'replicaId', value: 'home7x2k9q' },
      { key: 'clock', value: { wall: NOW, counter: 3 } },
      { key: 'sequence', value: stored.length },
    ];
    await v2.table('meta').bulkAdd(meta);
    v2.close();

    db = openDb(name);
    expect(await db.annotations.toArray()).toEqual([...stored].sort((a, b) => a.id.localeCompare(b.id)));
    expect(await db.lessonNotes.toArray()).toEqual(SAMPLE_NOTES);
    // Version 4 then numbers the lesson notes after the last sequence.
    expect(await db.meta.toArray()).toEqual(expect.arrayContaining([...meta.slice(0, 2), { key: 'sequence', value: stored.length + SAMPLE_NOTES.length }]));
    // The queries the product makes still find them.
    const lessonId = stored[0]!.lesson.lessonId;
    expect(await db.annotations.ofLesson(lessonId)).toHaveLength(stored.filter((a) => a.lesson.lessonId === lessonId).length);
    expect(await db.annotations.changedSince(2)).toHaveLength(stored.length - 2);
    const oldest = Math.min(...stored.map((a) => a.updatedAt));
    expect((await db.annotations.recent(stored.length, () => true)).at(-1)?.updatedAt).toBe(oldest);
  });
});

describe('upgrading from version 3 to version 4 (lesson notes travel through sync)', () => {
  /** A version 3 database holding the sample library, whose transports have carried every change up to `sequence`. */
  async function fillVersion3(sequence: number, lessonNotes: readonly LessonNote[]): Promise<void> {
    name = `upgrade-${crypto.randomUUID()}`;
    const v3 = new Dexie(name);
    for (const { version, stores } of SCHEMA_VERSIONS.filter((entry) => entry.version <= 3)) v3.version(version).stores(stores);
    await v3.table('annotations').bulkAdd(V1_ANNOTATIONS.map((annotation, index) => ({ ...toV2(annotation), syncSeq: index + 1 })));
    await v3.table('lessonNotes').bulkAdd([...lessonNotes]);
    await v3.table('meta').bulkAdd([
      { key: 'replicaId', value: 'home7x2k9qab' },
      { key: 'clock', value: { wall: NOW, counter: 3 } },
      { key: 'sequence', value: sequence },
    ]);
    v3.close();
  }

  const OLDER_NOTE: LessonNote = { ...SAMPLE_NOTES[0]!, lessonId: '100002', lesson: { ...SAMPLE_NOTES[0]!.lesson, lessonId: '100002', url: 'https://time.geekbang.org/column/article/100002' }, note: '更早写的', updatedAt: SAMPLE_NOTES[0]!.updatedAt - DAY };

  test('keeps every lesson note as it was, and a transport already past every annotation carries them next time', async () => {
    // Sequence 40: transports' cursors may be anywhere up to it (merges number changes too).
    await fillVersion3(40, [...SAMPLE_NOTES, OLDER_NOTE]);
    db = openDb(name);
    const store = createLocalSyncStore(db, { now: () => NOW });

    expect(await db.lessonNotes.orderBy('lessonId').toArray()).toEqual([...SAMPLE_NOTES, OLDER_NOTE].sort((a, b) => a.lessonId.localeCompare(b.lessonId)));
    const changes = await store.changesSince(40);
    expect(changes.records).toEqual([]);
    // Oldest edit first, after the last sequence handed out.
    expect(changes.lessonNotes.map((note) => note.lessonId)).toEqual(['100002', ...SAMPLE_NOTES.map((note) => note.lessonId)]);
    expect(await db.lessonNoteSeqs.get('100002')).toEqual({ lessonId: '100002', syncSeq: 41 });
    expect(changes.sequence).toBe(40 + 1 + SAMPLE_NOTES.length);
    expect(changes.lessonNotes.find((note) => note.lessonId === '100002')?.notes[0]?.text).toBe('更早写的');
  });

  test('a lesson note saved after the upgrade continues the shared numbering and is the only change after it', async () => {
    await fillVersion3(40, SAMPLE_NOTES);
    db = openDb(name);
    const store = createLocalSyncStore(db, { now: () => NOW });
    const { sequence } = await store.changesSince(0);

    await saveLessonNote(db, SAMPLE_NOTES[0]!.lesson, '升级之后改的', NOW + 1000);

    const after = await store.changesSince(sequence);
    expect(after).toMatchObject({ records: [], sequence: sequence + 1 });
    expect(after.lessonNotes.map((note) => note.notes[0]?.text)).toEqual(['升级之后改的']);
  });
});

describe('upgrading from version 4 to version 6 (annotations stored one row per lesson)', () => {
  /** The sample library, each record with its sequence number, as version 4 stored it. */
  const STORED: StoredAnnotation[] = V1_ANNOTATIONS.map((annotation, index) => ({ ...toV2(annotation), syncSeq: index + 1 }));

  async function fillVersion4(records: readonly StoredAnnotation[]): Promise<void> {
    name = `upgrade-${crypto.randomUUID()}`;
    const v4 = new Dexie(name);
    for (const { version, stores } of SCHEMA_VERSIONS.filter((entry) => entry.version <= 4)) v4.version(version).stores(stores);
    await v4.table('annotations').bulkAdd([...records]);
    await v4.table('lessonNotes').bulkAdd([...SAMPLE_NOTES]);
    await v4.table('meta').bulkAdd([
      { key: 'replicaId', value: 'home7x2k9qab' },
      { key: 'clock', value: { wall: NOW, counter: 3 } },
      { key: 'sequence', value: records.length },
    ]);
    v4.close();
  }

  test('moves every record, unchanged, into its lesson\'s row and drops the old table', async () => {
    await fillVersion4(STORED);
    db = openDb(name);

    expect(await db.annotations.toArray()).toEqual([...STORED].sort((a, b) => a.id.localeCompare(b.id)));
    expect(db.tables.map((table) => table.name)).not.toContain('annotations');
    const lessons = [...new Set(STORED.map((record) => record.lesson.lessonId))];
    expect((await db.lessonRows.toCollection().primaryKeys()).sort()).toEqual(lessons.sort());
    for (const lessonId of lessons) {
      const expected = STORED.filter((record) => record.lesson.lessonId === lessonId);
      const row = (await db.lessonRows.get(lessonId))!;
      expect(row.records).toEqual(expected);
      expect(row.ids).toEqual(expected.map((record) => record.id));
      expect(row.syncSeq).toBe(Math.max(...expected.map((record) => record.syncSeq!)));
      expect(row.updatedAt).toBe(Math.max(...expected.map((record) => record.updatedAt)));
    }
    for (const record of STORED) expect(await db.annotations.get(record.id)).toEqual(record);
    expect(await db.meta.get('sequence')).toEqual({ key: 'sequence', value: STORED.length });
  });

  test('after the upgrade, transports see the same changes and an edit lands in its lesson\'s row', async () => {
    await fillVersion4(STORED);
    db = openDb(name);
    const store = createLocalSyncStore(db, { now: () => NOW });

    expect((await store.changesSince(0)).records.map((record) => record.id).sort()).toEqual(STORED.map((record) => record.id).sort());
    expect((await store.changesSince(STORED.length - 2)).records.map((record) => record.id)).toEqual(STORED.slice(-2).map((record) => record.id));

    const target = SAMPLE_ANNOTATIONS[0]!;
    await updateAnnotation(db, target.id, { note: '升级之后写的' }, NOW);
    const row = (await db.lessonRows.get(target.lesson.lessonId))!;
    expect(row.records.find((record) => record.id === target.id)?.note).toBe('升级之后写的');
    expect(row.syncSeq).toBe(STORED.length + 1);
    expect((await store.changesSince(STORED.length)).records.map((record) => record.id)).toEqual([target.id]);
  });
});

/** A version 1 record as version 2 stored it once edited: with its sync metadata. */
function toV2(annotation: Annotation): Annotation {
  const replicated = toReplicated(annotation);
  return { ...annotation, sync: { color: replicated.color.stamp, tags: replicated.tags.stamp, deleted: replicated.deleted.stamp, notes: replicated.notes } };
}
