/**
 * The popup's and library's data (issue #4): loads the annotations in two
 * steps (the first items to paint at once, then everything), and applies the
 * reader's edits, deletions and undos to what is shown once the background
 * has stored them.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Annotation, LessonNote } from '../storage/model';
import type { ReviewBackend } from '../storage/review-backend';
import type { ReviewStrings } from './review-strings';

/** How many of the most recent annotations the first paint shows. */
export const FIRST_PAGE_SIZE = 30;
const UNDO_TIMEOUT_MS = 8000;
const INFO_TIMEOUT_MS = 3000;

/** A message at the bottom of the page: an undo offer, a confirmation, or an error in words. */
export type ReviewToastState =
  { type: 'undo'; message: string; annotation: Annotation } | { type: 'info' | 'error'; message: string };

export interface ReviewData {
  /** Live annotations, most recently updated first; only the first page until `complete`. */
  annotations: Annotation[];
  /** The current lesson's annotations as loaded first, until everything is (popup only). */
  currentFirst: Annotation[] | null;
  notes: LessonNote[];
  /** True until the first items have arrived. */
  loading: boolean;
  /** Everything has been loaded. */
  complete: boolean;
  loadError: string | null;
  toast: ReviewToastState | null;
}

export interface ReviewActions {
  reload(): void;
  open(id: string): void;
  remove(id: string): Promise<void>;
  undo(): Promise<void>;
  /** Answers whether the note was saved. */
  saveNote(id: string, note: string): Promise<boolean>;
  /** Makes a conflict version of a highlight's note the note, in place in the lists (issue #5). */
  restoreNoteVersion(id: string, stamp: string): Promise<void>;
  /** The same for a lesson's page-level note. */
  restoreLessonNoteVersion(lessonId: string, stamp: string): Promise<void>;
  showToast(toast: ReviewToastState): void;
  dismissToast(): void;
}

/** Loads and edits the review data; `currentLessonId` is painted first when given. */
export function useReviewData(
  backend: ReviewBackend,
  strings: ReviewStrings,
  currentLessonId: string | null,
): [ReviewData, ReviewActions] {
  const [data, setData] = useState<ReviewData>(INITIAL_DATA);
  const update = useCallback(
    (patch: (previous: ReviewData) => Partial<ReviewData>) =>
      setData((previous) => ({ ...previous, ...patch(previous) })),
    [],
  );
  const showToast = useToast(update);
  const fail = (reason: string) => showToast({ type: 'error', message: strings.actionFailed(reason) });
  const load = useCallback(() => loadInTwoSteps(backend, currentLessonId, update, fail), [backend, currentLessonId]);
  // A layout effect starts loading before the first (empty) frame is painted, not after it.
  useLayoutEffect(() => void load(), [load]);
  const actions: ReviewActions = {
    reload: () => void load(),
    open: (id) => void backend.openAnnotation(id).then((opened) => !opened.ok && fail(opened.error)),
    async remove(id) {
      const deleted = await backend.deleteAnnotation(id);
      if (!deleted.ok) return fail(deleted.error);
      update((previous) => mapLists(previous, (list) => list.filter((annotation) => annotation.id !== id)));
      showToast({ type: 'undo', message: strings.deleted, annotation: deleted.value });
    },
    async undo() {
      if (data.toast?.type !== 'undo') return;
      const restored = await backend.restoreAnnotation(data.toast.annotation.id);
      if (!restored.ok) return fail(restored.error);
      update((previous) => ({ ...mapLists(previous, (list) => insertByRecency(list, restored.value)), toast: null }));
    },
    async saveNote(id, note) {
      const saved = await backend.saveNote(id, note);
      if (!saved.ok) {
        fail(saved.error);
        return false;
      }
      update((previous) =>
        mapLists(previous, (list) =>
          insertByRecency(
            list.filter((a) => a.id !== id),
            saved.value,
          ),
        ),
      );
      return true;
    },
    async restoreNoteVersion(id, stamp) {
      const restored = await backend.restoreNoteVersion(id, stamp);
      if (!restored.ok) return fail(restored.error);
      // In place: the item stays under the reader's pointer rather than jumping to the top.
      update((previous) => mapLists(previous, (list) => list.map((a) => (a.id === id ? restored.value : a))));
    },
    async restoreLessonNoteVersion(lessonId, stamp) {
      const restored = await backend.restoreLessonNoteVersion(lessonId, stamp);
      if (!restored.ok) return fail(restored.error);
      update((previous) => ({ notes: previous.notes.map((note) => (note.lessonId === lessonId ? restored.value : note)) }));
    },
    showToast,
    dismissToast: () => update(() => ({ toast: null })),
  };
  return [data, actions];
}

const INITIAL_DATA: ReviewData = {
  annotations: [],
  currentFirst: null,
  notes: [],
  loading: true,
  complete: false,
  loadError: null,
  toast: null,
};

type Update = (patch: (previous: ReviewData) => Partial<ReviewData>) => void;

/** Shows a toast and hides it after a while (an undo offer stays longer). */
function useToast(update: Update): (toast: ReviewToastState) => void {
  const timer = useRef(0);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(
    (toast: ReviewToastState) => {
      clearTimeout(timer.current);
      update(() => ({ toast }));
      const timeout = toast.type === 'undo' ? UNDO_TIMEOUT_MS : INFO_TIMEOUT_MS;
      timer.current = window.setTimeout(() => update(() => ({ toast: null })), timeout);
    },
    [update],
  );
}

/**
 * First what paints at once (the current lesson, or the most recent
 * annotations), then, after that frame, everything and the lesson notes.
 */
async function loadInTwoSteps(
  backend: ReviewBackend,
  currentLessonId: string | null,
  update: Update,
  fail: (reason: string) => void,
): Promise<void> {
  update(() => ({ loading: true, loadError: null }));
  const first = currentLessonId
    ? await backend.listLessonAnnotations(currentLessonId)
    : await backend.listAnnotations(FIRST_PAGE_SIZE);
  if (!first.ok) return update(() => ({ loading: false, loadError: first.error }));
  update(() => ({
    loading: false,
    ...(currentLessonId ? { currentFirst: first.value } : { annotations: first.value }),
  }));
  // Let the first items paint before the large answer is read and rendered.
  await nextPaint();
  const [all, notes] = await Promise.all([backend.listAnnotations(), backend.listLessonNotes()]);
  if (!all.ok) return update(() => ({ loadError: all.error }));
  update(() => ({ annotations: all.value, notes: notes.ok ? notes.value : [], complete: true, currentFirst: null }));
  if (!notes.ok) fail(notes.error);
}

/** Applies `change` to every list of annotations the data holds. */
function mapLists(data: ReviewData, change: (list: Annotation[]) => Annotation[]): Partial<ReviewData> {
  return {
    annotations: change(data.annotations),
    currentFirst: data.currentFirst && change(data.currentFirst),
  };
}

/** Inserts `annotation` where its `updatedAt` belongs in a most-recent-first list. */
function insertByRecency(list: readonly Annotation[], annotation: Annotation): Annotation[] {
  const at = list.findIndex((other) => other.updatedAt <= annotation.updatedAt);
  const copy = list.slice();
  copy.splice(at === -1 ? copy.length : at, 0, annotation);
  return copy;
}

/** Resolves after the next frame has been painted (or shortly, in a hidden page that paints no frames). */
function nextPaint(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 100);
    requestAnimationFrame(() => {
      clearTimeout(fallback);
      setTimeout(resolve, 0);
    });
  });
}
