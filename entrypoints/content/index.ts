/**
 * Content script on time.geekbang.org: wires the page-side logic (page/) to
 * the background's message API and our shadow-root UI. It never opens
 * IndexedDB: in a content script that database would belong to the website.
 */
import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import pageUiCss from '../../components/page-ui.css?inline';
import { loadStrings } from '../../components/strings';
import { HighlightPainter, canPaintHighlights } from '../../page/highlight-painter';
import type { LessonController } from '../../page/lesson-controller';
import { followLessons, type LessonEnvironment } from '../../page/lesson-switcher';
import { createUiActions } from '../../page/ui-actions';
import { mountUiHost } from '../../page/ui-host';
import { createMessageStore } from './message-store';
import { withReveals } from './reveal';

export default defineContentScript({
  matches: ['*://time.geekbang.org/*'],
  runAt: 'document_idle',
  // WXT announces each start with a page-visible postMessage that names our
  // extension id: the lesson page need not learn that we are installed.
  noScriptStartedPostMessage: true,
  main(ctx) {
    if (!canPaintHighlights(window)) return;
    const lifetime = pageLifetime(ctx.signal);
    let environment: LessonEnvironment | null = null;
    // Built on the first lesson only: other pages of the site pay nothing.
    const lessonEnvironment = (): LessonEnvironment => {
      if (environment) return environment;
      const strings = loadStrings((key) => browser.i18n.getMessage(key));
      const ui = mountUiHost(document, strings, pageUiCss);
      const painter = new HighlightPainter(document);
      let controller: LessonController | null = null;
      ui.setActions(createUiActions(() => controller), (id) => controller?.panelAnnotation(id) ?? null);
      lifetime.addEventListener('abort', () => {
        ui.destroy();
        painter.destroy();
      });
      environment = {
        store: createMessageStore(),
        painter,
        ui,
        messages: {
          deleted: strings.highlightDeleted,
          saveFailed: (reason) => browser.i18n.getMessage('saveFailed', [reason]) || reason,
          tooLong: (length) => browser.i18n.getMessage('noteTooLong', [length.toLocaleString()]),
        },
        onController: (next) => (controller = next),
      };
      return environment;
    };
    followLessons(window, withReveals(lessonEnvironment, lifetime), lifetime);
  },
});

/**
 * Our content script lives as long as the page, or until the extension is
 * unloaded (reloaded, updated, removed). WXT's context also aborts on a DOM
 * event any page script can dispatch; that alone must not tear our UI down.
 */
function pageLifetime(context: AbortSignal): AbortSignal {
  const lifetime = new AbortController();
  context.addEventListener('abort', () => {
    if (browser.runtime?.id == null) lifetime.abort(context.reason);
  });
  return lifetime.signal;
}
