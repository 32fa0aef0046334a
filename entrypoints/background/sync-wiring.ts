/**
 * Starts the ways of syncing in the background: browser sync over
 * `storage.sync`, the CouchDB server, and the tombstone collection. Every
 * trigger is an event the browser delivers to a stopped worker (storage
 * changes, alarms, messages), and every piece of state lives in storage, so a
 * stop at any moment loses nothing: the next trigger picks up where it was.
 */
import { browser } from 'wxt/browser';
import type { LessonHighlighterDb } from '../../storage/db';
import { logWarning } from '../../storage/logger';
import { createBrowserSync, type BrowserSync, type SyncAreaChanges } from '../../storage/sync/browser-sync';
import { SERVER_SYNC_KEYS, storageAreaKv } from '../../storage/sync/couch-kv';
import {
  EDIT_BATCH_DELAY_MS,
  SERVER_SYNC_ALARM,
  SERVER_SYNC_PERIOD_MINUTES,
  SERVER_SYNC_SOON_ALARM,
  isServerSyncAlarm,
  type ServerSyncTrigger,
} from '../../storage/sync/couch-schedule';
import { runServerSync, type ServerSyncDeps } from '../../storage/sync/couch-service';
import { createLocalSyncStore } from '../../storage/sync/local-store';
import type { SyncStore } from '../../storage/sync/sync-store';
import { syncStatusKey, type SyncStatus } from '../../storage/sync/sync-status';
import { collectTombstones } from '../../storage/sync/tombstones';

const BROWSER_SYNC_ALARM = 'browserSync:periodic';
const BROWSER_SYNC_PERIOD_MINUTES = 30;
const TOMBSTONE_ALARM = 'tombstones:collect';
const TOMBSTONE_PERIOD_MINUTES = 24 * 60;

/** What the message handlers tell sync about. */
export interface SyncTriggers {
  /** A highlight, note or lesson note was written locally. */
  onLocalEdit(): void;
  /** A lesson page asked for its highlights. */
  onLessonOpened(): void;
}

/** Registers sync's listeners (synchronously, so events that wake the worker reach them). */
export function startSync(database: () => LessonHighlighterDb, onRemoteChange: () => void): SyncTriggers {
  let browserSync: BrowserSync | undefined;
  let serverDeps: ServerSyncDeps | undefined;
  const store = (): SyncStore => {
    const local = createLocalSyncStore(database());
    return {
      ...local,
      // Changes that arrived from another profile are shown in open lesson tabs at once.
      async mergeRemote(records, lessonNotes) {
        const merged = await local.mergeRemote(records, lessonNotes);
        if (merged.changed > 0) onRemoteChange();
        return merged;
      },
    };
  };
  const getBrowserSync = () =>
    (browserSync ??= createBrowserSync({
      area: browser.storage.sync,
      store: store(),
      status: {
        write: (status) => browser.storage.local.set({ [syncStatusKey('browser')]: status }),
        read: async () => ((await browser.storage.local.get(syncStatusKey('browser')))[syncStatusKey('browser')] as SyncStatus) ?? null,
      },
    }));
  const getServerDeps = () =>
    (serverDeps ??= {
      store: store(),
      kv: storageAreaKv(browser.storage.local),
      hasHostPermission: (pattern) => browser.permissions.contains({ origins: [pattern] }),
      getMessage: (key, substitutions) => browser.i18n.getMessage(key as never, substitutions),
    });
  const runServer = (trigger: ServerSyncTrigger) =>
    void runServerSync(getServerDeps(), trigger).then(async (outcome) => {
      if (outcome.type === 'failed' && outcome.retryAt !== null) {
        await browser.alarms.create(SERVER_SYNC_SOON_ALARM, { when: outcome.retryAt });
      }
    });

  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'sync') void getBrowserSync().onAreaChanged(changes as SyncAreaChanges);
    if (area === 'local' && SERVER_SYNC_KEYS.request in changes) runServer('manual');
    if (area === 'local' && SERVER_SYNC_KEYS.settings in changes) runServer('settings');
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (isServerSyncAlarm(alarm.name)) runServer('alarm');
    if (alarm.name === BROWSER_SYNC_ALARM) void getBrowserSync().syncNow();
    if (alarm.name === TOMBSTONE_ALARM) {
      void collectTombstones(database()).catch((error: unknown) => logWarning('Collecting tombstones failed', error));
    }
  });
  const schedule = () => {
    void browser.alarms.create(SERVER_SYNC_ALARM, { periodInMinutes: SERVER_SYNC_PERIOD_MINUTES });
    void browser.alarms.create(BROWSER_SYNC_ALARM, { periodInMinutes: BROWSER_SYNC_PERIOD_MINUTES });
    void browser.alarms.create(TOMBSTONE_ALARM, { periodInMinutes: TOMBSTONE_PERIOD_MINUTES });
  };
  browser.runtime.onInstalled.addListener(schedule);
  browser.runtime.onStartup.addListener(() => {
    schedule();
    runServer('startup');
    void getBrowserSync().syncNow();
  });

  return {
    onLocalEdit() {
      getBrowserSync().onLocalChange();
      // Edits are batched: the soon alarm is set once and carries every edit made before it fires.
      void browser.alarms.get(SERVER_SYNC_SOON_ALARM).then((existing) => {
        if (!existing) void browser.alarms.create(SERVER_SYNC_SOON_ALARM, { when: Date.now() + EDIT_BATCH_DELAY_MS });
      });
    },
    onLessonOpened() {
      runServer('lesson');
      void getBrowserSync().syncNow();
    },
  };
}
