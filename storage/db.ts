/**
 * The extension's one IndexedDB database. It lives in the extension's origin
 * and only the background service worker opens it; every other context asks
 * through `storage/protocol.ts`.
 */
import { Dexie, type EntityTable } from 'dexie';
import type { Annotation, LessonNote } from './model';

/** Name of the database in the extension's origin. */
export const DB_NAME = 'lesson-highlighter';

/**
 * Every schema version, oldest first. Released versions are never edited: a
 * change is a new entry (with an `.upgrade()` and a test that fills the old
 * version, reopens with the new one and checks the data).
 *
 * Indexes are what the popup and library query: a lesson's highlights
 * (`lesson.lessonId`), recent activity (`updatedAt`, and per lesson through
 * the compound index), filtering by color, and creation order. `deletedAt` is
 * not indexed: IndexedDB cannot index `null`, and tombstones are filtered in
 * memory after narrowing by lesson.
 */
const SCHEMA_VERSIONS: ReadonlyArray<{ version: number; stores: Record<string, string> }> = [
  {
    version: 1,
    stores: {
      annotations: 'id, lesson.lessonId, updatedAt, color, createdAt, [lesson.lessonId+updatedAt]',
      lessonNotes: 'lessonId, updatedAt',
    },
  },
];

/** The typed database: one table of {@link Annotation} records keyed by `id`. */
export class LessonHighlighterDb extends Dexie {
  /** Highlights and notes, tombstones included (sync needs to see deletions). */
  annotations!: EntityTable<Annotation, 'id'>;
  /** One page-level note per lesson. */
  lessonNotes!: EntityTable<LessonNote, 'lessonId'>;

  constructor(name: string = DB_NAME) {
    super(name);
    for (const { version, stores } of SCHEMA_VERSIONS) this.version(version).stores(stores);
  }
}

/**
 * Creates a handle on the database; Dexie opens it on first use. Tests pass a
 * unique `name` so each gets a fresh, empty database.
 */
export function openDb(name: string = DB_NAME): LessonHighlighterDb {
  return new LessonHighlighterDb(name);
}
