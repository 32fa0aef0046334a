/**
 * The background: owns the database and answers the typed requests of
 * `storage/protocol.ts`, including those that need the browser's tabs
 * (opening an annotation, the toolbar badge). Chrome runs it as a service
 * worker, Firefox as an event page (WXT writes each manifest; the code is the
 * same). It holds nothing that matters in memory, because either browser may
 * stop it at any moment; every answer is read from or written to IndexedDB or
 * session storage.
 */
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { openDb, type LessonHighlighterDb } from '../../storage/db';
import { logWarning } from '../../storage/logger';
import { isTrustedSender } from '../../storage/sender';
import { answerMessage } from '../../storage/tab-requests';
import { announceChange, changedLessonId } from '../../storage/change-broadcast';
import { startBackups } from './backup-wiring';
import { exposeBenchHooks } from './bench-hooks';
import { startSync } from './sync-wiring';
import { createTabsPort } from './tabs-port';
import { startWriteFaults } from './write-faults-wiring';

/** Requests that change what is stored: each one is news for sync. */
const EDITS = new Set([
  'createAnnotation', 'updateAnnotation', 'deleteAnnotation', 'restoreAnnotation',
  'saveLessonNote', 'importAnnotations', 'restoreNoteVersion', 'restoreLessonNoteVersion',
]);

export default defineBackground(() => {
  keepLocalStorageFromContentScripts();
  // Opened on the first request, not at start-up: the worker is also woken
  // for events that never touch storage.
  let db: LessonHighlighterDb | undefined;
  const extensionOrigin = browser.runtime.getURL('/');
  const tabs = createTabsPort();
  // Test builds only: a hook that makes database writes fail like a full disk (issue #8).
  const faults = __LH_TEST_HOOKS__ ? startWriteFaults() : null;
  const database = () => (db ??= faults ? openDb().use(faults.middleware) : openDb());
  const sync = startSync(database, () => void announceChange(tabs, null));
  startBackups(database);
  // Test builds only: the bench times the real merge here (bench/suites/sync-merge.ts).
  if (__LH_TEST_HOOKS__) exposeBenchHooks(database);

  // Registered synchronously in main() so the message that woke a stopped
  // worker is delivered to it.
  browser.runtime.onMessage.addListener((message: unknown, sender) => {
    // Returning undefined sends no reply; strangers learn nothing.
    if (!isTrustedSender(sender, browser.runtime.id, extensionOrigin)) return undefined;
    const ask = () => answerMessage(tabs, database(), message, { tabId: sender.tab?.id });
    // webextension-polyfill sends the promise's value as the reply.
    return (faults ? faults.loaded.then(ask) : ask()).then((answer) => {
      const type = (message as { type?: unknown }).type;
      if (answer.ok && typeof type === 'string' && EDITS.has(type)) {
        sync.onLocalEdit();
        void announceChange(tabs, changedLessonId(answer.value), sender.tab?.id);
      }
      if (answer.ok && type === 'listLessonAnnotations' && sender.tab) sync.onLessonOpened();
      return answer;
    });
  });
});

/**
 * `storage.local` holds the sync server's password (issue #8). By default a
 * content script may read every storage area but `storage.session`, and ours
 * runs in the lesson page's process; it never needs `storage.local`, so only
 * our pages and this worker may read it. Chrome lets an extension say so;
 * Firefox does not yet (there `setAccessLevel` exists for `storage.session` only).
 */
function keepLocalStorageFromContentScripts(): void {
  const local: { setAccessLevel?: (options: { accessLevel: 'TRUSTED_CONTEXTS' }) => Promise<void> } = browser.storage.local;
  // Inside a promise, so a browser that throws at once cannot stop the worker's start.
  void Promise.resolve()
    .then(() => local.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' }))
    .catch((error: unknown) => logWarning('Could not keep storage.local from content scripts', error));
}
