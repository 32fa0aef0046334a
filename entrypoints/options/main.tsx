/**
 * The options page (issue #5): sync status per way, and the sync server's
 * settings. Settings and the password go to `storage.local` only; the
 * server's host permission is requested here, from the reader's click. The
 * background syncs when `serverSync:request` changes; statuses update live.
 */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { BLANK_SERVER_SETTINGS, OptionsApp, type OptionsAppProps } from '../../components/OptionsApp';
import type { PermissionRefused } from '../../components/OptionsServerForm';
import '../../components/review.css';
import '../../components/options.css';
import { loadOptionsStrings } from '../../components/options-strings';
import { getMessage } from '../../storage/review-client';
import { createServerDatabase, testServerConnection } from '../../storage/sync/couch-connection';
import { SERVER_SYNC_KEYS, storageAreaKv } from '../../storage/sync/couch-kv';
import { parseSyncStatus, readSyncStatus } from '../../storage/sync/couch-status';
import { hostPermissionPattern, loadServerSettings, saveServerSettings, type ServerSettings } from '../../storage/sync/server-settings';
import { syncStatusKey } from '../../storage/sync/sync-status';

const kv = storageAreaKv(browser.storage.local);
const SYNC_REQUEST_PATIENCE_MS = 20_000;
const locale = browser.i18n.getUILanguage();
const strings = loadOptionsStrings(getMessage, locale);

/** Asks for the server's host permission; must run straight from a click. */
async function allowHost(settings: ServerSettings): Promise<PermissionRefused | null> {
  const granted = await browser.permissions.request({ origins: [hostPermissionPattern(settings.url)] });
  return granted ? null : { ok: false, kind: 'permission-denied', host: new URL(settings.url).host };
}

/** Tells the background to sync now (it listens for this key changing). */
function requestSync(): Promise<void> {
  return kv.set(SERVER_SYNC_KEYS.request, Date.now());
}

async function main(): Promise<void> {
  document.documentElement.lang = locale;
  document.title = `${strings.title} · ${strings.appName}`;
  const saved = await loadServerSettings(kv);
  let props: OptionsAppProps = {
    strings,
    settings: saved ?? BLANK_SERVER_SETTINGS,
    statuses: { browser: await readSyncStatus(kv, 'browser'), server: await readSyncStatus(kv, 'server') },
    now: Date.now(),
    syncRequested: false,
    iconUrl: browser.runtime.getURL('/icon/48.png'),
    actions: {
      async save(settings) {
        const refused = settings.enabled ? await allowHost(settings) : null;
        if (refused) return refused;
        await saveServerSettings(kv, settings);
        await requestSync();
        return { ok: true };
      },
      async test(settings) {
        return (await allowHost(settings)) ?? testServerConnection(settings, { getMessage });
      },
      async createDatabase(settings) {
        return (await allowHost(settings)) ?? createServerDatabase(settings, { getMessage });
      },
      syncNow() {
        update({ syncRequested: true });
        void requestSync();
        // Should no status arrive (the worker failed to start), let the reader try again.
        setTimeout(() => update({ syncRequested: false }), SYNC_REQUEST_PATIENCE_MS);
      },
    },
  };
  const root = document.getElementById('app')!;
  const update = (change: Partial<OptionsAppProps>) => {
    props = { ...props, ...change, now: Date.now() };
    render(<OptionsApp {...props} />, root);
  };
  update({});

  browser.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local') return;
    const browserChange = changes[syncStatusKey('browser')];
    const serverChange = changes[syncStatusKey('server')];
    if (!browserChange && !serverChange) return;
    update({
      statuses: {
        browser: browserChange ? parseSyncStatus(browserChange.newValue, 'browser') : props.statuses.browser,
        server: serverChange ? parseSyncStatus(serverChange.newValue, 'server') : props.statuses.server,
      },
      // A new server status means the requested sync has run.
      syncRequested: serverChange ? false : props.syncRequested,
    });
  });
  // "3 minutes ago" moves on while the page stays open.
  setInterval(() => update({}), 30_000);
}

void main();
