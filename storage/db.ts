/**
 * The extension's one IndexedDB database. It lives in the extension's origin
 * and only the background service worker opens it; every other context asks
 * through `storage/protocol.ts`.
 */
import { Dexie, type EntityTable, type Transaction } from 'dexie';
import { AnnotationRows, LESSON_ROWS_SCHEMA, rowsOf, type LessonRow } from './annotation-rows';
import type { Annotation, LessonNote } from './model';

/** Name of the database in the extension's origin. */
export const DB_NAME = 'lesson-highlighter';

/**
 * An annotation as stored: the record plus `syncSeq`, the local change
 * counter at its last change, which transports page through (`changesSince`).
 * Optional only because records can be put by hand (tests); the repository
 * and the version 2 upgrade always set it.
 */
export interface StoredAnnotation extends Annotation {
  syncSeq?: number;
}

/**
 * The local change counter at a lesson note's last change (schema version
 * 4), which transports page through (`changesSince`). Kept beside the note
 * rather than in it: notes are handed whole to pages and exports, and two
 * profiles holding the same note must hold equal records.
 */
export interface LessonNoteSeq {
  lessonId: string;
  syncSeq: number;
}

/** Keys of the `meta` table (see storage/sync/replica.ts). */
export type MetaKey = 'replicaId' | 'clock' | 'sequence';

/** One key-value entry of this profile's sync state; values are checked when read. */
export interface MetaEntry {
  key: MetaKey;
  value: unknown;
}

/** One schema version: its stores, and how to bring the data of the version before up to it. */
interface SchemaVersion {
  version: number;
  stores: Record<string, string | null>;
  upgrade?: (tx: Transaction) => Promise<void>;
}

/**
 * Every schema version, oldest first. Released versions are never edited: a
 * change is a new entry (with an `.upgrade()` and a test that fills the old
 * version, reopens with the new one and checks the data).
 *
 * Indexes are what the popup, library and sync query: a lesson's highlights
 * (`lesson.lessonId`), recent activity (`updatedAt`) and the changes since a
 * sequence number (`syncSeq`). `deletedAt` is
 * not indexed: IndexedDB cannot index `null`, and tombstones are filtered in
 * memory after narrowing by lesson.
 *
 * Version 2 (sync, issue #5) adds `syncSeq`, so transports can ask for the
 * changes since a sequence number, and the `meta` key-value table holding
 * the replica id, the hybrid logical clock and the last sequence number.
 *
 * Version 3 drops the indexes no query uses (`color`, `createdAt`,
 * `[lesson.lessonId+updatedAt]`): every index is written on every put, and
 * merging 10,000 synced annotations spent a third of its time on those three.
 * Records are untouched, so it needs no upgrade function.
 *
 * Version 4 (issue #5: lesson notes travel through browser sync and the
 * server too) adds `lessonNoteSeqs`, the sequence number of each lesson
 * note's last change, in its own table so the note records stay as they
 * were (see {@link LessonNoteSeq}). Lesson notes share the annotations'
 * counter (`meta.sequence`) rather than having their own, so a transport
 * keeps one cursor per way of syncing; the upgrade numbers the existing
 * notes after every sequence already handed out, so a transport whose
 * cursor is past every annotation still carries them on its next run.
 *
 * Version 5 stores annotations one row per lesson (`lessonRows`, see
 * storage/annotation-rows.ts for why and how): the upgrade groups every
 * record, unchanged, into its lesson's row. Version 6 then drops the old
 * `annotations` table; it is a separate version because Dexie lets an
 * upgrade read a table only if a later version deletes it.
 */
export const SCHEMA_VERSIONS: readonly SchemaVersion[] = [
  {
    version: 1,
    stores: {
      annotations: 'id, lesson.lessonId, updatedAt, color, createdAt, [lesson.lessonId+updatedAt]',
      lessonNotes: 'lessonId, updatedAt',
    },
  },
  {
    version: 2,
    stores: {
      annotations: 'id, lesson.lessonId, updatedAt, color, createdAt, [lesson.lessonId+updatedAt], syncSeq',
      meta: 'key',
    },
    upgrade: numberExistingChanges,
  },
  {
    version: 3,
    stores: {
      annotations: 'id, lesson.lessonId, updatedAt, syncSeq',
    },
  },
  {
    version: 4,
    stores: {
      lessonNoteSeqs: 'lessonId, syncSeq',
    },
    upgrade: numberExistingLessonNotes,
  },
  {
    version: 5,
    stores: {
      lessonRows: LESSON_ROWS_SCHEMA,
    },
    upgrade: groupByLesson,
  },
  {
    version: 6,
    stores: {
      annotations: null,
    },
  },
];

/**
 * Gives every record written before sync a sequence number (oldest edit
 * first), so the first `changesSince(0)` of a transport carries them. Their
 * merge stamps are synthesized from `updatedAt` when they are converted.
 */
async function numberExistingChanges(tx: Transaction): Promise<void> {
  let sequence = 0;
  await tx
    .table<StoredAnnotation, string>('annotations')
    .orderBy('updatedAt')
    .modify((record) => {
      sequence += 1;
      record.syncSeq = sequence;
    });
  await tx.table<MetaEntry, MetaKey>('meta').put({ key: 'sequence', value: sequence });
}

/**
 * Gives every lesson note a sequence number after the last one handed out
 * (oldest edit first), so each transport's next `changesSince` carries them.
 */
async function numberExistingLessonNotes(tx: Transaction): Promise<void> {
  const meta = tx.table<MetaEntry, MetaKey>('meta');
  const stored = (await meta.get('sequence'))?.value;
  let sequence = Number.isSafeInteger(stored) ? Number(stored) : 0;
  const notes = await tx.table<LessonNote, string>('lessonNotes').orderBy('updatedAt').toArray();
  const numbered = notes.map((note): LessonNoteSeq => ({ lessonId: note.lessonId, syncSeq: (sequence += 1) }));
  await tx.table<LessonNoteSeq, string>('lessonNoteSeqs').bulkPut(numbered);
  await meta.put({ key: 'sequence', value: sequence });
}

/** Moves every annotation, unchanged, into its lesson's row (version 5). */
async function groupByLesson(tx: Transaction): Promise<void> {
  const records = await tx.table<StoredAnnotation, string>('annotations').toArray();
  await tx.table<LessonRow, string>('lessonRows').bulkAdd(rowsOf(records));
}

/** The typed database. */
export class LessonHighlighterDb extends Dexie {
  /** Highlights and notes, tombstones included (sync needs to see deletions), by id and by lesson. */
  readonly annotations: AnnotationRows;
  /** The rows {@link annotations} keeps them in, one per lesson; name it in transactions. */
  lessonRows!: EntityTable<LessonRow, 'lessonId'>;
  /** One page-level note per lesson. */
  lessonNotes!: EntityTable<LessonNote, 'lessonId'>;
  /** The sequence number of each lesson note's last change (sync, issue #5). */
  lessonNoteSeqs!: EntityTable<LessonNoteSeq, 'lessonId'>;
  /** This profile's sync state: replica id, clock, last sequence number. */
  meta!: EntityTable<MetaEntry, 'key'>;

  constructor(name: string = DB_NAME) {
    super(name);
    this.annotations = new AnnotationRows(this);
    for (const { version, stores, upgrade } of SCHEMA_VERSIONS) {
      const declared = this.version(version).stores(stores);
      if (upgrade) declared.upgrade(upgrade);
    }
  }
}

/**
 * Creates a handle on the database; Dexie opens it on first use. Tests pass a
 * unique `name` so each gets a fresh, empty database.
 */
export function openDb(name: string = DB_NAME): LessonHighlighterDb {
  return new LessonHighlighterDb(name);
}
