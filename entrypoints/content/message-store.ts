/** The page's {@link AnnotationStore}, backed by the background's message API. */
import type { AnnotationStore } from '../../page/lesson-controller';
import { sendRequest } from '../../storage/messaging-client';

export function createMessageStore(): AnnotationStore {
  return {
    list: (lessonId) => sendRequest({ type: 'listLessonAnnotations', lessonId }),
    create: (draft) => sendRequest({ type: 'createAnnotation', draft }),
    update: (id, patch) => sendRequest({ type: 'updateAnnotation', id, patch }),
    remove: (id) => sendRequest({ type: 'deleteAnnotation', id }),
    restore: (id) => sendRequest({ type: 'restoreAnnotation', id }),
    reportAnchors: (lessonId, results) => sendRequest({ type: 'reportAnchorResults', lessonId, results }),
    getLessonNote: (lessonId) => sendRequest({ type: 'getLessonNote', lessonId }),
    saveLessonNote: (lesson, note) => sendRequest({ type: 'saveLessonNote', lesson, note }),
    restoreNoteVersion: (id, stamp) => sendRequest({ type: 'restoreNoteVersion', id, stamp }),
    restoreLessonNoteVersion: (lessonId, stamp) => sendRequest({ type: 'restoreLessonNoteVersion', lessonId, stamp }),
  };
}
