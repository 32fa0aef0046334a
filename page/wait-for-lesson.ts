/**
 * Waits for a lesson body to be rendered. The first HTML of a lesson has no
 * text; the body arrives after an API call. A mutation observer wakes us on
 * each render step; no polling.
 */
import { findLessonParts, type LessonParts } from './lesson-dom';

/**
 * Resolves with the lesson's parts once `accept` agrees they are the wanted
 * lesson's (after a switch the previous lesson stays on screen for a while),
 * or with null when `signal` aborts first.
 */
export function waitForLesson(
  doc: Document,
  signal: AbortSignal,
  accept: (parts: LessonParts) => boolean = () => true,
): Promise<LessonParts | null> {
  return new Promise((resolve) => {
    const ready = () => {
      const parts = findLessonParts(doc);
      return parts && accept(parts) ? parts : null;
    };
    const found = ready();
    if (found || signal.aborted) return resolve(found);
    const observer = new MutationObserver(() => {
      const parts = ready();
      if (!parts) return;
      observer.disconnect();
      resolve(parts);
    });
    observer.observe(doc.documentElement, { childList: true, subtree: true, characterData: true });
    signal.addEventListener('abort', () => {
      observer.disconnect();
      resolve(null);
    });
  });
}

/** A fingerprint of what a rendered lesson shows, to notice that a switch has rendered. */
export function lessonSignature(parts: LessonParts): string {
  return `${parts.lessonTitle}\u0000${(parts.body.textContent ?? '').slice(0, 200)}`;
}
