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
import { isTrustedSender } from '../../storage/sender';
import { answerMessage } from '../../storage/tab-requests';
import { announceChange, changedLessonId } from '../../storage/change-broadcast';
import { startSync } from './sync-wiring';
import { createTabsPort } from './tabs-port';

/** Requests that change what is stored: each one is news for sync. */
const EDITS = new Set([
  'createAnnotation', 'updateAnnotation', 'deleteAnnotation', 'restoreAnnotation',
  'saveLessonNote', 'importAnnotations', 'restoreNoteVersion',
]);

export default defineBackground(() => {
  // Opened on the first request, not at start-up: the worker is also woken
  // for events that never touch storage.
  let db: LessonHighlighterDb | undefined;
  const extensionOrigin = browser.runtime.getURL('/');
  const tabs = createTabsPort();
  const sync = startSync(() => (db ??= openDb()), () => void announceChange(tabs, null));

  // Registered synchronously in main() so the message that woke a stopped
  // worker is delivered to it.
  browser.runtime.onMessage.addListener((message: unknown, sender) => {
    // Returning undefined sends no reply; strangers learn nothing.
    if (!isTrustedSender(sender, browser.runtime.id, extensionOrigin)) return undefined;
    db ??= openDb();
    // webextension-polyfill sends the promise's value as the reply.
    return answerMessage(tabs, db, message, { tabId: sender.tab?.id }).then((answer) => {
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
