/**
 * Everything our extension does on one open lesson: put stored highlights
 * back, follow the page's re-renders, turn selections into highlights, and
 * act on the reader's choices in the toolbar and menus. Margin notes are
 * delegated to {@link NotesController}, pointer handling to {@link Popovers}.
 * One instance per lesson; `destroy()` removes every trace when the reader
 * switches lessons.
 *
 * It talks to storage through {@link AnnotationStore} and to the screen
 * through {@link PageUi}, so it can be tested without a browser extension.
 */
import type { Annotation, AnnotationDraft, AnnotationPatch, HighlightColor, LessonNote, LessonRef } from '../storage/model';
import type { Result } from '../storage/protocol';
import { anchorTargetForPaint, anchorTargetsForPaint, describeRange } from './anchoring';
import type { HighlightPainter } from './highlight-painter';
import { findLessonParts, textRoots, type LessonParts } from './lesson-dom';
import type { LessonLocation } from './lesson-url';
import { conflictStates, NotesController, type NotesMessages, type NotesUiHost } from './notes-controller';
import type { PageUiState, PanelAnnotationState } from './page-ui-state';
import { PAGE_MENU_SELECTOR, Popovers } from './popovers';
import { buildTextIndex, type TextIndex } from './text-index';
import { UiStateStore } from './ui-state-store';

/** Storage as the page sees it: the background's message API. */
export interface AnnotationStore {
  list(lessonId: string): Promise<Result<Annotation[]>>;
  create(draft: AnnotationDraft): Promise<Result<Annotation>>;
  update(id: string, patch: AnnotationPatch): Promise<Result<Annotation>>;
  remove(id: string): Promise<Result<Annotation>>;
  restore(id: string): Promise<Result<Annotation>>;
  reportAnchors(lessonId: string, results: Array<{ id: string; status: 'anchored' | 'orphan' }>): Promise<Result<unknown>>;
  getLessonNote(lessonId: string): Promise<Result<LessonNote | null>>;
  saveLessonNote(lesson: LessonRef, note: string): Promise<Result<LessonNote>>;
  /** Makes a conflict version of a highlight's note the note (issue #5). */
  restoreNoteVersion(id: string, stamp: string): Promise<Result<Annotation>>;
  /** Makes a conflict version of the lesson's page-level note the note. */
  restoreLessonNoteVersion(lessonId: string, stamp: string): Promise<Result<LessonNote>>;
}

/** The in-page UI: renders a state, knows which nodes are its own, and hosts the margin. */
export interface PageUi extends NotesUiHost {
  render(state: PageUiState): void;
  contains(node: Node): boolean;
}

/** Localised messages the controller shows. */
export interface ControllerMessages extends NotesMessages {
  deleted: string;
}

/** Re-anchoring waits for the page to settle: a re-render arrives in bursts. */
const REANCHOR_DELAY_MS = 120;
const UNDO_TIMEOUT_MS = 6000;
const DEFAULT_NOTE_COLOR: HighlightColor = 'yellow';

export class LessonController {
  private readonly annotations = new Map<string, Annotation>();
  private readonly ui: UiStateStore;
  private readonly notes: NotesController;
  private readonly popovers: Popovers;
  private index: TextIndex | null = null;
  private lastDeleted: string | null = null;
  private reanchorTimer = 0;
  private flashTimer = 0;
  private toastTimer = 0;
  /** A highlight to show as soon as it is painted (the lesson may still be rendering). */
  private pendingReveal: string | null = null;
  private readonly aborter = new AbortController();

  constructor(
    private readonly doc: Document,
    private readonly lesson: LessonLocation,
    private parts: LessonParts,
    private readonly store: AnnotationStore,
    private readonly painter: HighlightPainter,
    private readonly pageUi: PageUi,
    private readonly messages: ControllerMessages,
  ) {
    this.ui = new UiStateStore(pageUi);
    this.notes = new NotesController({
      doc,
      lesson: () => this.lessonRef(),
      parts: () => this.parts,
      annotations: () => this.annotations,
      onAnnotationSaved: (annotation) => this.annotations.set(annotation.id, annotation),
      store,
      painter,
      ui: this.ui,
      host: pageUi,
      messages,
    });
    this.popovers = new Popovers(
      {
        doc,
        ui: this.ui,
        painter,
        textRoots: () => textRoots(this.parts),
        annotation: (id) => this.annotations.get(id),
        isOwnNode: (node) => pageUi.contains(node),
        notedIds: () => new Set(this.ui.state.margin?.cards.map((card) => card.id) ?? []),
      },
      this.aborter.signal,
    );
  }

  /**
   * Loads and paints this lesson's highlights and starts following the page.
   * `listing` is the answer to a `list` already asked for while the lesson
   * rendered (lesson-switcher.ts), so painting does not wait for a round trip.
   */
  async start(listing?: Promise<Result<Annotation[]>>): Promise<void> {
    this.observeMutations();
    const listed = await (listing ?? this.store.list(this.lesson.lessonId));
    if (this.aborter.signal.aborted) return;
    if (!listed.ok) return this.showError(listed.error);
    for (const annotation of listed.value) this.annotations.set(annotation.id, annotation);
    this.reanchor();
    await this.notes.start();
  }

  /**
   * Reads the lesson's highlights again and repaints them: something else
   * (another tab, the popup, sync) changed them. `lessonId` null means any lesson.
   */
  async reload(lessonId: string | null): Promise<void> {
    if (lessonId !== null && lessonId !== this.lesson.lessonId) return;
    const listed = await this.store.list(this.lesson.lessonId);
    if (this.aborter.signal.aborted || !listed.ok) return;
    this.annotations.clear();
    for (const annotation of listed.value) this.annotations.set(annotation.id, annotation);
    this.reanchor();
    await this.notes.reloadLessonNote();
  }

  /** The lesson parts this controller currently reads. */
  get lessonParts(): LessonParts {
    return this.parts;
  }

  /** The UI actions, for the shadow-root UI's buttons. */
  get notesController(): NotesController {
    return this.notes;
  }

  /** Stops everything: listeners, timers, paint and UI. */
  destroy(): void {
    this.aborter.abort();
    this.notes.destroy();
    clearTimeout(this.reanchorTimer);
    clearTimeout(this.toastTimer);
    clearTimeout(this.flashTimer);
    this.painter.clear();
    this.ui.reset();
  }

  /** Re-reads the page and puts every highlight back; reports what could not be placed. */
  reanchor(): void {
    clearTimeout(this.reanchorTimer);
    this.parts = findLessonParts(this.doc) ?? this.parts;
    const index = this.currentIndex(true);
    this.painter.clear();
    const results: Array<{ id: string; status: 'anchored' | 'orphan' }> = [];
    const annotations = [...this.annotations.values()];
    const anchored = anchorTargetsForPaint(index, annotations.map((annotation) => annotation.target));
    for (const [i, annotation] of annotations.entries()) {
      const ranges = anchored[i];
      if (ranges) this.painter.paint(annotation.id, ranges, annotation.color);
      const status = ranges ? 'anchored' : 'orphan';
      if (status !== annotation.anchorStatus) {
        results.push({ id: annotation.id, status });
        this.annotations.set(annotation.id, { ...annotation, anchorStatus: status });
      }
    }
    if (results.length > 0) void this.store.reportAnchors(this.lesson.lessonId, results);
    this.notes.refresh();
    if (this.pendingReveal) this.reveal(this.pendingReveal);
  }

  /**
   * Scrolls a highlight into view — inside the lesson's own scroll container,
   * which `scrollIntoView` moves — and flashes it. A highlight not painted
   * yet is revealed when it is.
   */
  reveal(id: string): void {
    const range = this.painter.rangeOf(id);
    if (!range) {
      this.pendingReveal = id;
      return;
    }
    this.pendingReveal = null;
    range.startContainer.parentElement?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    this.flash(id, 6);
  }

  private flash(id: string, blinks: number): void {
    clearTimeout(this.flashTimer);
    this.painter.emphasize(blinks > 0 && blinks % 2 === 0 ? id : null);
    if (blinks > 0) this.flashTimer = window.setTimeout(() => this.flash(id, blinks - 1), 350);
  }

  private currentIndex(rebuild = false): TextIndex {
    if (rebuild || !this.index) this.index = buildTextIndex(textRoots(this.parts));
    return this.index;
  }

  private lessonRef(): LessonRef {
    return { site: 'time.geekbang.org', ...this.lesson, lessonTitle: this.parts.lessonTitle, courseTitle: this.parts.courseTitle };
  }

  private observeMutations(): void {
    const observer = new MutationObserver((records) => this.onMutations(records));
    observer.observe(this.doc.body, { childList: true, subtree: true, characterData: true });
    this.aborter.signal.addEventListener('abort', () => observer.disconnect());
  }

  private onMutations(records: MutationRecord[]): void {
    // The site's own menu pops up where ours is: move ours out of its way.
    if (records.some((record) => [...record.addedNodes].some(isPageMenu))) this.popovers.reposition();
    const roots = textRoots(this.parts);
    const touchesLesson = records.some(
      (record) =>
        !this.pageUi.contains(record.target) &&
        !isPageMenuChange(record) &&
        roots.some((root) => root.contains(record.target) || !root.isConnected),
    );
    if (!touchesLesson && !this.hasNewParts()) return;
    this.index = null;
    clearTimeout(this.reanchorTimer);
    this.reanchorTimer = window.setTimeout(() => this.reanchor(), REANCHOR_DELAY_MS);
  }

  /** Comments (and sometimes the title) render after the body: notice when they arrive. */
  private hasNewParts(): boolean {
    if (this.parts.title && this.parts.comments) return false;
    const fresh = findLessonParts(this.doc);
    return Boolean(fresh && (fresh.title !== this.parts.title || fresh.comments !== this.parts.comments));
  }

  /** Creates a highlight of the current selection in `color`; answers it, or null. */
  async highlightSelection(color: HighlightColor): Promise<Annotation | null> {
    const range = this.popovers.selection;
    const target = range && describeRange(this.currentIndex(), range);
    if (!target) return null;
    const created = await this.store.create({ lesson: this.lessonRef(), target, color });
    if (!created.ok) {
      this.showError(created.error);
      return null;
    }
    this.annotations.set(created.value.id, created.value);
    const ranges = anchorTargetForPaint(this.currentIndex(), created.value.target);
    if (ranges) this.painter.paint(created.value.id, ranges, color);
    this.doc.getSelection()?.removeAllRanges();
    this.popovers.closeToolbar();
    return created.value;
  }

  /** "Add note" in the toolbar: highlight the selection and open its note editor at once. */
  async highlightSelectionWithNote(): Promise<void> {
    const created = await this.highlightSelection(DEFAULT_NOTE_COLOR);
    if (created) await this.notes.openNote(created.id);
  }

  /** "Add note" / "Edit note" in a highlight's menu. */
  async editMenuNote(): Promise<void> {
    const menu = this.ui.state.menu;
    if (!menu) return;
    this.ui.update({ menu: null });
    await this.notes.openNote(menu.annotationId);
  }

  /** Changes the color of the highlight whose menu is open. */
  async recolorMenuHighlight(color: HighlightColor): Promise<void> {
    const menu = this.ui.state.menu;
    if (!menu) return;
    const updated = await this.store.update(menu.annotationId, { color });
    if (!updated.ok) return this.showError(updated.error);
    this.annotations.set(updated.value.id, updated.value);
    this.painter.recolor(updated.value.id, color);
    this.ui.update({ menu: null });
    this.notes.refresh();
  }

  /** Deletes the highlight whose menu is open (its note with it), offering an undo. */
  async deleteMenuHighlight(): Promise<void> {
    const menu = this.ui.state.menu;
    if (!menu) return;
    const deleted = await this.store.remove(menu.annotationId);
    if (!deleted.ok) return this.showError(deleted.error);
    this.annotations.delete(menu.annotationId);
    this.painter.remove(menu.annotationId);
    this.lastDeleted = menu.annotationId;
    const editor = this.ui.state.editor;
    const editingIt = editor?.target.type === 'annotation' && editor.target.id === menu.annotationId;
    this.ui.update({ menu: null, ...(editingIt ? { editor: null, panel: null } : {}) });
    this.notes.refresh();
    this.showToast({ type: 'undo', message: this.messages.deleted });
  }

  /** Restores the last deleted highlight, with its note. */
  async undoDelete(): Promise<void> {
    const id = this.lastDeleted;
    if (!id) return;
    this.lastDeleted = null;
    const restored = await this.store.restore(id);
    if (!restored.ok) return this.showError(restored.error);
    this.annotations.set(id, restored.value);
    const ranges = anchorTargetForPaint(this.currentIndex(), restored.value.target);
    if (ranges) this.painter.paint(id, ranges, restored.value.color);
    this.ui.update({ toast: null });
    this.notes.refresh();
  }

  /** A highlight as a note panel shows it. */
  panelAnnotation(id: string): PanelAnnotationState | null {
    const annotation = this.annotations.get(id);
    if (!annotation) return null;
    const { note, color, sync } = annotation;
    return { id, quote: annotation.target.quote.exact, note, color, versions: conflictStates(sync?.notes) };
  }

  /** "Use this version" under a highlight's note: the replaced text becomes a conflict version. */
  async restoreNoteVersion(id: string, stamp: string): Promise<void> {
    const restored = await this.notes.restoreNoteVersion(id, stamp);
    if (!restored.ok && !this.aborter.signal.aborted) this.showError(restored.error);
  }

  /** "Use this version" under the lesson's page-level note. */
  async restoreLessonNoteVersion(stamp: string): Promise<void> {
    const restored = await this.notes.restoreLessonNoteVersion(stamp);
    if (!restored.ok && !this.aborter.signal.aborted) this.showError(restored.error);
  }

  /** How notes are shown now: cards in the margin, or markers when it is too narrow. */
  marginMode(): 'cards' | 'markers' {
    return this.ui.state.margin?.mode ?? 'cards';
  }

  /** Highlights a note card's highlight while the pointer is over the card. */
  hoverNote(id: string | null): void {
    this.painter.emphasize(id);
    this.ui.update({ hoveredId: id });
  }

  /** Closes popovers and messages. */
  dismiss(): void {
    this.popovers.closeToolbar();
    this.ui.update({ menu: null, toast: null });
  }

  private showError(reason: string): void {
    this.showToast({ type: 'error', message: this.messages.saveFailed(reason) });
  }

  private showToast(toast: NonNullable<PageUiState['toast']>): void {
    clearTimeout(this.toastTimer);
    this.ui.update({ toast });
    this.toastTimer = window.setTimeout(() => {
      this.lastDeleted = null;
      this.ui.update({ toast: null });
    }, UNDO_TIMEOUT_MS);
  }
}

/** The site's menu appearing or changing is not a change of the lesson's text. */
function isPageMenuChange(record: MutationRecord): boolean {
  if (isPageMenu(record.target)) return true;
  const nodes = [...record.addedNodes, ...record.removedNodes];
  return nodes.length > 0 && nodes.every(isPageMenu);
}

function isPageMenu(node: Node): boolean {
  const element = node instanceof Element ? node : node.parentElement;
  return Boolean(element?.closest(PAGE_MENU_SELECTOR));
}
