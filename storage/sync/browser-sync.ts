/**
 * Browser sync (issue #5): annotations travel through `browser.storage.sync`,
 * which the browser carries between every profile signed in to the same
 * browser account. No set-up; hard limits (browser-sync-layout.ts).
 * Firefox carries it too, given an explicit add-on id in the manifest.
 *
 * Why it cannot lose data although the browser's sync is last-writer-wins
 * per item: every item holds merged states (browser-sync-codec.ts); a
 * profile merges the whole area into its database before it writes, and
 * writes an item only when the item lacks something it has. When two
 * profiles overwrite each other's write, the loser's `onChanged` shows it an
 * item without its changes, and it writes them again (merged with the
 * winner's), so the profiles converge on the merge of both. A periodic
 * `syncNow()` repairs what a stopped worker missed.
 *
 * Writes are batched (a few seconds after the first local change) and paced
 * well under the browser's write limits; see {@link MIN_WRITE_GAP_MS}.
 *
 * Lesson notes (issue #5) travel the same way, in items of their own
 * (browser-sync-notes.ts), merged into the database with the highlights.
 */
import type { SyncStore } from './sync-store';
import type { SyncStatus } from './sync-status';
import { describeCarriage, describeDamage, describeFailure, describeLessonNotesCarriage, retryDelay } from './browser-sync-words';
import {
  areaLessonNotes,
  areaRecords,
  combineById,
  combineByLesson,
  isBrowserSyncKey,
  planWrites,
  readArea,
  type AreaContents,
  type WritePlan,
} from './browser-sync-pass';
import { decodeItem } from './browser-sync-codec';
import { SYNC_LIMITS } from './browser-sync-layout';
import { decodeLessonNoteItem, isLessonNoteKey } from './browser-sync-notes';

/** What browser sync needs of `browser.storage.sync` (which fits this type as it is). */
export interface SyncArea {
  get(keys?: null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
  getBytesInUse?(keys?: null): Promise<number>;
}

/** The `changes` of `storage.onChanged` for the sync area. */
export type SyncAreaChanges = Record<string, { oldValue?: unknown; newValue?: unknown }>;

/** Where the status goes (the background keeps it in `storage.local` under `syncStatusKey('browser')`). */
export interface StatusSink {
  write(status: SyncStatus): Promise<void>;
  /** The last status written, so `lastSuccessAt` survives the worker being stopped. */
  read?(): Promise<SyncStatus | null>;
}

/** Runs `task` after `delayMs`; answers a function that cancels it. The task's promise never rejects. */
export type Schedule = (task: () => Promise<unknown>, delayMs: number) => () => void;

export interface BrowserSyncOptions {
  area: SyncArea;
  store: SyncStore;
  status: StatusSink;
  now?: () => number;
  schedule?: Schedule;
}

export interface BrowserSync {
  /** Merges the area in and writes what it lacks (on an alarm, or when the reader asks); answers the status. */
  syncNow(): Promise<SyncStatus>;
  /** Call after any local edit: a pass follows within {@link LOCAL_BATCH_MS}, batching further edits. */
  onLocalChange(): void;
  /** Call with `storage.onChanged` changes of the `sync` area: merges remote items now, and schedules a pass. */
  onAreaChanged(changes: SyncAreaChanges): Promise<void>;
  /** Cancels scheduled passes; later calls do nothing. */
  stop(): void;
}

/** Delay between a local edit and the pass that carries it (edits in between ride along). */
export const LOCAL_BATCH_MS = 3_000;
/** Delay after a remote change, so the items the browser delivers one by one are handled in one pass. */
export const REMOTE_SETTLE_MS = 2_000;
/**
 * Least time between two write batches. A batch is at most two write calls
 * (set, then remove), so this alone keeps us at ≤ 24 writes a minute and
 * ≤ 1,440 an hour, under Chrome's 120 and 1,800 even when a restarted worker
 * forgets its log (a restart comes after 30 s without events).
 */
export const MIN_WRITE_GAP_MS = 5_000;
/** Our own ceilings over a rolling window, below the browser's, leaving room for settings writes. */
const OWN_WRITES_PER_MINUTE = 100;
const OWN_WRITES_PER_HOUR = 1_500;

/** Browser sync for one profile. Nothing happens until a method is called. */
export function createBrowserSync(options: BrowserSyncOptions): BrowserSync {
  const { area, store, status } = options;
  const now = options.now ?? Date.now;
  const schedule: Schedule = options.schedule ?? ((task, delay) => {
    const handle = setTimeout(() => void task(), delay);
    return () => clearTimeout(handle);
  });

  let stopped = false;
  let timer: { at: number; cancel: () => void } | null = null;
  let tail: Promise<unknown> = Promise.resolve();
  let lastSuccessAt: number | null | undefined;
  const writeLog: number[] = [];
  let blockedUntil = 0;
  let carriedBefore: number | undefined;
  // Values we wrote, to recognise our own writes coming back through onChanged.
  const written = new Map<string, string>();
  const removedByUs = new Set<string>();

  /** Runs tasks one at a time: passes and merges never interleave. */
  function enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  }

  function scheduleRun(delay: number): void {
    if (stopped) return;
    const at = now() + delay;
    if (timer && timer.at <= at) return;
    timer?.cancel();
    const cancel = schedule(() => {
      timer = null;
      return enqueue(runPass);
    }, delay);
    timer = { at, cancel };
  }

  /** How long until `calls` more write calls are allowed (0: now). */
  function writeWait(calls: number): number {
    const t = now();
    while (writeLog.length > 0 && writeLog[0]! <= t - 3_600_000) writeLog.shift();
    let wait = Math.max(0, blockedUntil - t, (writeLog.at(-1) ?? -Infinity) + MIN_WRITE_GAP_MS - t);
    const lastMinute = writeLog.filter((time) => time > t - 60_000);
    if (lastMinute.length + calls > OWN_WRITES_PER_MINUTE) wait = Math.max(wait, lastMinute[0]! + 60_000 - t);
    if (writeLog.length + calls > OWN_WRITES_PER_HOUR) wait = Math.max(wait, writeLog[0]! + 3_600_000 - t);
    return wait;
  }

  /** Set, then remove (or the other way round when only that fits); one call each. */
  async function write(plan: WritePlan): Promise<void> {
    const removal = async () => {
      if (plan.remove.length === 0) return;
      // Noted before the call: the browser may report the change before the call returns.
      for (const key of plan.remove) removedByUs.add(key);
      writeLog.push(now());
      await area.remove(plan.remove);
      for (const key of plan.remove) written.delete(key);
    };
    if (plan.removeFirst) await removal();
    const entries = Object.entries(plan.set);
    if (entries.length > 0) {
      const before = entries.map(([key]) => [key, written.get(key)] as const);
      for (const [key, value] of entries) written.set(key, value);
      writeLog.push(now());
      try {
        await area.set(plan.set);
      } catch (error) {
        // Still logged: counting a refused call only makes the pacing stricter.
        for (const [key, value] of before) value === undefined ? written.delete(key) : written.set(key, value);
        throw error;
      }
      for (const [key] of entries) removedByUs.delete(key);
    }
    if (!plan.removeFirst) await removal();
  }

  async function runPass(): Promise<SyncStatus> {
    lastSuccessAt ??= (await status.read?.().catch(() => null))?.lastSuccessAt ?? null;
    let result: SyncStatus;
    try {
      result = await pass();
    } catch (error) {
      const delay = retryDelay(error);
      if (/MAX_WRITE_OPERATIONS/.test(String(error))) blockedUntil = now() + delay;
      scheduleRun(delay);
      result = { ...base(), lastError: describeFailure(error) };
    }
    // The status is advisory: failing to store it must not stop syncing.
    await status.write(result).catch(() => undefined);
    return result;
  }

  function base(): SyncStatus {
    return { way: 'browser', enabled: true, lastSuccessAt: lastSuccessAt ?? null, pendingChanges: 0, lastError: null, bytesQuota: SYNC_LIMITS.quotaBytes };
  }

  async function pass(): Promise<SyncStatus> {
    const contents = await readArea(await area.get(null), now());
    await mergeArea(contents);
    const local = await store.exportReplicated();
    const localNotes = await store.exportLessonNotes();
    const plan = await planWrites(contents, local, carriedBefore, localNotes);
    carriedBefore = plan.layout.carried.length;
    const calls = (Object.keys(plan.set).length > 0 ? 1 : 0) + (plan.remove.length > 0 ? 1 : 0);
    const words = [describeCarriage(local, plan.layout), describeLessonNotesCarriage(localNotes, plan.notesLayout), describeDamage(contents.damaged)]
      .filter(Boolean)
      .join(' ');
    const counts = carriageCounts(local, plan);
    if (calls > 0) {
      const wait = writeWait(calls);
      if (stopped) return { ...base(), ...counts, pendingChanges: plan.pending, lastError: words || null };
      if (wait > 0) {
        scheduleRun(wait);
        return { ...base(), ...counts, pendingChanges: plan.pending, lastError: words || null };
      }
      await write(plan);
    }
    lastSuccessAt = now();
    const bytesUsed = area.getBytesInUse ? await area.getBytesInUse(null) : plan.bytesAfter;
    return { ...base(), ...counts, bytesUsed, lastError: words || null };
  }

  /**
   * Merges everything the area holds in one transaction. Should the
   * database refuse it, item by item: an item it refuses is treated as
   * damaged (and written over); if it refuses every item, the fault is
   * taken to be the database's, and the pass stops before writing anything.
   */
  async function mergeArea(contents: AreaContents): Promise<void> {
    const remote = areaRecords(contents);
    const remoteNotes = areaLessonNotes(contents);
    if (remote.length === 0 && remoteNotes.length === 0) return;
    const itemCount = contents.own.size + contents.lessonNotes.size;
    try {
      await store.mergeRemote(remote, remoteNotes);
      return;
    } catch (error) {
      if (itemCount === 1) throw error;
    }
    const refused: AreaContents['damaged'] = [];
    const tryItem = async (key: string, merge: () => Promise<unknown>) => {
      try {
        await merge();
      } catch (error) {
        refused.push({ key, reason: `refused by the database: ${error instanceof Error ? error.message : String(error)}` });
      }
    };
    for (const [key, item] of contents.own) await tryItem(key, () => store.mergeRemote(combineById(item.records)));
    for (const [key, item] of contents.lessonNotes) await tryItem(key, () => store.mergeRemote([], combineByLesson(item.notes)));
    if (refused.length === itemCount) throw new Error(refused[0]!.reason);
    for (const { key } of refused) {
      contents.own.delete(key);
      contents.lessonNotes.delete(key);
    }
    contents.damaged.push(...refused);
  }

  async function mergeChanged(changes: SyncAreaChanges): Promise<void> {
    const entries = Object.entries(changes).filter(([, { newValue }]) => newValue !== undefined);
    // Damaged items are reported by the pass that follows.
    const decoded = await Promise.all(
      entries.map(([key, { newValue }]) =>
        isLessonNoteKey(key)
          ? decodeLessonNoteItem(newValue, now()).then((item) => ({ records: [], notes: item.notes }), () => null)
          : decodeItem(newValue, now()).then((item) => ({ records: item.records, notes: [] }), () => null),
      ),
    );
    const records = combineById(decoded.flatMap((item) => item?.records ?? []));
    const notes = combineByLesson(decoded.flatMap((item) => item?.notes ?? []));
    if (records.length > 0 || notes.length > 0) await store.mergeRemote(records, notes);
  }

  return {
    syncNow() {
      timer?.cancel();
      timer = null;
      return enqueue(runPass);
    },
    onLocalChange() {
      scheduleRun(LOCAL_BATCH_MS);
    },
    async onAreaChanged(changes) {
      if (stopped) return;
      const fresh = Object.fromEntries(
        Object.entries(changes).filter(([key, change]) => {
          if (!isBrowserSyncKey(key)) return false;
          if (change.newValue === undefined) return !removedByUs.has(key);
          return written.get(key) !== change.newValue;
        }),
      );
      if (Object.keys(fresh).length === 0) return;
      scheduleRun(REMOTE_SETTLE_MS);
      await enqueue(() => mergeChanged(fresh)).catch(() => undefined); // the pass retries and reports
    },
    stop() {
      stopped = true;
      timer?.cancel();
      timer = null;
    },
  };
}

function carriageCounts(local: readonly { id: string; deleted: { value: number | null } }[], plan: WritePlan) {
  const carried = new Set(plan.layout.carried.map((record) => record.id));
  const live = local.filter((record) => record.deleted.value === null);
  const carriedLive = live.filter((record) => carried.has(record.id)).length;
  return { carried: carriedLive, notCarried: live.length - carriedLive };
}
