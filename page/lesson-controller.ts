/**
 * Everything our extension does on one open lesson: put stored highlights
 * back, follow the page's re-renders, turn selections into highlights, and
 * answer clicks on highlights. One instance per lesson; `destroy()` (or the
 * abort signal) removes every trace when the reader switches lessons.
 *
 * It talks to storage through {@link AnnotationStore} and to the screen
 * through {@link PageUi}, so it can be tested without a browser extension.
 */
import type { Annotation, AnnotationDraft, AnnotationPatch, HighlightColor } from '../storage/model';
import type { Result } from '../storage/protocol';
import { anchorTargetForPaint, describeRange } from './anchoring';
import type { HighlightPainter } from './highlight-painter';
import { findLessonParts, textRoots, type LessonParts } from './lesson-dom';
import type { LessonLocation } from './lesson-url';
import { MENU_SIZE, TOOLBAR_SIZE, type PageUiState } from './page-ui-state';
import { placePopover, type Box } from './popover-position';
import { rangeBox, selectedRangeWithin } from './selection';
import { buildTextIndex, type TextIndex } from './text-index';

/** Storage as the page sees it: the background's message API. */
export interface AnnotationStore {
  list(lessonId: string): Promise<Result<Annotation[]>>;
  create(draft: AnnotationDraft): Promise<Result<Annotation>>;
  update(id: string, patch: AnnotationPatch): Promise<Result<Annotation>>;
  remove(id: string): Promise<Result<Annotation>>;
  restore(id: string): Promise<Result<Annotation>>;
  reportAnchors(lessonId: string, results: Array<{ id: string; status: 'anchored' | 'orphan' }>): Promise<Result<unknown>>;
}

/** The in-page UI: renders a state, and knows which nodes are its own. */
export interface PageUi {
  render(state: PageUiState): void;
  contains(node: Node): boolean;
}

/** Localised messages the controller shows. */
export interface ControllerMessages {
  deleted: string;
  saveFailed: (reason: string) => string;
}

/** Re-anchoring waits for the page to settle: a re-render arrives in bursts. */
const REANCHOR_DELAY_MS = 120;
const UNDO_TIMEOUT_MS = 6000;
const PAGE_MENU_SELECTOR = '[class*="noteMenu_"]';

export class LessonController {
  private readonly annotations = new Map<string, Annotation>();
  private state: PageUiState = { toolbar: null, menu: null, toast: null };
  private index: TextIndex | null = null;
  private selection: Range | null = null;
  private lastDeleted: string | null = null;
  private reanchorTimer = 0;
  private flashTimer = 0;
  /** A highlight to show as soon as it is painted (the lesson may still be rendering). */
  private pendingReveal: string | null = null;
  private toastTimer = 0;
  private readonly aborter = new AbortController();

  constructor(
    private readonly doc: Document,
    private readonly lesson: LessonLocation,
    private parts: LessonParts,
    private readonly store: AnnotationStore,
    private readonly painter: HighlightPainter,
    private readonly ui: PageUi,
    private readonly messages: ControllerMessages,
  ) {}

  /** Loads and paints this lesson's highlights and starts listening to the reader. */
  async start(): Promise<void> {
    this.listen();
    const listed = await this.store.list(this.lesson.lessonId);
    if (this.aborter.signal.aborted) return;
    if (!listed.ok) return this.showError(listed.error);
    for (const annotation of listed.value) this.annotations.set(annotation.id, annotation);
    this.reanchor();
  }

  /** The lesson parts this controller currently reads. */
  get lessonParts(): LessonParts {
    return this.parts;
  }

  /** Stops everything: listeners, timers, paint and UI. */
  destroy(): void {
    this.aborter.abort();
    clearTimeout(this.reanchorTimer);
    clearTimeout(this.toastTimer);
    clearTimeout(this.flashTimer);
    this.painter.clear();
    this.ui.render({ toolbar: null, menu: null, toast: null });
  }

  /** Re-reads the page and puts every highlight back; reports what could not be placed. */
  reanchor(): void {
    clearTimeout(this.reanchorTimer);
    this.parts = findLessonParts(this.doc) ?? this.parts;
    const index = this.currentIndex(true);
    this.painter.clear();
    const results: Array<{ id: string; status: 'anchored' | 'orphan' }> = [];
    for (const annotation of this.annotations.values()) {
      const ranges = anchorTargetForPaint(index, annotation.target);
      if (ranges) this.painter.paint(annotation.id, ranges, annotation.color);
      const status = ranges ? 'anchored' : 'orphan';
      if (status !== annotation.anchorStatus) {
        results.push({ id: annotation.id, status });
        this.annotations.set(annotation.id, { ...annotation, anchorStatus: status });
      }
    }
    if (results.length > 0) void this.store.reportAnchors(this.lesson.lessonId, results);
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
    const element = range.startContainer.parentElement;
    element?.scrollIntoView({ block: 'center', behavior: 'smooth' });
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

  private listen(): void {
    const options = { capture: true, signal: this.aborter.signal };
    const win = this.doc.defaultView!;
    win.addEventListener('mouseup', (event) => this.afterPointerUp(event), options);
    win.addEventListener('keyup', (event) => this.afterKeyUp(event), options);
    win.addEventListener('mousedown', (event) => this.onPointerDown(event), options);
    this.doc.addEventListener('selectionchange', () => this.onSelectionChange(), { signal: this.aborter.signal });
    this.doc.addEventListener('scroll', () => this.reposition(), options);
    win.addEventListener('resize', () => this.reposition(), options);
    const observer = new MutationObserver((records) => this.onMutations(records));
    observer.observe(this.doc.body, { childList: true, subtree: true, characterData: true });
    this.aborter.signal.addEventListener('abort', () => observer.disconnect());
  }

  private onMutations(records: MutationRecord[]): void {
    // The site's own menu pops up where ours is: move ours out of its way.
    const pageMenuShown = records.some((record) => [...record.addedNodes].some(isPageMenu));
    if (pageMenuShown) this.reposition();
    const roots = textRoots(this.parts);
    const touchesLesson = records.some((record) => {
      if (this.ui.contains(record.target) || isPageMenu(record.target)) return false;
      return roots.some((root) => root.contains(record.target) || !root.isConnected);
    });
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

  private isOwnEvent(event: Event): boolean {
    return event.composedPath().some((node) => node instanceof Node && this.ui.contains(node));
  }

  private onPointerDown(event: MouseEvent): void {
    if (this.isOwnEvent(event)) return;
    if (this.state.toolbar || this.state.menu) this.setState({ toolbar: null, menu: null });
  }

  private afterPointerUp(event: MouseEvent): void {
    if (this.isOwnEvent(event) || event.button !== 0) return;
    const { clientX, clientY } = event;
    // Let the browser finish updating the selection before reading it.
    setTimeout(() => {
      if (this.aborter.signal.aborted) return;
      if (!this.showToolbarForSelection()) this.openMenuAt(clientX, clientY);
    }, 0);
  }

  private afterKeyUp(event: KeyboardEvent): void {
    if (this.isOwnEvent(event)) return;
    if (event.key === 'Escape') return this.setState({ toolbar: null, menu: null });
    if (event.shiftKey || event.key === 'Shift') this.showToolbarForSelection();
  }

  private onSelectionChange(): void {
    // A copy moves the selection away for one tick (the site's copy hijack):
    // only hide once the selection has really gone.
    if (!this.state.toolbar) return;
    setTimeout(() => {
      if (this.state.toolbar && !selectedRangeWithin(this.doc, textRoots(this.parts))) {
        this.selection = null;
        this.setState({ toolbar: null });
      }
    }, 150);
  }

  private showToolbarForSelection(): boolean {
    const range = selectedRangeWithin(this.doc, textRoots(this.parts));
    if (!range) return false;
    this.selection = range.cloneRange();
    const box = rangeBox(range);
    if (!box) return false;
    this.setState({ toolbar: this.place(box, TOOLBAR_SIZE), menu: null });
    return true;
  }

  private openMenuAt(x: number, y: number): void {
    if (this.doc.getSelection()?.isCollapsed === false) return;
    const [id] = this.painter.hitTest(x, y);
    const annotation = id ? this.annotations.get(id) : undefined;
    const range = id ? this.painter.rangeOf(id) : undefined;
    const box = range && rangeBox(range);
    if (!annotation || !box) {
      if (this.state.menu) this.setState({ menu: null });
      return;
    }
    const placement = this.place(box, MENU_SIZE);
    this.setState({ toolbar: null, menu: { annotationId: annotation.id, color: annotation.color, ...placement } });
  }

  /** Keeps open popovers beside their text while the lesson scrolls or the window resizes. */
  private reposition(): void {
    const { toolbar, menu } = this.state;
    if (toolbar && this.selection) {
      const box = rangeBox(this.selection);
      this.setState({ toolbar: box ? this.place(box, TOOLBAR_SIZE) : null });
    }
    if (menu) {
      const range = this.painter.rangeOf(menu.annotationId);
      const box = range && rangeBox(range);
      this.setState({ menu: box ? { ...menu, ...this.place(box, MENU_SIZE) } : null });
    }
  }

  private place(anchor: Box, size: { width: number; height: number }) {
    const win = this.doc.defaultView!;
    const avoid = [...this.doc.querySelectorAll(PAGE_MENU_SELECTOR)]
      .map((element) => element.getBoundingClientRect())
      .filter((rect) => rect.width > 0 && rect.height > 0);
    return placePopover(anchor, size, { width: win.innerWidth, height: win.innerHeight }, avoid);
  }

  /** Creates a highlight of the current selection in `color`. */
  async highlightSelection(color: HighlightColor): Promise<void> {
    const range = this.selection;
    if (!range) return;
    const target = describeRange(this.currentIndex(), range);
    if (!target) return;
    const draft: AnnotationDraft = {
      lesson: { site: 'time.geekbang.org', ...this.lesson, lessonTitle: this.parts.lessonTitle, courseTitle: this.parts.courseTitle },
      target,
      color,
    };
    const created = await this.store.create(draft);
    if (!created.ok) return this.showError(created.error);
    this.annotations.set(created.value.id, created.value);
    const ranges = anchorTargetForPaint(this.currentIndex(), created.value.target);
    if (ranges) this.painter.paint(created.value.id, ranges, color);
    this.selection = null;
    this.doc.getSelection()?.removeAllRanges();
    this.setState({ toolbar: null });
  }

  /** Changes the color of the highlight whose menu is open. */
  async recolorMenuHighlight(color: HighlightColor): Promise<void> {
    const menu = this.state.menu;
    if (!menu) return;
    const updated = await this.store.update(menu.annotationId, { color });
    if (!updated.ok) return this.showError(updated.error);
    this.annotations.set(updated.value.id, updated.value);
    this.painter.recolor(updated.value.id, color);
    this.setState({ menu: null });
  }

  /** Deletes the highlight whose menu is open, offering an undo. */
  async deleteMenuHighlight(): Promise<void> {
    const menu = this.state.menu;
    if (!menu) return;
    const deleted = await this.store.remove(menu.annotationId);
    if (!deleted.ok) return this.showError(deleted.error);
    this.annotations.delete(menu.annotationId);
    this.painter.remove(menu.annotationId);
    this.lastDeleted = menu.annotationId;
    this.setState({ menu: null });
    this.showToast({ type: 'undo', message: this.messages.deleted });
  }

  /** Restores the last deleted highlight. */
  async undoDelete(): Promise<void> {
    const id = this.lastDeleted;
    if (!id) return;
    this.lastDeleted = null;
    const restored = await this.store.restore(id);
    if (!restored.ok) return this.showError(restored.error);
    this.annotations.set(id, restored.value);
    const ranges = anchorTargetForPaint(this.currentIndex(), restored.value.target);
    if (ranges) this.painter.paint(id, ranges, restored.value.color);
    this.setState({ toast: null });
  }

  /** Closes popovers and messages. */
  dismiss(): void {
    this.setState({ toolbar: null, menu: null, toast: null });
  }

  private showError(reason: string): void {
    this.showToast({ type: 'error', message: this.messages.saveFailed(reason) });
  }

  private showToast(toast: NonNullable<PageUiState['toast']>): void {
    clearTimeout(this.toastTimer);
    this.setState({ toast });
    this.toastTimer = window.setTimeout(() => {
      this.lastDeleted = null;
      this.setState({ toast: null });
    }, UNDO_TIMEOUT_MS);
  }

  private setState(patch: Partial<PageUiState>): void {
    this.state = { ...this.state, ...patch };
    this.ui.render(this.state);
  }
}

function isPageMenu(node: Node): boolean {
  const element = node instanceof Element ? node : node.parentElement;
  return Boolean(element?.closest(PAGE_MENU_SELECTOR));
}
