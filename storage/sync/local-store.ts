/**
 * The local side of sync (issue #5): the {@link SyncStore} every transport
 * codes against, backed by the extension's Dexie database.
 *
 * Remote states are checked before anything is written: one malformed
 * record refuses the whole batch, in words. A merge runs in one read-write
 * transaction over annotations, lesson notes and meta (all or nothing), writes only the
 * records whose state changed, and gives each of them the next local
 * sequence number, so a merge is itself a change other transports carry on.
 */
import { StorageError } from '../annotations';
import type { LessonHighlighterDb } from '../db';
import { mergeLessonNotes } from '../lesson-notes';
import { toReplicatedLessonNote } from './lesson-note-versions';
import { currentSequence, ensureReplicaId, loadReplicaState, nextSequence, observeStamp, saveReplicaState } from './replica';
import { checkReplicated, checkReplicatedLessonNote, claimedId, claimedLessonId } from './replicated-schema';
import { fromReplicated, stampsOf, toReplicated } from './replicated';
import { mergeAnnotation, mergeNotes, type ReplicatedAnnotation, type ReplicatedLessonNote } from './merge';
import type { LocalChanges, SyncStore } from './sync-store';

/** What the store needs besides the database; tests pass their own clock. */
export interface LocalSyncStoreOptions {
  /** Milliseconds since the epoch; stamps more than 24 h after it are refused. */
  now?: () => number;
}

/** The {@link SyncStore} of the local database. */
export function createLocalSyncStore(db: LessonHighlighterDb, options: LocalSyncStoreOptions = {}): SyncStore {
  const now = options.now ?? Date.now;
  return {
    replicaId: () => ensureReplicaId(db),
    exportReplicated: async () => (await db.annotations.toArray()).map(toReplicated),
    exportLessonNotes: async () => (await db.lessonNotes.toArray()).map(toReplicatedLessonNote),
    changesSince: (since) => changesSince(db, since),
    mergeRemote: (records, lessonNotes = []) => mergeRemote(db, records, lessonNotes, now()),
  };
}

/**
 * Checks the lesson notes, then merges annotations and lesson notes in one
 * transaction: a malformed one of either refuses both, before anything is written.
 */
async function mergeRemote(
  db: LessonHighlighterDb,
  records: readonly ReplicatedAnnotation[],
  lessonNotes: readonly ReplicatedLessonNote[],
  now: number,
): Promise<{ changed: number }> {
  lessonNotes.forEach((note, index) => {
    const problem = checkReplicatedLessonNote(note, now);
    if (problem !== null) {
      const which = `lesson note ${index + 1} (lesson ${claimedLessonId(note)})`;
      throw new StorageError('invalid-data', `The synced data is malformed, so nothing was merged: ${which}: ${problem}.`);
    }
  });
  if (lessonNotes.length === 0) return mergeReplicated(db, records, now);
  return db.transaction('rw', db.lessonRows, db.lessonNotes, db.lessonNoteSeqs, db.meta, async () => {
    const { changed } = await mergeReplicated(db, records, now);
    return { changed: changed + (await mergeLessonNotes(db, lessonNotes, { keepEmpty: true })) };
  });
}

/**
 * The annotations and lesson notes changed after sequence number `since`,
 * and the current sequence number (both kinds share one counter). A cursor
 * of 0, or one from the future (the database was replaced since the
 * transport saved it), gets everything.
 */
async function changesSince(db: LessonHighlighterDb, since: number): Promise<LocalChanges> {
  return db.transaction('r', [db.lessonRows, db.lessonNotes, db.lessonNoteSeqs, db.meta], async () => {
    const sequence = await currentSequence(db);
    if (since <= 0 || since > sequence) {
      const [records, notes] = await Promise.all([db.annotations.toArray(), db.lessonNotes.toArray()]);
      return { records: records.map(toReplicated), lessonNotes: notes.map(toReplicatedLessonNote), sequence };
    }
    const records = await db.annotations.changedSince(since);
    const changedNotes = await db.lessonNoteSeqs.where('syncSeq').above(since).primaryKeys();
    const notes = (await db.lessonNotes.bulkGet(changedNotes)).filter((note) => note !== undefined);
    return { records: records.map(toReplicated), lessonNotes: notes.map(toReplicatedLessonNote), sequence };
  });
}

/**
 * Checks `records` and merges them into the database in one transaction;
 * answers how many local records changed. A malformed record (in shape, or
 * stamped more than 24 hours after `now`) refuses the whole batch with a
 * {@link StorageError} naming it, before anything is written. Call inside a
 * wider transaction (that includes annotations and meta) to make the merge
 * part of it.
 */
export async function mergeReplicated(
  db: LessonHighlighterDb,
  records: readonly ReplicatedAnnotation[],
  now: number,
): Promise<{ changed: number }> {
  records.forEach((record, index) => {
    const problem = checkReplicated(record, now);
    if (problem !== null) {
      const which = `record ${index + 1} (id ${claimedId(record)})`;
      throw new StorageError('invalid-data', `The synced data is malformed, so nothing was merged: ${which}: ${problem}.`);
    }
  });
  const incoming = combineById(records);
  return db.transaction('rw', db.lessonRows, db.meta, async () => {
    const state = await loadReplicaState(db);
    const clockBefore = `${state.clock.wall}.${state.clock.counter}`;
    const ids = [...incoming.keys()];
    const lessonIds = ids.map((id) => incoming.get(id)!.lesson.lessonId);
    // The stored records are read and the changed ones written in one pass over their lessons' rows.
    const changed = await db.annotations.edit(ids, lessonIds, (stored) => {
      let written = 0;
      for (const id of ids) {
        const remote = incoming.get(id)!;
        for (const stamp of stampsOf(remote)) observeStamp(state, stamp);
        const previous = stored.get(id);
        const local = previous ? toReplicated(previous) : undefined;
        const merged = local ? mergeAnnotation(local, remote) : remote;
        if (local && sameJson(local, merged)) continue;
        stored.put({ ...fromReplicated(merged, previous), syncSeq: nextSequence(state) });
        written++;
      }
      return written;
    });
    if (changed > 0 || `${state.clock.wall}.${state.clock.counter}` !== clockBefore) {
      await saveReplicaState(db, state);
    }
    return { changed };
  });
}

/** One state per id (a batch may repeat one), with its note versions in merged form. */
function combineById(records: readonly ReplicatedAnnotation[]): Map<string, ReplicatedAnnotation> {
  const byId = new Map<string, ReplicatedAnnotation>();
  for (const record of records) {
    const seen = byId.get(record.id);
    byId.set(record.id, seen ? mergeAnnotation(seen, record) : { ...record, notes: mergeNotes(record.notes, []) });
  }
  return byId;
}

/** Deep equality of JSON values, whatever the order of object keys. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const left = Object.entries(a);
  const right = new Map(Object.entries(b));
  return left.length === right.size && left.every(([key, value]) => right.has(key) && sameJson(value, right.get(key)));
}
