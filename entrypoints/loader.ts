/**
 * The content script on every page of time.geekbang.org: a loader (see
 * page/lesson-loader.ts). On the first lesson page it imports the lesson code
 * (entrypoints/lesson.ts, web-accessible to this site only), which runs in
 * this same isolated world.
 *
 * It is registered in the manifest by wxt.config.ts as a plain script, not as
 * a WXT content script, and it touches the extension API only when it loads
 * the lesson code: creating a world's extension API bindings
 * (`chrome.runtime`) is most of what a content script costs on a page, and
 * WXT's content-script wrapper does so as it starts. On a page that is not a
 * lesson this took the loader from ~2.8 ms to ~0.8 ms of main-thread time on
 * a first load (bench: weight).
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { loadOnFirstLesson } from '../page/lesson-loader';
import { logWarning } from '../storage/logger';

/** The lesson code's file in the built extension (listed in web_accessible_resources). */
export const LESSON_SCRIPT = '/lesson.js';

export default defineUnlistedScript(() => {
  loadOnFirstLesson(window, () => {
    import(/* @vite-ignore */ extensionRuntime().getURL(LESSON_SCRIPT)).catch((error: unknown) => {
      logWarning('Could not load the lesson code', error);
    });
  });
});

/** The extension's `runtime`, looked up only when needed (Firefox names the API `browser`, Chrome `chrome`). */
function extensionRuntime(): { getURL(path: string): string } {
  type Api = { runtime?: { id?: string; getURL(path: string): string } };
  const { browser, chrome } = globalThis as { browser?: Api; chrome?: Api };
  return (browser?.runtime?.id ? browser.runtime : chrome!.runtime)!;
}
