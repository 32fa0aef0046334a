/**
 * Where to put a small popover (toolbar, menu) next to a piece of text:
 * above it when there is room, else below; inside the viewport; and off
 * any rectangle it must not cover (the site's own selection menu).
 */

export interface Box {
  top: number;
  left: number;
  width: number;
  height: number;
}

export interface Placement {
  top: number;
  left: number;
}

const GAP = 8;
const EDGE = 8;

/** Places a popover of `size` beside `anchor` (viewport coordinates). */
export function placePopover(
  anchor: Box,
  size: { width: number; height: number },
  viewport: { width: number; height: number },
  avoid: readonly Box[] = [],
): Placement {
  const left = clamp(anchor.left + anchor.width / 2 - size.width / 2, EDGE, viewport.width - size.width - EDGE);
  const above = anchor.top - GAP - size.height;
  const below = anchor.top + anchor.height + GAP;
  const candidates = [above, below].filter((top) => top >= EDGE && top + size.height <= viewport.height - EDGE);
  for (const top of candidates) {
    const box = { top, left, width: size.width, height: size.height };
    if (!avoid.some((other) => overlaps(box, other))) return { top, left };
  }
  // Both sides are taken or off-screen: move sideways past what we must avoid.
  const top = clamp(candidates[0] ?? above, EDGE, viewport.height - size.height - EDGE);
  for (const other of avoid) {
    const box = { top, left, width: size.width, height: size.height };
    if (overlaps(box, other)) {
      const right = other.left + other.width + GAP;
      const shifted = right + size.width <= viewport.width - EDGE ? right : other.left - GAP - size.width;
      return { top, left: clamp(shifted, EDGE, viewport.width - size.width - EDGE) };
    }
  }
  return { top, left };
}

function overlaps(a: Box, b: Box): boolean {
  return a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;
}

function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(value, Math.max(low, high)));
}
