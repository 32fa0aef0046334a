/**
 * The reader's pointer and keyboard on the lesson: a finished selection
 * shows the color toolbar, a click on a highlight opens its menu, hovering a
 * highlight emphasises its note card, and open popovers follow the text when
 * it scrolls. Only decides what to show; acting on a choice is the
 * controller's job.
 */
import type { Annotation } from '../storage/model';
import type { HighlightPainter } from './highlight-painter';
import { MENU_SIZE, TOOLBAR_SIZE } from './page-ui-state';
import { placePopover, type Box } from './popover-position';
import { rangeBox, selectedRangeWithin } from './selection';
import type { UiStateStore } from './ui-state-store';

/** The site's own selection menu, which ours must not cover. */
export const PAGE_MENU_SELECTOR = '[class*="noteMenu_"]';

export interface PopoverContext {
  doc: Document;
  ui: UiStateStore;
  painter: HighlightPainter;
  /** Where a selection may start and end: the lesson's title, body and comments. */
  textRoots(): Element[];
  annotation(id: string): Annotation | undefined;
  /** Whether a node belongs to our own UI. */
  isOwnNode(node: Node): boolean;
  /** Ids of highlights that have a note card (hover is tracked only for them). */
  notedIds(): ReadonlySet<string>;
}

export class Popovers {
  /** The selection the toolbar acts on; kept because a click elsewhere may clear the live one. */
  selection: Range | null = null;
  private hoverFrame = 0;

  constructor(
    private readonly context: PopoverContext,
    signal: AbortSignal,
  ) {
    const { doc } = context;
    const win = doc.defaultView!;
    const options = { capture: true, signal };
    win.addEventListener('mouseup', (event) => this.afterPointerUp(event), options);
    win.addEventListener('keyup', (event) => this.afterKeyUp(event), options);
    win.addEventListener('mousedown', (event) => this.onPointerDown(event), options);
    win.addEventListener('mousemove', (event) => this.onPointerMove(event), { ...options, passive: true });
    doc.addEventListener('selectionchange', () => this.onSelectionChange(), { signal });
    doc.addEventListener('scroll', () => this.reposition(), { ...options, passive: true });
    win.addEventListener('resize', () => this.reposition(), options);
    signal.addEventListener('abort', () => cancelAnimationFrame(this.hoverFrame));
  }

  /** Keeps open popovers beside their text while the lesson scrolls, the window resizes or the site's menu appears. */
  reposition(): void {
    const { toolbar, menu } = this.context.ui.state;
    if (toolbar && this.selection) {
      const box = rangeBox(this.selection);
      this.context.ui.update({ toolbar: box ? this.place(box, TOOLBAR_SIZE) : null });
    }
    if (menu) {
      const range = this.context.painter.rangeOf(menu.annotationId);
      const box = range && rangeBox(range);
      this.context.ui.update({ menu: box ? { ...menu, ...this.place(box, MENU_SIZE) } : null });
    }
  }

  /** Hides the toolbar and forgets the selection it was for. */
  closeToolbar(): void {
    this.selection = null;
    this.context.ui.update({ toolbar: null });
  }

  private isOwnEvent(event: Event): boolean {
    return event.composedPath().some((node) => node instanceof Node && this.context.isOwnNode(node));
  }

  private onPointerDown(event: MouseEvent): void {
    if (this.isOwnEvent(event)) return;
    const { toolbar, menu } = this.context.ui.state;
    if (toolbar || menu) this.context.ui.update({ toolbar: null, menu: null });
  }

  private afterPointerUp(event: MouseEvent): void {
    if (this.isOwnEvent(event) || event.button !== 0) return;
    const { clientX, clientY } = event;
    // Let the browser finish updating the selection before reading it.
    setTimeout(() => {
      if (!this.showToolbarForSelection()) this.openMenuAt(clientX, clientY);
    }, 0);
  }

  private afterKeyUp(event: KeyboardEvent): void {
    if (this.isOwnEvent(event)) return;
    if (event.key === 'Escape') return this.context.ui.update({ toolbar: null, menu: null });
    if (event.shiftKey || event.key === 'Shift') this.showToolbarForSelection();
  }

  private onSelectionChange(): void {
    // A copy moves the selection away for one tick (the site's copy hijack):
    // only hide once the selection has really gone.
    if (!this.context.ui.state.toolbar) return;
    setTimeout(() => {
      if (this.context.ui.state.toolbar && !selectedRangeWithin(this.context.doc, this.context.textRoots())) {
        this.closeToolbar();
      }
    }, 150);
  }

  private onPointerMove(event: MouseEvent): void {
    // Over our own cards the card itself sets the emphasis.
    if (this.hoverFrame || this.context.notedIds().size === 0 || this.isOwnEvent(event)) return;
    const { clientX, clientY } = event;
    this.hoverFrame = requestAnimationFrame(() => {
      this.hoverFrame = 0;
      const noted = this.context.notedIds();
      const hovered = this.context.painter.hitTest(clientX, clientY).find((id) => noted.has(id)) ?? null;
      if (hovered !== this.context.ui.state.hoveredId) {
        this.context.painter.emphasize(hovered);
        this.context.ui.update({ hoveredId: hovered });
      }
    });
  }

  private showToolbarForSelection(): boolean {
    const range = selectedRangeWithin(this.context.doc, this.context.textRoots());
    if (!range) return false;
    this.selection = range.cloneRange();
    const box = rangeBox(range);
    if (!box) return false;
    this.context.ui.update({ toolbar: this.place(box, TOOLBAR_SIZE), menu: null });
    return true;
  }

  private openMenuAt(x: number, y: number): void {
    if (this.context.doc.getSelection()?.isCollapsed === false) return;
    const [id] = this.context.painter.hitTest(x, y);
    const annotation = id ? this.context.annotation(id) : undefined;
    const range = id ? this.context.painter.rangeOf(id) : undefined;
    const box = range && rangeBox(range);
    if (!annotation || !box) {
      if (this.context.ui.state.menu) this.context.ui.update({ menu: null });
      return;
    }
    const menu = { annotationId: annotation.id, color: annotation.color, hasNote: annotation.note !== '' };
    this.context.ui.update({ toolbar: null, menu: { ...menu, ...this.place(box, MENU_SIZE) } });
  }

  private place(anchor: Box, size: { width: number; height: number }) {
    const { doc } = this.context;
    const win = doc.defaultView!;
    const avoid = [...doc.querySelectorAll(PAGE_MENU_SELECTOR)]
      .map((element) => element.getBoundingClientRect())
      .filter((rect) => rect.width > 0 && rect.height > 0);
    return placePopover(anchor, size, { width: win.innerWidth, height: win.innerHeight }, avoid);
  }
}
