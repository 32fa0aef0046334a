/**
 * Hybrid logical clocks (Kulkarni et al., 2014): timestamps that follow the
 * wall clock when it is sane, never go backwards, and always order an event
 * after every event its replica has seen. Each stamp names its replica, so
 * two stamps are never equal unless they are the same event.
 *
 * A stamp is a string whose lexicographic order is the clock's order:
 * 13 decimal digits of milliseconds, 6 of counter, then the replica id.
 */

/** A serialised hybrid logical clock reading. */
export type Stamp = string;

/** The clock's memory: the largest reading issued or seen. */
export interface ClockState {
  wall: number;
  counter: number;
}

/** The replica (browser profile) ids are short random strings of these characters. */
const REPLICA_ID = /^[a-z0-9]{4,32}$/;
const STAMP = /^(\d{13})-(\d{6})-([a-z0-9]{4,32})$/;

/** True when `replica` is a well-formed replica id. */
export function isReplicaId(replica: string): boolean {
  return REPLICA_ID.test(replica);
}

/** Formats a clock reading of `replica` as a stamp. */
export function formatStamp(wall: number, counter: number, replica: string): Stamp {
  return `${String(wall).padStart(13, '0')}-${String(counter).padStart(6, '0')}-${replica}`;
}

/** Parses a stamp; null when it is malformed (e.g. from a broken import file). */
export function parseStamp(stamp: string): { wall: number; counter: number; replica: string } | null {
  const match = STAMP.exec(stamp);
  if (!match) return null;
  return { wall: Number(match[1]), counter: Number(match[2]), replica: match[3]! };
}

/** Issues a stamp for a local event at `now`, advancing `state`. */
export function tick(state: ClockState, replica: string, now: number): Stamp {
  if (now > state.wall) {
    state.wall = now;
    state.counter = 0;
  } else {
    state.counter += 1;
  }
  return formatStamp(state.wall, state.counter, replica);
}

/** Takes a remote stamp into account, so later local stamps order after it. */
export function observe(state: ClockState, stamp: Stamp): void {
  const remote = parseStamp(stamp);
  if (!remote) return;
  if (remote.wall > state.wall || (remote.wall === state.wall && remote.counter > state.counter)) {
    state.wall = remote.wall;
    state.counter = remote.counter;
  }
}
