/**
 * This profile's identity and clock as a replica (issue #5): a random
 * replica id, the hybrid logical clock's memory and the local change
 * counter, kept in the `meta` table. Every local write loads this state in
 * its own transaction, stamps its change, and saves the state back in the
 * same transaction, so a stamp is never issued twice even if the worker stops.
 */
import type { LessonHighlighterDb, MetaEntry } from '../db';
import { formatStamp, isReplicaId, observe, tick, type ClockState, type Stamp } from './hlc';

/** Length of a replica id: 12 lowercase letters and digits (~62 bits). */
export const REPLICA_ID_LENGTH = 12;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh random replica id. */
export function newReplicaId(): string {
  // 252 is the largest multiple of 36 below 256: rejecting bytes above it keeps every character equally likely.
  let id = '';
  while (id.length < REPLICA_ID_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(REPLICA_ID_LENGTH))) {
      if (byte < 252 && id.length < REPLICA_ID_LENGTH) id += ALPHABET[byte % 36];
    }
  }
  return id;
}

/** The sync state of this profile, as loaded in one transaction. */
export interface ReplicaState {
  replicaId: string;
  clock: ClockState;
  /** The last local sequence number handed out (0 before the first change). */
  sequence: number;
}

/**
 * Reads the state; call inside a transaction that includes `meta`. A profile
 * that never synced gets a new replica id here, written by {@link saveReplicaState}.
 */
export async function loadReplicaState(db: LessonHighlighterDb): Promise<ReplicaState> {
  const [replicaId, clock, sequence] = await db.meta.bulkGet(['replicaId', 'clock', 'sequence']);
  return {
    replicaId: readReplicaId(replicaId) ?? newReplicaId(),
    clock: readClock(clock),
    sequence: readCount(sequence),
  };
}

/** Writes the state back; call in the same read-write transaction that loaded it. */
export async function saveReplicaState(db: LessonHighlighterDb, state: ReplicaState): Promise<void> {
  await db.meta.bulkPut([
    { key: 'replicaId', value: state.replicaId },
    { key: 'clock', value: { wall: state.clock.wall, counter: state.clock.counter } },
    { key: 'sequence', value: state.sequence },
  ]);
}

/** Largest counter a stamp can hold (six digits). */
const MAX_COUNTER = 999_999;

/** Stamps a local change made at `now`. */
export function stampLocalChange(state: ReplicaState, now: number): Stamp {
  const stamp = tick(state.clock, state.replicaId, now);
  if (state.clock.counter <= MAX_COUNTER) return stamp;
  // A remote stamp with a full counter must not make ours malformed: step
  // the clock a millisecond instead, which keeps the order.
  state.clock.wall += 1;
  state.clock.counter = 0;
  return formatStamp(state.clock.wall, state.clock.counter, state.replicaId);
}

/** Takes a remote stamp into account, so later local stamps order after it. */
export function observeStamp(state: ReplicaState, stamp: Stamp): void {
  observe(state.clock, stamp);
}

/** The sequence number of the next changed record. */
export function nextSequence(state: ReplicaState): number {
  state.sequence += 1;
  return state.sequence;
}

/** This profile's replica id, made and saved on first use. */
export async function ensureReplicaId(db: LessonHighlighterDb): Promise<string> {
  const stored = readReplicaId(await db.meta.get('replicaId'));
  if (stored) return stored;
  return db.transaction('rw', db.meta, async () => {
    const state = await loadReplicaState(db);
    await saveReplicaState(db, state);
    return state.replicaId;
  });
}

/** The last sequence number handed out; call inside a transaction that includes `meta`. */
export async function currentSequence(db: LessonHighlighterDb): Promise<number> {
  return readCount(await db.meta.get('sequence'));
}

function readReplicaId(entry: MetaEntry | undefined): string | null {
  return typeof entry?.value === 'string' && isReplicaId(entry.value) ? entry.value : null;
}

function readClock(entry: MetaEntry | undefined): ClockState {
  const value = entry?.value;
  if (typeof value === 'object' && value !== null && 'wall' in value && 'counter' in value) {
    const { wall, counter } = value;
    if (Number.isSafeInteger(wall) && Number.isSafeInteger(counter)) return { wall: Number(wall), counter: Number(counter) };
  }
  return { wall: 0, counter: 0 };
}

function readCount(entry: MetaEntry | undefined): number {
  return Number.isSafeInteger(entry?.value) ? Number(entry?.value) : 0;
}
