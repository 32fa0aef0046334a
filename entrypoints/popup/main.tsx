/**
 * The toolbar popup (issue #4): finds the lesson in the active tab and mounts
 * the shared review UI for it.
 *
 * Test hook: `popup.html?tab=<tabId>` shows the popup as it would be for that
 * tab. End-to-end tests and the benchmark open the popup as an ordinary tab,
 * where "the active tab" would be the popup itself.
 */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { PopupApp } from '../../components/PopupApp';
import '../../components/review.css';
import { loadReviewStrings } from '../../components/review-strings';
import { parseLessonUrl } from '../../page/lesson-url';
import { logWarning } from '../../storage/logger';
import { createReviewClient, getMessage } from '../../storage/review-client';
import { syncStatusKey, type SyncStatus } from '../../storage/sync/sync-status';
import { summarizeSync, type SyncSummary } from '../../storage/sync/sync-summary';

async function currentLessonId(): Promise<string | null> {
  try {
    const forced = new URLSearchParams(location.search).get('tab');
    const tab = forced
      ? await browser.tabs.get(Number(forced))
      : (await browser.tabs.query({ active: true, lastFocusedWindow: true }))[0];
    // Our host permission reveals the URL of lesson tabs only, which is all we need.
    return tab?.url ? (parseLessonUrl(tab.url)?.lessonId ?? null) : null;
  } catch (error) {
    logWarning('Could not tell which tab the popup belongs to', error);
    return null;
  }
}

/** What the sync transports last wrote about themselves (storage.local), summed up for the indicator. */
async function readSyncSummary(): Promise<SyncSummary | null> {
  const keys = [syncStatusKey('browser'), syncStatusKey('server')];
  const stored = await browser.storage.local.get(keys);
  return summarizeSync(keys.map((key) => stored[key] as SyncStatus | undefined));
}

async function main(): Promise<void> {
  const locale = browser.i18n.getUILanguage();
  document.documentElement.lang = locale;
  const strings = loadReviewStrings(getMessage, locale);
  document.title = strings.appName;
  const [lessonId, sync] = await Promise.all([currentLessonId(), readSyncSummary()]);
  render(
    <PopupApp backend={createReviewClient(document)} strings={strings} currentLessonId={lessonId} sync={sync} />,
    document.getElementById('app')!,
  );
}

void main();
