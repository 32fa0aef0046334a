/**
 * The popup's and library's {@link ReviewBackend}: requests go to the
 * background through the message API; files are saved by clicking a link to
 * a Blob (no "downloads" permission needed) and text is copied with the
 * clipboard API.
 */
import { browser } from 'wxt/browser';
import type { ReviewBackend } from './review-backend';
import type { ExportFile } from './export-files';
import { sendRequest } from './messaging-client';

/** Object URLs are released once the browser has surely started the download. */
const RELEASE_URL_AFTER_MS = 60_000;

/** The backend for an extension page (`doc` is its document). */
export function createReviewClient(doc: Document): ReviewBackend {
  return {
    listLessonAnnotations: (lessonId) => sendRequest({ type: 'listLessonAnnotations', lessonId }),
    listAnnotations: (limit) =>
      sendRequest(limit === undefined ? { type: 'listAnnotations' } : { type: 'listAnnotations', limit }),
    listLessonNotes: () => sendRequest({ type: 'listLessonNotes' }),
    saveNote: (id, note) => sendRequest({ type: 'updateAnnotation', id, patch: { note } }),
    deleteAnnotation: (id) => sendRequest({ type: 'deleteAnnotation', id }),
    restoreAnnotation: (id) => sendRequest({ type: 'restoreAnnotation', id }),
    restoreNoteVersion: (id, stamp) => sendRequest({ type: 'restoreNoteVersion', id, stamp }),
    restoreLessonNoteVersion: (lessonId, stamp) => sendRequest({ type: 'restoreLessonNoteVersion', lessonId, stamp }),
    openAnnotation: (id) => sendRequest({ type: 'openAnnotation', id }),
    download: (file) => downloadFile(doc, file),
    copyText: async (text) => {
      try {
        await navigator.clipboard.writeText(text);
        return { ok: true, value: null };
      } catch (error) {
        return { ok: false, error: `The clipboard refused the text (${String(error)}).` };
      }
    },
    importFile: (text) => sendRequest({ type: 'importAnnotations', text }),
    openLibrary: () => void browser.tabs.create({ url: browser.runtime.getURL('/library.html') }),
    newCollectionId: () => `urn:uuid:${crypto.randomUUID()}`,
  };
}

function downloadFile(doc: Document, file: ExportFile): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: `${file.mimeType};charset=utf-8` }));
  const link = doc.createElement('a');
  link.href = url;
  link.download = file.name;
  link.hidden = true;
  doc.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), RELEASE_URL_AFTER_MS);
}

/**
 * `browser.i18n.getMessage` for computed keys. WXT types it with one overload
 * per key in messages.json, which a key held in a `string` cannot satisfy.
 */
export const getMessage = (key: string, substitutions?: string[]): string =>
  (browser.i18n.getMessage as (key: string, substitutions?: string[]) => string)(key, substitutions);
