/**
 * A fault hook for the build with test hooks only (issue #8): makes the next
 * N database writes fail the way a full disk does, so the end-to-end tests
 * can check that every editor keeps the unsaved text and says why. The
 * background installs it only under `__LH_TEST_HOOKS__`, so production
 * bundles carry none of it.
 *
 * The count lives in `storage.local` (`testHooks:failWrites`), written by a
 * test and read by the background at start and whenever it changes; each
 * failed write counts it down. The failure is raised inside Dexie (a DBCore
 * middleware), so it travels the same way as a real one: the transaction is
 * aborted, nothing is written, and the handlers put it in words.
 */
import { Dexie, type DBCore, type Middleware } from 'dexie';

/** The `storage.local` key: how many of the next database writes fail. */
export const FAIL_WRITES_KEY = 'testHooks:failWrites';

/** The `storage.local` area the count is kept in (a test passes a fake). */
export interface FaultArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export interface WriteFaults {
  /** The Dexie middleware to `use()` before the database opens. */
  middleware: Middleware<DBCore>;
  /** Resolves once the stored count has been read: answer writes only after it. */
  loaded: Promise<void>;
  /** Takes a new stored count (from `storage.onChanged`). */
  onStoredCount(value: unknown): void;
}

/** Creates the hook over `area`; the count starts as stored there. */
export function createWriteFaults(area: FaultArea): WriteFaults {
  let remaining = 0;
  /** Counts this hook stored itself: their change events must not undo a later countdown. */
  const ownWrites: number[] = [];
  const take = (value: unknown) => {
    remaining = typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 0;
  };
  const loaded = area.get(FAIL_WRITES_KEY).then(
    (items) => take(items[FAIL_WRITES_KEY]),
    () => take(0),
  );
  const onStoredCount = (value: unknown) => {
    const own = ownWrites.indexOf(value as number);
    if (own === -1) take(value);
    else ownWrites.splice(own, 1);
  };
  const middleware: Middleware<DBCore> = {
    stack: 'dbcore',
    name: 'testWriteFaults',
    create: (down) => ({
      ...down,
      table(name) {
        const table = down.table(name);
        return {
          ...table,
          mutate(request) {
            if (remaining <= 0) return table.mutate(request);
            remaining -= 1;
            ownWrites.push(remaining);
            void area.set({ [FAIL_WRITES_KEY]: remaining });
            return Promise.reject(fullDiskError());
          },
        };
      },
    }),
  };
  return { middleware, loaded, onStoredCount };
}

/** What Dexie reports when IndexedDB aborts a transaction for lack of space. */
function fullDiskError(): Error {
  return new Dexie.AbortError('The transaction was aborted', new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
}
