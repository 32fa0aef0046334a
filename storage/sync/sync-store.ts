/**
 * What every way of syncing (browser sync, a CouchDB server, an import file)
 * needs from the local database: the local state in replicated form, and a
 * way to merge remote states into it. Transports code against this port and
 * never touch Dexie themselves, so each can be tested with an in-memory one.
 */
import type { ReplicatedAnnotation } from './merge';

export interface SyncStore {
  /** This profile's replica id (stable, random, never synced as a secret). */
  replicaId(): Promise<string>;
  /** Every annotation, tombstones included, in replicated form. */
  exportReplicated(): Promise<ReplicatedAnnotation[]>;
  /** Replicated states of the annotations changed since `since` (a local sequence number), and the new sequence. */
  changesSince(since: number): Promise<{ records: ReplicatedAnnotation[]; sequence: number }>;
  /**
   * Merges remote states into the local database in one transaction (all or
   * nothing) with the rules of merge.ts. Answers how many local records changed.
   */
  mergeRemote(records: readonly ReplicatedAnnotation[]): Promise<{ changed: number }>;
}
