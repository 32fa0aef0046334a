/**
 * The background service worker: owns the database and answers the typed
 * requests of `storage/protocol.ts`. It holds nothing that matters in memory,
 * because the browser may stop it at any moment; every answer is read from or
 * written to IndexedDB.
 */
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { openDb, type LessonHighlighterDb } from '../storage/db';
import { handleRequest } from '../storage/handlers';
import { isTrustedSender } from '../storage/sender';

export default defineBackground(() => {
  // Opened on the first request, not at start-up: the worker is also woken
  // for events that never touch storage.
  let db: LessonHighlighterDb | undefined;
  const extensionOrigin = browser.runtime.getURL('/');

  // Registered synchronously in main() so the message that woke a stopped
  // worker is delivered to it.
  browser.runtime.onMessage.addListener((message: unknown, sender) => {
    // Returning undefined sends no reply; strangers learn nothing.
    if (!isTrustedSender(sender, browser.runtime.id, extensionOrigin)) return undefined;
    db ??= openDb();
    // webextension-polyfill sends the promise's value as the reply.
    return handleRequest(db, message);
  });
});
