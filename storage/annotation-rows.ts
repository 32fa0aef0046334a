/**
 * Annotations are stored one row per lesson (schema version 5): a row holds
 * every annotation of its lesson, tombstones included.
 *
 * Why not one row per annotation, as before: in Chromium every IndexedDB
 * put is a separate request with a fixed cost, and merging 10,000 synced
 * annotations (issue #5: under 1 s) spent 0.9–1.1 s writing 10,000 rows —
 * 0.55 s of it is what Chromium needs to write 10,000 rows of anything.
 * Grouped by lesson (about ten per lesson), the same data is 1,000 rows and
 * writes in ~0.2 s. The lesson is also how the page reads (one row per
 * lesson opened) and how the popup and library group; what gets dearer is a
 * single edit, which rewrites its lesson's row (a few KB; hundreds of KB for
 * a lesson with hundreds of long notes).
 *
 * {@link AnnotationRows} is the one way in: every other module reads and
 * writes annotations through it, by id or by lesson, and never sees rows.
 * Its writes run in a read-write transaction over `lessonRows` (joining the
 * caller's, if any), so a read-modify-write of a row is atomic.
 */
import type { LessonHighlighterDb, StoredAnnotation } from './db';

/** One lesson's annotations, as stored in the `lessonRows` table. */
export interface LessonRow {
  /** The primary key: `lesson.lessonId` of every record in the row. */
  lessonId: string;
  /** Every annotation of the lesson, tombstones included, in no particular order. */
  records: StoredAnnotation[];
  /** The records' ids; a multi-entry index on it finds the row holding an id. */
  ids: string[];
  /** The highest `syncSeq` of the records: a transport reads the rows above its cursor. */
  syncSeq: number;
  /** The latest `updatedAt` of the records: "most recent first" reads rows newest first. */
  updatedAt: number;
}

/** Above this many ids (or lessons) to look up, the whole index (or key list) is read rather than each looked up. */
const KEY_SCAN_THRESHOLD = 200;

/** The schema of the `lessonRows` table (see storage/db.ts). */
export const LESSON_ROWS_SCHEMA = 'lessonId, *ids, syncSeq, updatedAt';

/**
 * The row key of a record: its lesson id. A record without one (which no
 * version of the extension writes, but an upgrade must not fail on) goes to
 * a row of its own kind, keyed by the empty string, rather than being dropped.
 */
function lessonKeyOf(record: StoredAnnotation): string {
  const lessonId = (record.lesson as Partial<StoredAnnotation['lesson']> | undefined)?.lessonId;
  return typeof lessonId === 'string' ? lessonId : '';
}

/** Rows for `records`, grouped by lesson (the schema version 5 upgrade, and tests). */
export function rowsOf(records: readonly StoredAnnotation[]): LessonRow[] {
  const byLesson = new Map<string, StoredAnnotation[]>();
  for (const record of records) {
    const key = lessonKeyOf(record);
    const list = byLesson.get(key);
    if (list) list.push(record);
    else byLesson.set(key, [record]);
  }
  return [...byLesson].map(([lessonId, list]) => rowFrom(lessonId, list));
}

/** A finite number, or 0: a row's index fields must stay valid keys whatever a record holds. */
const finite = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

function rowFrom(lessonId: string, records: StoredAnnotation[]): LessonRow {
  let syncSeq = 0;
  let updatedAt = 0;
  for (const record of records) {
    syncSeq = Math.max(syncSeq, finite(record.syncSeq));
    updatedAt = Math.max(updatedAt, finite(record.updatedAt));
  }
  return { lessonId, records, ids: records.map((record) => record.id), syncSeq, updatedAt };
}

/** Orders records by id, as a table keyed by id would list them. */
function byId(a: StoredAnnotation, b: StoredAnnotation): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Most recently updated first; ties broken by id, descending (the old index order, reversed). */
export function newestFirst(a: StoredAnnotation, b: StoredAnnotation): number {
  return b.updatedAt - a.updatedAt || byId(b, a);
}

/** The records a write may touch, as {@link AnnotationRows.edit} hands them to its callback. */
export interface LoadedRecords {
  /** The stored record with `id`, if it was among those asked for. */
  get(id: string): StoredAnnotation | undefined;
  /** Stores `record` (in its lesson's row), replacing the one with its id. */
  put(record: StoredAnnotation): void;
}

/** The rows a write touches, loaded once, edited in memory, written back once. */
class RowEdits implements LoadedRecords {
  private readonly rows = new Map<string, LessonRow>();
  /** Which loaded row holds each id, and where in its `records`. */
  private readonly homes = new Map<string, { lessonId: string; index: number }>();
  private readonly changed = new Set<string>();

  add(row: LessonRow): void {
    if (this.rows.has(row.lessonId)) return;
    this.rows.set(row.lessonId, row);
    row.records.forEach((record, index) => this.homes.set(record.id, { lessonId: row.lessonId, index }));
  }

  has(id: string): boolean {
    return this.homes.has(id);
  }

  get(id: string): StoredAnnotation | undefined {
    const home = this.homes.get(id);
    return home && this.rows.get(home.lessonId)!.records[home.index];
  }

  /** Puts `record` in its lesson's row, taking it out of another row that held it. */
  put(record: StoredAnnotation): void {
    const lessonId = lessonKeyOf(record);
    const home = this.homes.get(record.id);
    if (home && home.lessonId === lessonId) {
      this.rows.get(lessonId)!.records[home.index] = record;
      this.changed.add(lessonId);
      return;
    }
    if (home) this.remove(record.id);
    let row = this.rows.get(lessonId);
    if (!row) {
      row = rowFrom(lessonId, []);
      this.rows.set(lessonId, row);
    }
    this.homes.set(record.id, { lessonId, index: row.records.push(record) - 1 });
    this.changed.add(lessonId);
  }

  remove(id: string): void {
    const home = this.homes.get(id);
    if (!home) return;
    const row = this.rows.get(home.lessonId)!;
    const last = row.records.pop()!;
    if (last.id !== id) {
      row.records[home.index] = last;
      this.homes.set(last.id, home);
    }
    this.homes.delete(id);
    this.changed.add(home.lessonId);
  }

  /** The changed rows to write, and the keys of rows left empty (to delete). */
  result(): { put: LessonRow[]; emptied: string[] } {
    const put: LessonRow[] = [];
    const emptied: string[] = [];
    for (const lessonId of this.changed) {
      const { records } = this.rows.get(lessonId)!;
      if (records.length === 0) emptied.push(lessonId);
      else put.push(rowFrom(lessonId, records));
    }
    return { put, emptied };
  }
}

/** The annotations of the database, by id and by lesson, over rows of one lesson each. */
export class AnnotationRows {
  constructor(private readonly db: LessonHighlighterDb) {}

  /** The record with `id`, deleted or not; undefined if there is none. */
  async get(id: string): Promise<StoredAnnotation | undefined> {
    const row = await this.db.lessonRows.where('ids').equals(id).first();
    return row?.records.find((record) => record.id === id);
  }

  /** Every record of a lesson, tombstones included, in no particular order. */
  async ofLesson(lessonId: string): Promise<StoredAnnotation[]> {
    return (await this.db.lessonRows.get(lessonId))?.records ?? [];
  }

  /** Every record, tombstones included, ordered by id. */
  async toArray(): Promise<StoredAnnotation[]> {
    const rows = await this.db.lessonRows.toArray();
    return rows.flatMap((row) => row.records).sort(byId);
  }

  /** How many records there are, tombstones included. */
  async count(): Promise<number> {
    let count = 0;
    await this.db.lessonRows.each((row) => {
      count += row.records.length;
    });
    return count;
  }

  /** The records changed after sequence number `since`, oldest change first. */
  async changedSince(since: number): Promise<StoredAnnotation[]> {
    const rows = await this.db.lessonRows.where('syncSeq').above(since).toArray();
    return rows
      .flatMap((row) => row.records.filter((record) => (record.syncSeq ?? 0) > since))
      .sort((a, b) => (a.syncSeq ?? 0) - (b.syncSeq ?? 0));
  }

  /**
   * The `limit` most recently updated records that `keep` accepts, newest
   * first. Rows are read newest first and reading stops once `limit` kept
   * records are strictly newer than the next row's newest: no record in it
   * or after it can be among them (one exactly as new could be, by the id
   * that breaks ties).
   */
  async recent(limit: number, keep: (record: StoredAnnotation) => boolean): Promise<StoredAnnotation[]> {
    const found: StoredAnnotation[] = [];
    // The `limit` newest edit times seen so far: enough once the oldest of them is newer than the next row.
    const newest = new MinHeap(limit);
    await this.db.lessonRows
      .orderBy('updatedAt')
      .reverse()
      .until((row) => newest.full() && newest.min() > row.updatedAt)
      .each((row) => {
        for (const record of row.records) {
          if (!keep(record)) continue;
          found.push(record);
          newest.offer(record.updatedAt);
        }
      });
    return found.sort(newestFirst).slice(0, limit);
  }

  /**
   * Loads the records with `ids` (looking first in the rows of `lessonIds`,
   * the lessons they claim), lets `edit` read and change them, and writes the
   * changed rows back: one read and one write, in one read-write transaction
   * (joining the caller's). Answers what `edit` answers.
   */
  edit<T>(ids: readonly string[], lessonIds: readonly string[], edit: (records: LoadedRecords) => T): Promise<T> {
    return this.write(ids, lessonIds, edit);
  }

  /** Stores `record`, replacing the one with its id. */
  put(record: StoredAnnotation): Promise<void> {
    return this.bulkPut([record]);
  }

  /** Stores a new record; refuses one whose id is taken. */
  add(record: StoredAnnotation): Promise<void> {
    return this.write([record.id], [record.lesson.lessonId], (edits) => {
      if (edits.has(record.id)) throw new Error(`An annotation with id ${record.id} is already stored.`);
      edits.put(record);
    });
  }

  /** Stores `records`, each replacing the one with its id, in one write per lesson touched. */
  bulkPut(records: readonly StoredAnnotation[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    const ids = records.map((record) => record.id);
    const lessonIds = records.map((record) => record.lesson.lessonId);
    return this.write(ids, lessonIds, (edits) => records.forEach((record) => edits.put(record)));
  }

  /** Changes some fields of the record with `id`; answers 1, or 0 if there is none. */
  async update(id: string, changes: Partial<StoredAnnotation>): Promise<number> {
    let updated = 0;
    await this.write([id], [], (edits) => {
      const record = edits.get(id);
      if (!record) return;
      edits.put({ ...record, ...changes });
      updated = 1;
    });
    return updated;
  }

  /** Removes the records with `ids` for good (tombstone collection); unknown ids are ignored. */
  bulkDelete(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return Promise.resolve();
    return this.write(ids, [], (edits) => ids.forEach((id) => edits.remove(id)));
  }

  /**
   * Loads the rows holding `ids` (looking first in the rows of `lessonIds`),
   * lets `edit` change them in memory, and writes the changed rows back, in
   * one read-write transaction.
   */
  private write<T>(ids: readonly string[], lessonIds: readonly string[], edit: (edits: RowEdits) => T): Promise<T> {
    return this.db.transaction('rw', this.db.lessonRows, async () => {
      const edits = await this.load(ids, lessonIds);
      const answer = edit(edits);
      const { put, emptied } = edits.result();
      if (put.length > 0) await this.db.lessonRows.bulkPut(put);
      if (emptied.length > 0) await this.db.lessonRows.bulkDelete(emptied);
      return answer;
    });
  }

  /**
   * The stored rows of `lessonIds`. For many (a large merge, often of
   * lessons this profile has never seen) the stored keys are read first, in
   * one request, and only the rows that exist are asked for, instead of a
   * round trip for each of 1,000 lessons that mostly are not there.
   */
  private async storedRows(lessonIds: readonly string[]): Promise<LessonRow[]> {
    const rows = this.db.lessonRows;
    let wanted = lessonIds;
    if (lessonIds.length > KEY_SCAN_THRESHOLD) {
      const stored = new Set(await rows.toCollection().primaryKeys());
      wanted = lessonIds.filter((lessonId) => stored.has(lessonId));
    }
    return wanted.length === 0 ? [] : (await rows.bulkGet([...wanted])).filter((row) => row !== undefined);
  }

  private async load(ids: readonly string[], lessonIds: readonly string[]): Promise<RowEdits> {
    const edits = new RowEdits();
    for (const row of await this.storedRows([...new Set(lessonIds)])) edits.add(row);
    // Ids not in the rows of their lessons are new, or (never in honest data)
    // stored under another lesson: the index says which rows hold any of
    // them, reading keys only, and just those rows are read.
    let elsewhere = [...new Set(ids.filter((id) => !edits.has(id)))];
    if (elsewhere.length > KEY_SCAN_THRESHOLD) {
      // Many (a second device's first sync): one pass over the index's keys
      // beats looking each up — Chromium prefetches a plain cursor's keys,
      // while a cursor jumping from key to key makes a round trip each time
      // (10,000 new ids beside 10,000 stored: ~0.15 s instead of ~1.2 s).
      const stored = new Set(await this.db.lessonRows.orderBy('ids').keys());
      elsewhere = elsewhere.filter((id) => stored.has(id));
    }
    if (elsewhere.length > 0) {
      const holders = [...new Set(await this.db.lessonRows.where('ids').anyOf(elsewhere).primaryKeys())];
      for (const row of await this.db.lessonRows.bulkGet(holders)) if (row) edits.add(row);
    }
    return edits;
  }
}

/** The `capacity` largest numbers offered so far, smallest on top (a binary min-heap). */
class MinHeap {
  private readonly items: number[] = [];

  constructor(private readonly capacity: number) {}

  full(): boolean {
    return this.items.length >= this.capacity;
  }

  min(): number {
    return this.items[0] ?? -Infinity;
  }

  offer(value: number): void {
    const items = this.items;
    if (this.capacity <= 0) return;
    if (items.length < this.capacity) {
      items.push(value);
      for (let i = items.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (items[parent]! <= items[i]!) break;
        [items[parent], items[i]] = [items[i]!, items[parent]!];
        i = parent;
      }
      return;
    }
    if (value <= items[0]!) return;
    items[0] = value;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < items.length && items[left]! < items[smallest]!) smallest = left;
      if (right < items.length && items[right]! < items[smallest]!) smallest = right;
      if (smallest === i) break;
      [items[smallest], items[i]] = [items[i]!, items[smallest]!];
      i = smallest;
    }
  }
}
