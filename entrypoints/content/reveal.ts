/**
 * Reveals a highlight when the popup or library asks to see it (issue #4):
 * the background either sends `revealAnnotation` to this tab, or parks it
 * for the tab while the lesson is still loading; each lesson asks for a
 * parked one when it starts. The current lesson controller scrolls the
 * highlight into view and flashes it, waiting until it is painted.
 */
import { browser } from 'wxt/browser';
import type { LessonController } from '../../page/lesson-controller';
import type { LessonEnvironment } from '../../page/lesson-switcher';
import { sendRequest } from '../../storage/messaging-client';
import { logWarning } from '../../storage/logger';
import type { ContentMessage } from '../../storage/protocol';

/**
 * Wraps the content script's lesson environment so every lesson controller
 * also serves reveals. Listens until `signal` aborts.
 */
export function withReveals(environment: () => LessonEnvironment, signal: AbortSignal): () => LessonEnvironment {
  let controller: LessonController | null = null;
  /** A reveal that arrived between two lessons, for the next controller. */
  let waiting: string | null = null;
  /**
   * A change announced while no controller runs (the lesson still rendering):
   * the next controller's highlights were asked for before it, so it reloads.
   */
  let changedMeanwhile = false;
  const reveal = (id: string) => {
    if (controller) controller.reveal(id);
    else waiting = id;
  };
  // Answers with sendResponse, not a returned promise: the content script uses
  // the browser's own API (no polyfill), and Chrome's listeners answer that way.
  const onMessage = (message: unknown, sender: { id?: string }, sendResponse: (answer: boolean) => void) => {
    // Only our own background may ask; the page's scripts cannot reach this listener anyway.
    if (sender.id !== browser.runtime.id) return undefined;
    if (isChangedMessage(message)) {
      // Another tab, the popup or sync changed what is stored: show it without a reload.
      if (controller) void controller.reload(message.lessonId);
      else changedMeanwhile = true;
      sendResponse(true);
      return undefined;
    }
    if (!isRevealMessage(message)) return undefined;
    reveal(message.id);
    sendResponse(true);
    return undefined;
  };
  browser.runtime.onMessage.addListener(onMessage);
  signal.addEventListener('abort', () => browser.runtime.onMessage.removeListener(onMessage));

  const started = (next: LessonController) => {
    if (waiting) next.reveal(waiting);
    waiting = null;
    if (changedMeanwhile) void next.reload(null);
    changedMeanwhile = false;
    void sendRequest({ type: 'takePendingReveal' }).then((pending) => {
      if (!pending.ok) return logWarning(`Could not ask for a highlight to reveal: ${pending.error}`);
      if (pending.value && controller === next) next.reveal(pending.value);
    });
  };
  let wrapped: LessonEnvironment | null = null;
  return () => {
    if (wrapped) return wrapped;
    const inner = environment();
    wrapped = {
      ...inner,
      onController(next) {
        inner.onController(next);
        controller = next;
        if (next) started(next);
      },
    };
    return wrapped;
  };
}

/**
 * Checked by hand rather than with the protocol's zod schema, which would
 * bundle the validation library into every lesson page.
 */
function isRevealMessage(message: unknown): message is Extract<ContentMessage, { type: 'revealAnnotation' }> {
  if (typeof message !== 'object' || message === null) return false;
  return 'type' in message && message.type === 'revealAnnotation' && 'id' in message && typeof message.id === 'string';
}

function isChangedMessage(message: unknown): message is Extract<ContentMessage, { type: 'annotationsChanged' }> {
  if (typeof message !== 'object' || message === null) return false;
  return 'type' in message && message.type === 'annotationsChanged' && 'lessonId' in message &&
    (message.lessonId === null || typeof message.lessonId === 'string');
}
