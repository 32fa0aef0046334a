/**
 * How much the extension stores and whether the browser may clear it
 * (issue #8). The background asks for persistent storage on install and
 * startup; the options page shows the usage of the extension's origin (which
 * it shares with the background, so the database is counted) and whether
 * that storage is safe from the browser's clean-up when the disk runs low.
 */

/** The parts of `navigator.storage` used here (`persist` exists only in windows, not in Chrome's service worker). */
export interface StorageManagerLike {
  estimate(): Promise<{ usage?: number; quota?: number }>;
  persisted(): Promise<boolean>;
  persist?: () => Promise<boolean>;
}

/**
 * Whether the browser keeps our data when space runs low: `persistent`
 * (granted by `persist()`); `unlimited` (not persistent, but the
 * `unlimitedStorage` permission exempts the extension from eviction);
 * `best-effort` (neither: the browser may clear it).
 */
export type Persistence = 'persistent' | 'unlimited' | 'best-effort';

/** The reply to asking for persistent storage, as the background stores it (`storage:persistence`). */
export interface PersistenceReport {
  persisted: boolean;
  /** Whether `persist()` could be called here, or only `persisted()` read. */
  asked: boolean;
  at: number;
}

/** The `storage.local` key of the {@link PersistenceReport}. */
export const PERSISTENCE_KEY = 'storage:persistence';

/**
 * Asks for persistent storage where the context can (`persist()`: windows
 * and Firefox's event page), and otherwise reads whether it is persistent.
 * Never throws: a browser without the API reports not persisted.
 */
export async function requestPersistence(storage: StorageManagerLike | undefined, now: number): Promise<PersistenceReport> {
  try {
    if (storage?.persist) return { persisted: await storage.persist(), asked: true, at: now };
    return { persisted: (await storage?.persisted()) ?? false, asked: false, at: now };
  } catch {
    // A refusal (e.g. in a private window) means the data is not persistent; nothing else to do.
    return { persisted: false, asked: storage?.persist !== undefined, at: now };
  }
}

/** What the options page shows about storage. */
export interface StorageUsage {
  /** Bytes the extension's origin uses (the database, caches, the worker's script). */
  usage: number;
  persistence: Persistence;
}

/** Reads the usage and persistence of the current origin; `unlimited` says whether `unlimitedStorage` is granted. */
export async function readStorageUsage(storage: StorageManagerLike, unlimited: boolean): Promise<StorageUsage> {
  const [estimate, persisted] = await Promise.all([storage.estimate(), storage.persisted()]);
  return { usage: estimate.usage ?? 0, persistence: persisted ? 'persistent' : unlimited ? 'unlimited' : 'best-effort' };
}

/**
 * "1.2 MB", "830 KB", "512 B": units of 1,000 bytes, as operating systems
 * show file sizes, one decimal below ten units, in the reader's locale.
 */
export function formatBytes(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  // 999.95 KB would print as "1,000 KB": move up a unit instead.
  if (unit < units.length - 1 && Number(value.toFixed(value < 10 ? 1 : 0)) >= 1000) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toLocaleString(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 })} ${units[unit]}`;
}
