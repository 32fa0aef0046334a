/**
 * Reads where the margin beside the lesson column is, and how the lesson
 * scrolls. On desktop the lesson scrolls inside Simplebar's
 * `.simplebar-content-wrapper`, not the window; below 860 px the window
 * scrolls. Cards are laid out in the scrolling content's coordinates and
 * moved as one layer when it scrolls.
 */
import type { LessonParts } from './lesson-dom';
import type { Box } from './popover-position';

/** Narrowest card worth showing; below it, markers replace cards. */
export const MIN_CARD_WIDTH = 200;
const MAX_CARD_WIDTH = 320;
/** Space between the lesson column and the cards. */
const COLUMN_GAP = 28;
const EDGE = 16;

export interface MarginGeometry {
  mode: 'cards' | 'markers';
  /** The visible part of the margin (viewport coordinates); cards outside it are clipped. */
  clip: Box;
  /** Card width in cards mode. */
  cardWidth: number;
  /** Marker x inside the clip box, in markers mode. */
  markerLeft: number;
}

/** Measures the margin for the current layout. */
export function measureMargin(parts: LessonParts, win: Window): MarginGeometry {
  const column = parts.body.getBoundingClientRect();
  const view = scrollViewport(parts, win);
  const left = column.right + COLUMN_GAP;
  const available = rightLimit(win.document, view) - EDGE - left;
  if (parts.layout === 'mobile' || available < MIN_CARD_WIDTH) {
    // Markers sit just right of the text, inside the column's padding if need be.
    const markerX = Math.min(column.right + 8, view.left + view.width - 34);
    return { mode: 'markers', clip: view, cardWidth: 0, markerLeft: markerX - view.left };
  }
  const cardWidth = Math.min(MAX_CARD_WIDTH, available);
  return {
    mode: 'cards',
    clip: { top: view.top, left, width: cardWidth + 8, height: view.height },
    cardWidth,
    markerLeft: 0,
  };
}

let railElement: Element | null = null;

/** Cards stop short of the site's right rail (its 大纲 outline button lives there). */
function rightLimit(doc: Document, view: Box): number {
  // Found once: a selector query over a 30k-node page on every relayout is not free.
  if (!railElement?.isConnected) railElement = doc.querySelector('[class*="Index_rightSide_"]');
  const rail = railElement?.getBoundingClientRect();
  const viewRight = view.left + view.width;
  return rail && rail.width > 0 && rail.left > view.left && rail.left < viewRight ? rail.left : viewRight;
}

/** The part of the viewport the lesson scrolls in. */
function scrollViewport(parts: LessonParts, win: Window): Box {
  const container = parts.scrollContainer;
  if (!container) return { top: 0, left: 0, width: win.document.documentElement.clientWidth, height: win.innerHeight };
  const rect = container.getBoundingClientRect();
  return { top: rect.top, left: rect.left, width: container.clientWidth, height: container.clientHeight };
}

/**
 * Where content coordinate 0 is on screen now (viewport y). Content
 * coordinates do not change when the lesson scrolls, so card positions
 * computed in them stay valid; only this offset moves.
 */
export function contentOrigin(parts: LessonParts, win: Window, containerTop?: number): number {
  const container = parts.scrollContainer;
  if (!container) return -win.scrollY;
  return (containerTop ?? container.getBoundingClientRect().top) - container.scrollTop;
}
