/**
 * The lesson code of the content script (entrypoints/lesson.ts, loaded by
 * entrypoints/loader.ts on the first lesson page): wires the
 * page-side logic (page/) to the background's message API and our
 * shadow-root UI. It never opens IndexedDB: in a content script that
 * database would belong to the website.
 */
import { browser } from 'wxt/browser';
import pageUiCss from '../../components/page-ui.css?inline';
import { loadStrings } from '../../components/strings';
import { HighlightPainter, canPaintHighlights } from '../../page/highlight-painter';
import type { LessonController } from '../../page/lesson-controller';
import { followLessons, type LessonEnvironment } from '../../page/lesson-switcher';
import { createUiActions } from '../../page/ui-actions';
import { mountUiHost } from '../../page/ui-host';
import { createMessageStore } from './message-store';
import { withReveals } from './reveal';

/** Starts following lessons in this page's isolated world; runs once, for the page's lifetime. */
export function startLessonHighlighter(): void {
  if (!canPaintHighlights(window)) return;
  // The page's lifetime: an update or reload of the extension leaves this
  // script orphaned, and its requests then fail in words (messaging-client.ts).
  const lifetime = new AbortController().signal;
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
}
