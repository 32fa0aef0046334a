/**
 * The key-value port the server sync keeps its settings, checkpoints and
 * status in. The background passes `browser.storage.local` (through
 * {@link storageAreaKv}); tests pass a map. Never `storage.sync`: the
 * password and the checkpoints belong to this profile only.
 */

export interface KeyValuePort {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
}

/** The part of a `browser.storage` area the port needs. */
export interface StorageAreaLike {
  get(keys: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string): Promise<void>;
}

/** A {@link KeyValuePort} over a `browser.storage` area (pass `browser.storage.local`). */
export function storageAreaKv(area: StorageAreaLike): KeyValuePort {
  return {
    async get(key) {
      return (await area.get(key))[key];
    },
    set: (key, value) => area.set({ [key]: value }),
    remove: (key) => area.remove(key),
  };
}

/** The `storage.local` keys of the server sync (besides `syncStatus:server`). */
export const SERVER_SYNC_KEYS = {
  /** {@link ServerSettings}, password included. */
  settings: 'serverSync:settings',
  /** Where pulling and pushing stopped (see couch-checkpoint.ts). */
  checkpoint: 'serverSync:checkpoint',
  /** Consecutive failures and when to try again. */
  retry: 'serverSync:retry',
  /** Written by the options page ("Sync now", settings saved): the background syncs when it changes. */
  request: 'serverSync:request',
} as const;
