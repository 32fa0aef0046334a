/**
 * What every way of syncing (browser sync, a CouchDB server, an import file)
 * needs from the local database: the local state in replicated form, and a
 * way to merge remote states into it. Transports code against this port and
 * never touch Dexie themselves, so each can be tested with an in-memory one.
 *
 * Highlights and lesson notes (issue #5) travel together: one sequence
 * numbers the changes of both, and one merge takes both in one transaction.
 */
import type { ReplicatedAnnotation, ReplicatedLessonNote } from './merge';

/** The local changes after a sequence number, and the sequence number they bring the cursor to. */
export interface LocalChanges {
  records: ReplicatedAnnotation[];
  lessonNotes: ReplicatedLessonNote[];
  sequence: number;
}

export interface SyncStore {
  /** This profile's replica id (stable, random, never synced as a secret). */
  replicaId(): Promise<string>;
  /** Every annotation, tombstones included, in replicated form. */
  exportReplicated(): Promise<ReplicatedAnnotation[]>;
  /** Every lesson note, cleared ones (empty text) included, in replicated form. */
  exportLessonNotes(): Promise<ReplicatedLessonNote[]>;
  /** Replicated states of the annotations and lesson notes changed since `since` (a local sequence number), and the new sequence. */
  changesSince(since: number): Promise<LocalChanges>;
  /**
   * Merges remote states of annotations and lesson notes into the local
   * database in one transaction (all or nothing) with the rules of merge.ts.
   * Answers how many local records (of both kinds) changed.
   */
  mergeRemote(records: readonly ReplicatedAnnotation[], lessonNotes?: readonly ReplicatedLessonNote[]): Promise<{ changed: number }>;
}
