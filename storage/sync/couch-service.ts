/**
 * Server sync as the background runs it: read the settings, check the host
 * permission, sync, and record the outcome as `syncStatus:server` (plus the
 * retry state), all in `storage.local`, because the worker may stop at any
 * moment. One run at a time per profile; triggers arriving meanwhile make
 * the run go once more.
 *
 * The background creates one {@link ServerSyncDeps} and calls
 * {@link runServerSync}: after a local edit (through the
 * `SERVER_SYNC_SOON_ALARM`, created only when absent, so edits are batched),
 * when a lesson opens ('lesson'), on `SERVER_SYNC_ALARM` every
 * `SERVER_SYNC_PERIOD_MINUTES` ('alarm'), and when the options page writes
 * `serverSync:request` or `serverSync:settings` ('manual' / 'settings'). A
 * failed outcome's `retryAt` becomes the soon alarm's `when`.
 */
import { logWarning } from '../logger';
import { createCouchClient, type CouchHttpOptions } from './couch-client';
import { readCheckpoint } from './couch-checkpoint';
import { CouchError, describeSyncFailure, type GetMessage } from './couch-errors';
import { SERVER_SYNC_KEYS, type KeyValuePort } from './couch-kv';
import { LESSON_OPEN_MIN_INTERVAL_MS, respectsBackoff, retryDelayMs, type ServerSyncTrigger } from './couch-schedule';
import { syncWithServer, type CouchSyncOptions, type CouchSyncReport } from './couch-sync';
import { hostPermissionPattern, loadServerSettings, serverTarget } from './server-settings';
import { readSyncStatus, writeSyncStatus } from './couch-status';
import type { SyncStatus } from './sync-status';
import type { SyncStore } from './sync-store';
import { z } from 'zod';

export interface ServerSyncDeps {
  store: SyncStore;
  /** `browser.storage.local` (through `storageAreaKv`). */
  kv: KeyValuePort;
  /** `(pattern) => browser.permissions.contains({ origins: [pattern] })`. */
  hasHostPermission(pattern: string): Promise<boolean>;
  /** Translates `lastError` (`browser.i18n.getMessage`); English without it. */
  getMessage?: GetMessage;
  http?: CouchHttpOptions;
  sync?: CouchSyncOptions;
  now?: () => number;
}

export type ServerSyncOutcome =
  | { type: 'off' }
  /** Not run: an automatic trigger during backoff, or a lesson opened right after a sync. */
  | { type: 'waiting'; retryAt: number | null }
  | { type: 'synced'; report: CouchSyncReport }
  /** `retryAt`: when to try again (schedule an alarm), or null when the reader must act first. */
  | { type: 'failed'; message: string; retryAt: number | null };

const retrySchema = z.object({ failures: z.number(), retryAt: z.number().nullable(), lastAttemptAt: z.number().nullable() });
type RetryState = z.infer<typeof retrySchema>;
const NO_RETRY: RetryState = { failures: 0, retryAt: null, lastAttemptAt: null };

/** `again`: a trigger arrived during the run; `readerAsked`: one of them was the reader's (no backoff). */
const flights = new WeakMap<KeyValuePort, { running: Promise<ServerSyncOutcome>; again: boolean; readerAsked: boolean }>();
/** Extra runs for triggers that arrived during a run; more would starve nothing but waste work. */
const MAX_EXTRA_RUNS = 2;

/** Syncs with the configured server if it is on; answers what happened (also written to `syncStatus:server`). */
export function runServerSync(deps: ServerSyncDeps, trigger: ServerSyncTrigger): Promise<ServerSyncOutcome> {
  const flight = flights.get(deps.kv);
  if (flight) {
    flight.again = true;
    flight.readerAsked ||= !respectsBackoff(trigger);
    return flight.running;
  }
  const state = { running: Promise.resolve<ServerSyncOutcome>({ type: 'off' }), again: false, readerAsked: false };
  state.running = (async () => {
    try {
      let outcome = await runOnce(deps, trigger);
      // After a failed or waiting run only the reader's request goes on ("Sync now" just after the
      // server came back must not be swallowed by a retry that began while it was down); automatic
      // triggers wait for the backoff.
      const goOn = () => state.again && (outcome.type === 'synced' || state.readerAsked);
      for (let extra = 0; goOn() && extra < MAX_EXTRA_RUNS; extra++) {
        state.again = false;
        state.readerAsked = false;
        outcome = await runOnce(deps, 'manual');
      }
      return outcome;
    } finally {
      flights.delete(deps.kv);
    }
  })();
  flights.set(deps.kv, state);
  return state.running;
}

async function runOnce(deps: ServerSyncDeps, trigger: ServerSyncTrigger): Promise<ServerSyncOutcome> {
  const now = deps.now ?? Date.now;
  const settings = await loadServerSettings(deps.kv);
  const previous = await readStatus(deps.kv);
  if (!settings?.enabled) {
    await writeSyncStatus(deps.kv, { ...previous, enabled: false, lastError: null });
    return { type: 'off' };
  }
  const retry = await readRetry(deps.kv);
  const blocked = respectsBackoff(trigger) && retry.retryAt !== null && now() < retry.retryAt;
  const tooSoon = trigger === 'lesson' && retry.lastAttemptAt !== null && now() - retry.lastAttemptAt < LESSON_OPEN_MIN_INTERVAL_MS;
  if (blocked || tooSoon) return { type: 'waiting', retryAt: retry.retryAt };
  await deps.kv.set(SERVER_SYNC_KEYS.retry, { ...retry, lastAttemptAt: now() });

  try {
    if (!(await deps.hasHostPermission(hostPermissionPattern(settings.url)))) {
      throw new CouchError('no-permission', new URL(settings.url).host);
    }
    const client = createCouchClient(settings, deps.http);
    const target = serverTarget(settings);
    const report = await syncWithServer(deps.store, client, deps.kv, target, deps.sync);
    await deps.kv.set(SERVER_SYNC_KEYS.retry, { ...NO_RETRY, lastAttemptAt: now() });
    // What the last sync that skipped documents found stays shown, but only while it is about this server and database.
    const { skipped: earlier, ...rest } = previous;
    const skipped = report.skipped > 0 ? { at: now(), count: report.skipped, problems: report.skippedProblems, target } : earlier?.target === target ? earlier : undefined;
    await writeSyncStatus(deps.kv, { ...rest, enabled: true, lastSuccessAt: now(), pendingChanges: report.pending, lastError: null, ...(skipped ? { skipped } : {}) });
    return { type: 'synced', report };
  } catch (error) {
    const failures = retry.failures + 1;
    // Errors the reader must fix (password, permission, missing database) wait for them, or for the periodic alarm.
    const retryAt = error instanceof CouchError && !error.transient ? null : now() + retryDelayMs(failures);
    await deps.kv.set(SERVER_SYNC_KEYS.retry, { failures, retryAt, lastAttemptAt: now() });
    // Server failures are in the status, in words; anything else is a bug worth a warning in development.
    if (!(error instanceof CouchError)) logWarning('Server sync stopped on an unexpected error', error);
    const message = describeSyncFailure(error, deps.getMessage);
    await writeSyncStatus(deps.kv, { ...previous, enabled: true, pendingChanges: await pendingChanges(deps), lastError: message });
    return { type: 'failed', message, retryAt };
  }
}

/** Local changes not yet on the server, by the saved checkpoint (an upper bound: it may count merges of pulled data). */
async function pendingChanges(deps: ServerSyncDeps): Promise<number> {
  try {
    const checkpoint = await readCheckpoint(deps.kv);
    const changes = await deps.store.changesSince(checkpoint?.pushedSequence ?? 0);
    return changes.records.length + changes.lessonNotes.length;
  } catch {
    // The status must still be written; the count is secondary.
    return 0;
  }
}

/** The server way's status as last written (a blank one before the first sync). */
export async function readStatus(kv: KeyValuePort): Promise<SyncStatus> {
  return (await readSyncStatus(kv, 'server')) ?? { way: 'server', enabled: false, lastSuccessAt: null, pendingChanges: 0, lastError: null };
}

async function readRetry(kv: KeyValuePort): Promise<RetryState> {
  const parsed = retrySchema.safeParse(await kv.get(SERVER_SYNC_KEYS.retry));
  return parsed.success ? parsed.data : NO_RETRY;
}
