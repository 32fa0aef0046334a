/**
 * Margin notes on one lesson: the cards beside their highlights (or markers
 * when the margin is too narrow), the note editor with autosave, the lesson's
 * page-level note, and the list of highlights that could not be placed.
 *
 * Layout runs once per animation frame at most, reading everything before
 * writing. Scrolling never re-renders cards: the card layer is moved with one
 * transform, computed from the scroll offset alone.
 */
import { MAX_NOTE_LENGTH, type Annotation, type LessonNote, type LessonRef, type NoteVersion } from '../storage/model';
import type { HighlightPainter } from './highlight-painter';
import type { LessonParts } from './lesson-dom';
import type { AnnotationStore } from './lesson-controller';
import { estimateCardHeight } from './card-size';
import { layoutCards, type CardRequest } from './margin-layout';
import { contentOrigin, measureMargin } from './margin-geometry';
import type { EditorState, EditorTarget, NoteCardState, NoteVersionState, OrphanState } from './page-ui-state';
import { detectPageTheme, watchThemeChanges, type PageTheme } from './page-theme';
import type { UiStateStore } from './ui-state-store';

/** How long typing pauses before the note is saved. */
export const AUTOSAVE_DELAY_MS = 700;
/**
 * Cards are rendered only this many screens above and below the visible
 * margin; the others are placed by their estimated height. Creating 200 cards
 * at once cost a restore several frames.
 */
const RENDER_REACH_SCREENS = 1;
/** After scrolling pauses this long, cards that came near the screen are rendered. */
const SCROLL_SETTLE_MS = 120;
/** Height of the closed conflict-versions disclosure under a note (issue #5). */
const VERSIONS_LINE_PX = 24;

/** What the notes need from the shadow-root UI beyond rendering. */
export interface NotesUiHost {
  /** Matches our UI to the site's reading theme. */
  setTheme(theme: PageTheme): void;
  /** Moves the card layer to `offset` without re-rendering it. */
  scrollMargin(offset: number): void;
  /** Rendered card heights by annotation id. */
  measureCards(): Map<string, number>;
  /** Calls back when any card changes size (expanded, edited, fonts). Returns a stop function. */
  onCardsResized(callback: () => void): () => void;
}

export interface NotesMessages {
  tooLong(length: number): string;
  saveFailed(reason: string): string;
}

export interface NotesContext {
  doc: Document;
  lesson(): LessonRef;
  parts(): LessonParts;
  /** Live annotations of the lesson, in any order. */
  annotations(): ReadonlyMap<string, Annotation>;
  /** Tells the lesson controller a note was stored. */
  onAnnotationSaved(annotation: Annotation): void;
  store: AnnotationStore;
  painter: HighlightPainter;
  ui: UiStateStore;
  host: NotesUiHost;
  messages: NotesMessages;
}

export class NotesController {
  private layoutFrame = 0;
  private scrollFrame = 0;
  private scrollSettleTimer = 0;
  /** Set for a pass after scrolling: render new cards now, measure them in the next pass. */
  private measureLater = false;
  /** Content coordinates of the band where cards are rendered (set by each layout). */
  private renderedBand = { top: 0, bottom: 0 };
  /** Last measured height of each card, with the note it was measured for. */
  private readonly measured = new Map<string, { note: string; height: number }>();
  private scrolledOrigin = 0;
  private autosaveTimer = 0;
  private containerTop = 0;
  private lessonNote: LessonNote | null = null;
  /** Saves run one after another, so an older text never overwrites a newer one. */
  private saving: Promise<unknown> = Promise.resolve();
  private readonly aborter = new AbortController();
  private readonly bodyResizes = new ResizeObserver(() => this.scheduleLayout());
  private observedBody: Element | null = null;

  constructor(private readonly context: NotesContext) {}

  /** Loads the lesson note and starts following scroll, resizes, fonts and images. */
  async start(): Promise<void> {
    const { doc } = this.context;
    const win = doc.defaultView!;
    const options = { capture: true, passive: true, signal: this.aborter.signal };
    doc.addEventListener('scroll', () => this.onScroll(), options);
    win.addEventListener('resize', () => this.scheduleLayout(), options);
    doc.fonts?.addEventListener?.('loadingdone', () => this.scheduleLayout(), { signal: this.aborter.signal });
    const stopCards = this.context.host.onCardsResized(() => this.scheduleLayout());
    watchThemeChanges(this.context.parts().body, () => this.applyTheme(), this.aborter.signal);
    this.aborter.signal.addEventListener('abort', () => {
      this.bodyResizes.disconnect();
      stopCards();
    });
    await this.reloadLessonNote();
  }

  /** Reads the lesson's page-level note again (it may have changed in another tab). */
  async reloadLessonNote(): Promise<void> {
    const loaded = await this.context.store.getLessonNote(this.context.lesson().lessonId);
    if (loaded.ok) this.lessonNote = loaded.value;
    this.refresh();
  }

  destroy(): void {
    this.aborter.abort();
    cancelAnimationFrame(this.layoutFrame);
    cancelAnimationFrame(this.scrollFrame);
    clearTimeout(this.scrollSettleTimer);
    clearTimeout(this.autosaveTimer);
  }

  /** Recomputes cards and the unplaced list after highlights changed. */
  refresh(): void {
    this.followBodySize();
    this.applyTheme();
    const orphans: OrphanState[] = [];
    for (const annotation of this.sortedAnnotations()) {
      if (!this.context.painter.rangeOf(annotation.id)) {
        orphans.push({ id: annotation.id, quote: annotation.target.quote.exact, note: annotation.note, color: annotation.color });
      }
    }
    this.context.ui.update({ orphans, ...this.lessonNoteState() });
    this.scheduleLayout();
  }

  /** What the dock and the lesson panel show of the lesson's page-level note. */
  private lessonNoteState() {
    return { hasLessonNote: Boolean(this.lessonNote?.note), lessonNoteVersions: conflictStates(this.lessonNote?.sync?.notes) };
  }

  private applyTheme(): void {
    this.context.host.setTheme(detectPageTheme(this.context.parts().body));
  }

  /** Images loading, re-renders and theme changes all change the body's size: lay out again. */
  private followBodySize(): void {
    const body = this.context.parts().body;
    if (body === this.observedBody || this.aborter.signal.aborted) return;
    this.bodyResizes.disconnect();
    this.bodyResizes.observe(body);
    this.observedBody = body;
  }

  /** Lays the margin out on the next animation frame (once, however often it is asked). */
  scheduleLayout(): void {
    if (this.layoutFrame) return;
    this.layoutFrame = requestAnimationFrame(() => {
      this.layoutFrame = 0;
      this.layout();
    });
  }

  /**
   * Reads highlight positions and card sizes, then places every card. Only
   * cards near the screen are rendered; new ones are rendered at their
   * highlight, measured together, and placed in the same frame.
   */
  layout(): void {
    const { doc, ui } = this.context;
    const win = doc.defaultView!;
    const parts = this.context.parts();
    const geometry = measureMargin(parts, win);
    this.containerTop = parts.scrollContainer?.getBoundingClientRect().top ?? 0;
    const origin = contentOrigin(parts, win, this.containerTop);
    const anchors = this.anchorTops(origin);
    const base = { ...geometry, offset: origin - geometry.clip.top, cards: [], markers: [] };
    if (geometry.mode === 'markers') {
      const annotations = this.context.annotations();
      ui.update({ margin: { ...base, markers: anchors.map(({ id, anchorTop }) => ({ id, top: anchorTop, color: annotations.get(id)!.color })) } });
    } else {
      const reach = geometry.clip.height * RENDER_REACH_SCREENS;
      const visibleTop = geometry.clip.top - origin;
      this.renderedBand = { top: visibleTop - reach, bottom: visibleTop + geometry.clip.height + reach };
      this.rememberHeights();
      let cards = this.nearCards(this.placeCards(anchors));
      const measureNow = !this.measureLater;
      this.measureLater = false;
      if (measureNow && cards.some(({ id }) => !this.measured.has(id))) {
        ui.update({ margin: { ...base, cards } });
        this.rememberHeights();
        cards = this.nearCards(this.placeCards(anchors));
      }
      ui.update({ margin: { ...base, cards } });
    }
    // Scrolling moves the layer directly, so its transform may differ from
    // the last rendered one: set it explicitly.
    this.context.host.scrollMargin(base.offset);
  }

  /** Keeps the heights of the rendered cards, for when they are placed without being rendered. */
  private rememberHeights(): void {
    const annotations = this.context.annotations();
    for (const [id, height] of this.context.host.measureCards()) {
      const note = annotations.get(id)?.note;
      if (note !== undefined) this.measured.set(id, { note, height });
    }
  }

  private heightOf(id: string): number {
    const annotation = this.context.annotations().get(id);
    const note = annotation?.note ?? '';
    const known = this.measured.get(id);
    if (known && known.note === note) return known.height;
    // A closed "1 other version" line under the note (page-ui.css: .versions).
    const versionsLine = (annotation?.sync?.notes.length ?? 0) > 1 ? VERSIONS_LINE_PX : 0;
    return estimateCardHeight(note) + versionsLine;
  }

  /** The placed cards that fall in the rendered band (and the one being edited). */
  private nearCards(cards: NoteCardState[]): NoteCardState[] {
    const editing = this.editingId();
    const { top, bottom } = this.renderedBand;
    return cards.filter((card) => card.id === editing || (card.top < bottom && card.top + this.heightOf(card.id) > top));
  }

  /** Where each card's highlight starts, in content coordinates, in document order. */
  private anchorTops(origin: number): Array<{ id: string; anchorTop: number }> {
    const editing = this.editingId();
    const anchors: Array<{ id: string; anchorTop: number }> = [];
    for (const annotation of this.sortedAnnotations()) {
      if (!annotation.note && annotation.id !== editing) continue;
      const rect = this.context.painter.rangeOf(annotation.id)?.getClientRects()[0];
      if (rect) anchors.push({ id: annotation.id, anchorTop: rect.top - origin });
    }
    return anchors;
  }

  /** Every card placed, rendered or not: heights measured where known, estimated otherwise. */
  private placeCards(anchors: ReadonlyArray<{ id: string; anchorTop: number }>): NoteCardState[] {
    const annotations = this.context.annotations();
    const requests: CardRequest[] = anchors.map(({ id, anchorTop }) => ({ id, anchorTop, height: this.heightOf(id) }));
    const tops = layoutCards(requests, this.editingId());
    return requests.map(({ id }) => {
      const { color, note, sync } = annotations.get(id)!;
      return { id, top: tops.get(id)!, color, note, versions: conflictStates(sync?.notes) };
    });
  }

  /**
   * The scroll offset is read in the scroll event itself, before the site's
   * own scroll handlers write styles (Simplebar moves its thumb), so the read
   * forces nothing; the frame callback only writes.
   */
  private onScroll(): void {
    if (!this.context.ui.state.margin) return;
    this.scrolledOrigin = contentOrigin(this.context.parts(), this.context.doc.defaultView!, this.containerTop);
    if (this.scrollFrame) return;
    this.scrollFrame = requestAnimationFrame(() => {
      this.scrollFrame = 0;
      const margin = this.context.ui.state.margin;
      if (!margin) return;
      this.context.host.scrollMargin(this.scrolledOrigin - margin.clip.top);
      if (margin.mode === 'cards' && this.leftRenderedBand(margin)) {
        // Render the cards that came near only once scrolling pauses: a
        // layout reads positions, which must not happen between scroll frames.
        clearTimeout(this.scrollSettleTimer);
        this.scrollSettleTimer = window.setTimeout(() => {
          // New cards appear at their estimated height; measuring them at once
          // would force a layout, so the card ResizeObserver asks for the
          // next pass, which reads a clean layout.
          this.measureLater = true;
          this.scheduleLayout();
        }, SCROLL_SETTLE_MS);
      }
    });
  }

  /** Whether the visible margin has moved past half of the band whose cards are rendered. */
  private leftRenderedBand(margin: { clip: { top: number; height: number } }): boolean {
    const visibleTop = margin.clip.top - this.scrolledOrigin;
    const slack = (margin.clip.height * RENDER_REACH_SCREENS) / 2;
    return visibleTop < this.renderedBand.top + slack || visibleTop + margin.clip.height > this.renderedBand.bottom - slack;
  }

  private sortedAnnotations(): Annotation[] {
    return [...this.context.annotations().values()].sort(
      (a, b) => a.target.position.start - b.target.position.start || a.createdAt - b.createdAt,
    );
  }

  private editingId(): string | null {
    const target = this.context.ui.state.editor?.target;
    return target?.type === 'annotation' ? target.id : null;
  }

  // ---- Editor ---------------------------------------------------------------

  /** Opens a highlight's note in the editor (in its card, or in the panel when there are markers). */
  async openNote(id: string, options: { edit: boolean } = { edit: true }): Promise<void> {
    const annotation = this.context.annotations().get(id);
    if (!annotation || !(await this.closeEditor())) return;
    const markers = this.context.ui.state.margin?.mode !== 'cards' || !this.context.painter.rangeOf(id);
    this.context.ui.update({
      editor: options.edit ? savedEditor({ type: 'annotation', id }, annotation.note) : null,
      panel: markers ? { type: 'note', id } : null,
    });
    if (markers) this.keepHighlightAbovePanel(id);
    this.scheduleLayout();
  }

  /** Opens the lesson's page-level note. */
  async openLessonNote(): Promise<void> {
    if (!(await this.closeEditor())) return;
    this.context.ui.update({
      editor: savedEditor({ type: 'lesson' }, this.lessonNote?.note ?? ''),
      panel: { type: 'lesson' },
    });
  }

  /** The reader typed: keep the text, check its length, and save after a pause. */
  editText(text: string): void {
    const editor = this.context.ui.state.editor;
    if (!editor) return;
    clearTimeout(this.autosaveTimer);
    if (text.length > MAX_NOTE_LENGTH) {
      this.context.ui.update({ editor: { ...editor, text, status: 'error', message: this.context.messages.tooLong(text.length) } });
      return;
    }
    this.context.ui.update({ editor: { ...editor, text, status: 'dirty', message: null } });
    this.autosaveTimer = window.setTimeout(() => void this.saveNote(), AUTOSAVE_DELAY_MS);
  }

  /** Saves the editor's text now. Resolves to whether it is stored. */
  saveNote(): Promise<boolean> {
    clearTimeout(this.autosaveTimer);
    const run = this.saving.then(() => this.saveOnce());
    this.saving = run;
    return run;
  }

  private async saveOnce(): Promise<boolean> {
    const editor = this.context.ui.state.editor;
    if (!editor) return true;
    if (editor.status === 'saved') return true;
    if (editor.text.length > MAX_NOTE_LENGTH) return false;
    const { text, target } = editor;
    this.context.ui.update({ editor: { ...editor, status: 'saving', message: null } });
    const saved = await this.store(target, text);
    const current = this.context.ui.state.editor;
    if (!current || !sameTarget(current.target, target)) return saved.ok;
    if (!saved.ok) {
      // The text stays in the editor: nothing the reader typed is dropped.
      this.context.ui.update({ editor: { ...current, status: 'error', message: this.context.messages.saveFailed(saved.error) } });
      return false;
    }
    const upToDate = current.text === text;
    this.context.ui.update({ editor: { ...current, status: upToDate ? 'saved' : current.status === 'error' ? 'error' : 'dirty' } });
    return true;
  }

  private async store(target: EditorTarget, text: string): Promise<{ ok: true } | { ok: false; error: string }> {
    if (target.type === 'lesson') {
      const saved = await this.context.store.saveLessonNote(this.context.lesson(), text);
      if (saved.ok) {
        this.lessonNote = saved.value;
        this.context.ui.update(this.lessonNoteState());
      }
      return saved.ok ? { ok: true } : saved;
    }
    const saved = await this.context.store.update(target.id, { note: text });
    if (!saved.ok) return saved;
    this.context.onAnnotationSaved(saved.value);
    this.refresh();
    return { ok: true };
  }

  /**
   * Closes the editor, saving what is unsaved first. Resolves false (and
   * keeps the editor open with the reason) when that save fails.
   */
  async closeEditor(): Promise<boolean> {
    if (!this.context.ui.state.editor) return true;
    if (!(await this.saveNote())) return false;
    const panel = this.context.ui.state.panel;
    this.context.ui.update({ editor: null, panel: panel?.type === 'note' ? panel : null });
    this.scheduleLayout();
    return true;
  }

  /** Clears the note (the highlight stays) and closes the editor. */
  async deleteNote(): Promise<void> {
    const editor = this.context.ui.state.editor;
    if (!editor) return;
    this.context.ui.update({ editor: { ...editor, text: '', status: 'dirty' } });
    if (await this.closeEditor()) this.context.ui.update({ panel: null });
  }

  // ---- Conflict versions (issue #5) ------------------------------------------

  /**
   * Makes a conflict version of a highlight's note the note; the replaced
   * text becomes a conflict version. An open editor of that note is saved
   * and closed first. Answers the refusal in words, if any.
   */
  async restoreNoteVersion(id: string, stamp: string): Promise<{ ok: true } | { ok: false; error: string }> {
    const editor = this.context.ui.state.editor;
    // A failed save keeps the editor open with the reason: nothing more to say.
    if (editor && sameTarget(editor.target, { type: 'annotation', id }) && !(await this.closeEditor())) return { ok: true };
    const restored = await this.context.store.restoreNoteVersion(id, stamp);
    if (!restored.ok) return restored;
    this.context.onAnnotationSaved(restored.value);
    this.refresh();
    return { ok: true };
  }

  /**
   * The same for the lesson's page-level note. What the editor holds is
   * saved first (a new text replaces every version, so the choice may then
   * be refused); the editor then shows the restored text.
   */
  async restoreLessonNoteVersion(stamp: string): Promise<{ ok: true } | { ok: false; error: string }> {
    // A failed save keeps the editor open with the reason: nothing more to say.
    if (!(await this.saveNote())) return { ok: true };
    const typed = this.context.ui.state.editor?.text;
    const restored = await this.context.store.restoreLessonNoteVersion(this.context.lesson().lessonId, stamp);
    if (!restored.ok) return restored;
    this.lessonNote = restored.value;
    const editor = this.context.ui.state.editor;
    // Text typed while the choice was on its way stays in the editor (and is saved over it).
    const showRestored = editor?.target.type === 'lesson' && editor.text === typed;
    this.context.ui.update({
      ...this.lessonNoteState(),
      ...(showRestored ? { editor: savedEditor({ type: 'lesson' }, restored.value.note) } : {}),
    });
    return { ok: true };
  }

  /** Opens the unplaced-highlights panel. */
  async openUnplaced(): Promise<void> {
    if (await this.closeEditor()) this.context.ui.update({ panel: { type: 'unplaced' } });
  }

  /** Closes the panel (saving an open editor first). */
  async closePanel(): Promise<void> {
    if (await this.closeEditor()) this.context.ui.update({ panel: null });
  }

  /** The panel covers the bottom of the screen: scroll the highlight above it. */
  private keepHighlightAbovePanel(id: string): void {
    const rect = this.context.painter.rangeOf(id)?.getBoundingClientRect();
    const win = this.context.doc.defaultView!;
    if (!rect) return;
    const visibleBottom = win.innerHeight * 0.5;
    if (rect.top >= 16 && rect.bottom <= visibleBottom) return;
    const delta = rect.top - win.innerHeight * 0.2;
    const container = this.context.parts().scrollContainer;
    if (container) container.scrollTop += delta;
    else win.scrollBy(0, delta);
  }
}

/**
 * Every version of a note, the shown one first, when it has conflict
 * versions (the disclosure offers the others and dismisses them by restoring
 * the first); none when it has only the one.
 */
export function conflictStates(versions: readonly NoteVersion[] | undefined): NoteVersionState[] {
  if (!versions || versions.length < 2) return [];
  return versions.map(({ stamp, text }) => ({ stamp, text }));
}

function savedEditor(target: EditorTarget, text: string): EditorState {
  return { target, text, status: 'saved', message: null };
}

function sameTarget(a: EditorTarget, b: EditorTarget): boolean {
  if (a.type === 'lesson') return b.type === 'lesson';
  return b.type === 'annotation' && a.id === b.id;
}
