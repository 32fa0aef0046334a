/**
 * What the content script does on every page of time.geekbang.org: most
 * pages of the site are not lessons (course lists, the store, the account),
 * and there it only watches the URL. On the first lesson URL — at once, or
 * when the single-page app switches to one — it asks for the lesson code,
 * once; from then on the lesson code follows lessons itself.
 *
 * Kept to the cheapest calls (every page of the site pays for them): a
 * substring test before any URL parsing, listeners without an AbortSignal.
 */
import { LESSON_PATH, parseLessonUrl } from './lesson-url';
import { watchLocation } from './location-watcher';

/** Calls `load()` once, when `win` first shows a lesson: now, or after a same-document navigation. */
export function loadOnFirstLesson(win: Window, load: () => void): void {
  let loaded = false;
  let stopWatching: (() => void) | undefined;
  const check = (href: string) => {
    if (loaded || !href.includes(LESSON_PATH) || !parseLessonUrl(href)) return;
    loaded = true;
    stopWatching?.();
    load();
  };
  check(win.location.href);
  // On a lesson page, nothing is left to watch.
  if (!loaded) stopWatching = watchLocation(win, check);
}
