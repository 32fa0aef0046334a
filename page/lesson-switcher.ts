/**
 * Follows the reader from lesson to lesson inside the single-page app: on each
 * URL change, tears the previous lesson's controller down, waits for the new
 * lesson to render, and starts a controller for it. On pages that are not
 * lessons it only listens for URL changes.
 */
import type { AnnotationStore, ControllerMessages, PageUi } from './lesson-controller';
import { LessonController } from './lesson-controller';
import type { HighlightPainter } from './highlight-painter';
import { parseLessonUrl } from './lesson-url';
import { lessonSignature, waitForLesson } from './wait-for-lesson';
import { watchLocation } from './location-watcher';

/** What a lesson needs, created on the first lesson only (nothing on other pages). */
export interface LessonEnvironment {
  store: AnnotationStore;
  painter: HighlightPainter;
  ui: PageUi;
  messages: ControllerMessages;
  /** Lets the UI's buttons reach the current controller. */
  onController(controller: LessonController | null): void;
}

interface Current {
  lessonId: string;
  aborter: AbortController;
  controller: LessonController | null;
}

/** Runs lesson controllers for `win` until `signal` aborts. */
export function followLessons(win: Window, environment: () => LessonEnvironment, signal: AbortSignal): void {
  let current: Current | null = null;
  const open = (href: string) => {
    const location = parseLessonUrl(href);
    if (location && location.lessonId === current?.lessonId) return;
    const previousSignature = current?.controller ? lessonSignature(current.controller.lessonParts) : null;
    close();
    if (!location) return;
    const env = environment();
    const aborter = new AbortController();
    const opened: Current = { lessonId: location.lessonId, aborter, controller: null };
    current = opened;
    // Asked for now, answered while the site renders the lesson: painting need
    // not wait for a round trip to the background once the text is there.
    // (A change announced before the controller exists is replayed: reveal.ts.)
    const listing = env.store.list(location.lessonId);
    void waitForLesson(win.document, aborter.signal, (parts) => lessonSignature(parts) !== previousSignature).then(
      (parts) => {
        if (!parts || aborter.signal.aborted) return;
        const controller = new LessonController(win.document, location, parts, env.store, env.painter, env.ui, env.messages);
        opened.controller = controller;
        env.onController(controller);
        void controller.start(listing);
      },
    );
  };
  const close = () => {
    current?.aborter.abort();
    current?.controller?.destroy();
    if (current?.controller) environment().onController(null);
    current = null;
  };
  if (signal.aborted) return;
  const stopWatching = watchLocation(win, open);
  signal.addEventListener('abort', () => {
    stopWatching();
    close();
  });
  open(win.location.href);
}
