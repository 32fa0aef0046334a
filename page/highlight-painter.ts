/**
 * Paints highlights with the CSS Custom Highlight API: ranges registered in
 * `CSS.highlights`, styled by `::highlight()`. The lesson body is a
 * framework-managed (Slate/React) tree; wrapping text in our own elements
 * would be undone or crash its reconciler on the next render. Highlights add
 * no nodes, so the page never sees a change.
 *
 * The API's weak side is that a painted range is not an element: it gets no
 * events. Clicks and hovers are hit-tested here ({@link HighlightPainter.hitTest}).
 *
 * Browsers: this is the one place that paints, in Chrome and in Firefox
 * (140+). A Firefox content script sees the page's `CSS` and `Highlight`
 * through Xray wrappers; they work as they are (no `wrappedJSObject`,
 * `cloneInto` or `exportFunction` needed), and tests/e2e/firefox.test.ts
 * checks the pixels on screen.
 */
import { HIGHLIGHT_COLORS, type HighlightColor } from '../storage/model';

/** Registry names; the public test contract says they begin with this. */
export const HIGHLIGHT_NAME_PREFIX = 'lesson-highlight';
const FOCUS_NAME = `${HIGHLIGHT_NAME_PREFIX}-focus`;
const STYLE_ID = 'lesson-highlighter-style';

/** Translucent so the text stays legible on the site's white, sepia and dark themes. */
export const COLOR_VALUES: Record<HighlightColor, string> = {
  yellow: 'rgba(255, 212, 0, 0.42)',
  green: 'rgba(64, 201, 110, 0.36)',
  blue: 'rgba(66, 153, 255, 0.34)',
  pink: 'rgba(255, 92, 160, 0.32)',
  purple: 'rgba(160, 100, 255, 0.34)',
};

interface Painted {
  /** Usually one range; several when the text is interrupted by skipped content (line numbers). */
  ranges: Range[];
  color: HighlightColor;
}

/** True when this browser can paint highlights without touching the DOM. */
export function canPaintHighlights(win: Window): boolean {
  const { CSS, Highlight } = win as PageWindow;
  return typeof CSS?.highlights?.set === 'function' && typeof Highlight === 'function';
}

/** A window with its globals typed (CSS, Highlight). */
type PageWindow = Window & typeof globalThis;

/** Owns our entries in `CSS.highlights` for one document. */
export class HighlightPainter {
  private readonly painted = new Map<string, Painted>();
  private readonly layers = new Map<HighlightColor, Highlight>();
  private readonly focus: Highlight;

  constructor(private readonly doc: Document) {
    const win = doc.defaultView!;
    for (const color of HIGHLIGHT_COLORS) {
      const layer = new win.Highlight();
      layer.priority = 1;
      this.layers.set(color, layer);
      win.CSS.highlights.set(`${HIGHLIGHT_NAME_PREFIX}-${color}`, layer);
    }
    this.focus = new win.Highlight();
    this.focus.priority = 2;
    win.CSS.highlights.set(FOCUS_NAME, this.focus);
    this.installStyle();
  }

  /** Paints (or repaints) one highlight. */
  paint(id: string, ranges: readonly Range[], color: HighlightColor): void {
    this.remove(id);
    this.painted.set(id, { ranges: [...ranges], color });
    const layer = this.layers.get(color)!;
    for (const range of ranges) layer.add(range);
  }

  /** Changes a painted highlight's color; unknown ids are ignored. */
  recolor(id: string, color: HighlightColor): void {
    const painted = this.painted.get(id);
    if (painted) this.paint(id, painted.ranges, color);
  }

  /** Removes one highlight's paint; unknown ids are ignored. */
  remove(id: string): void {
    const painted = this.painted.get(id);
    if (!painted) return;
    for (const range of painted.ranges) {
      this.layers.get(painted.color)!.delete(range);
      this.focus.delete(range);
    }
    this.painted.delete(id);
  }

  /** Removes every highlight's paint. */
  clear(): void {
    for (const layer of this.layers.values()) layer.clear();
    this.focus.clear();
    this.painted.clear();
  }

  /** The whole span a highlight is painted on (first range's start to last's end), if painted. */
  rangeOf(id: string): Range | undefined {
    const ranges = this.painted.get(id)?.ranges;
    if (!ranges?.length) return undefined;
    const span = ranges[0]!.cloneRange();
    const last = ranges[ranges.length - 1]!;
    span.setEnd(last.endContainer, last.endOffset);
    return span;
  }

  /** Draws attention to one highlight (hover, flash); null removes the emphasis. */
  emphasize(id: string | null): void {
    this.focus.clear();
    const painted = id ? this.painted.get(id) : undefined;
    for (const range of painted?.ranges ?? []) this.focus.add(range);
  }

  /** Ids of the highlights under a viewport point, the shortest (innermost) first. */
  hitTest(x: number, y: number): string[] {
    const caret = caretAt(this.doc, x, y);
    const hits: Array<{ id: string; length: number }> = [];
    for (const [id, { ranges }] of this.painted) {
      // The caret test is cheap and needs no layout; rectangles confirm it,
      // since a caret also lands beside a line's end or in a gap.
      const hit = ranges.some(
        (range) => (!caret || isPointInRange(range, caret)) && rangeContainsPoint(range, x, y),
      );
      if (hit) hits.push({ id, length: ranges.reduce((sum, range) => sum + range.toString().length, 0) });
    }
    return hits.sort((a, b) => a.length - b.length).map((hit) => hit.id);
  }

  /** Unregisters everything this painter added to the page. */
  destroy(): void {
    this.clear();
    const win = this.doc.defaultView as PageWindow | null;
    for (const color of HIGHLIGHT_COLORS) win?.CSS.highlights.delete(`${HIGHLIGHT_NAME_PREFIX}-${color}`);
    win?.CSS.highlights.delete(FOCUS_NAME);
    this.doc.getElementById(STYLE_ID)?.remove();
  }

  private installStyle(): void {
    if (this.doc.getElementById(STYLE_ID)) return;
    const style = this.doc.createElement('style');
    style.id = STYLE_ID;
    style.textContent =
      HIGHLIGHT_COLORS.map(
        (color) => `::highlight(${HIGHLIGHT_NAME_PREFIX}-${color}){background-color:${COLOR_VALUES[color]};}`,
      ).join('') +
      `::highlight(${FOCUS_NAME}){background-color:rgba(255,140,0,0.35);text-decoration:underline 2px rgba(230,110,0,0.9);}`;
    (this.doc.head ?? this.doc.documentElement).append(style);
  }
}

function rangeContainsPoint(range: Range, x: number, y: number): boolean {
  for (const rect of range.getClientRects()) {
    if (x >= rect.left && x <= rect.right && y >= rect.top && y <= rect.bottom) return true;
  }
  return false;
}

interface Caret {
  node: Node;
  offset: number;
}

function caretAt(doc: Document, x: number, y: number): Caret | null {
  if (typeof doc.caretPositionFromPoint === 'function') {
    const position = doc.caretPositionFromPoint(x, y);
    return position ? { node: position.offsetNode, offset: position.offset } : null;
  }
  const range = doc.caretRangeFromPoint?.(x, y);
  return range ? { node: range.startContainer, offset: range.startOffset } : null;
}

function isPointInRange(range: Range, caret: Caret): boolean {
  try {
    return range.isPointInRange(caret.node, caret.offset);
  } catch {
    // The caret is in another tree (e.g. a shadow root): it cannot be inside.
    return false;
  }
}
