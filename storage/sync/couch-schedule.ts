/**
 * When server sync runs (issue #5): after local edits (batched), when a
 * lesson opens, on a `browser.alarms` schedule, and again with backoff after
 * a failure. Alarms, unlike timers, survive the MV3 worker being stopped.
 */

/** The periodic alarm. */
export const SERVER_SYNC_ALARM = 'serverSync:periodic';
/** The one-shot alarm for batched edits and retries (re-created, never stacked). */
export const SERVER_SYNC_SOON_ALARM = 'serverSync:soon';
export const SERVER_SYNC_PERIOD_MINUTES = 15;
/** Edits within this while go in one sync. Chrome's shortest alarm delay is 30 s. */
export const EDIT_BATCH_DELAY_MS = 30_000;
/** A lesson opened this soon after the last attempt does not sync again. */
export const LESSON_OPEN_MIN_INTERVAL_MS = 60_000;

const FIRST_RETRY_MS = 60_000;
const LONGEST_RETRY_MS = 60 * 60_000;

/** True for the alarms of server sync. */
export function isServerSyncAlarm(name: string): boolean {
  return name === SERVER_SYNC_ALARM || name === SERVER_SYNC_SOON_ALARM;
}

/** Wait before the next try after `failures` consecutive failures: 1, 2, 4 … 60 minutes, ±20 %. */
export function retryDelayMs(failures: number, random: () => number = Math.random): number {
  const base = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1), LONGEST_RETRY_MS);
  return Math.round(base * (0.8 + random() * 0.4));
}

/** What started a sync; automatic triggers respect the backoff, the reader's do not. */
export type ServerSyncTrigger = 'edit' | 'lesson' | 'alarm' | 'startup' | 'settings' | 'manual';

/** Whether a trigger should wait for `retryAt` after failures. */
export function respectsBackoff(trigger: ServerSyncTrigger): boolean {
  return trigger !== 'settings' && trigger !== 'manual';
}
