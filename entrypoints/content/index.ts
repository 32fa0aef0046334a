/**
 * The content script on every page of time.geekbang.org: a loader. Most
 * pages of the site are not lessons (course lists, the store, the account),
 * and there it only watches the URL. On the first lesson page — at once, or
 * when the single-page app switches to one — it imports the lesson code
 * (entrypoints/lesson.ts, web-accessible to this site only), which runs in
 * this same isolated world and follows lessons from then on.
 */
import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { parseLessonUrl } from '../../page/lesson-url';
import { watchLocation } from '../../page/location-watcher';
import { logWarning } from '../../storage/logger';

/** The lesson code's file in the built extension (listed in web_accessible_resources). */
export const LESSON_SCRIPT = '/lesson.js';

export default defineContentScript({
  matches: ['*://time.geekbang.org/*'],
  runAt: 'document_idle',
  // WXT announces each start with a page-visible postMessage that names our
  // extension id: the lesson page need not learn that we are installed.
  noScriptStartedPostMessage: true,
  main() {
    const watching = new AbortController();
    const loadOnLesson = (href: string) => {
      if (!parseLessonUrl(href) || watching.signal.aborted) return;
      watching.abort();
      import(/* @vite-ignore */ browser.runtime.getURL(LESSON_SCRIPT)).catch((error: unknown) => {
        logWarning('Could not load the lesson code', error);
      });
    };
    watchLocation(window, loadOnLesson, watching.signal);
    loadOnLesson(location.href);
  },
});
