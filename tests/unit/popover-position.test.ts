import { describe, expect, test } from 'vitest';
import { placePopover, type Box, type Placement } from '../../page/popover-position';

const VIEWPORT = { width: 1000, height: 800 };
const TOOLBAR = { width: 196, height: 44 };
/** A selected line in the middle of the screen. */
const SELECTION: Box = { top: 300, left: 400, width: 200, height: 20 };

function boxOf(placement: Placement): Box {
  return { ...placement, ...TOOLBAR };
}

function overlaps(a: Box, b: Box): boolean {
  return a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;
}

/** Fully on screen, with the 8 px margin the popover keeps from the edges. */
function expectOnScreen(placement: Placement): void {
  expect(placement.left).toBeGreaterThanOrEqual(8);
  expect(placement.top).toBeGreaterThanOrEqual(8);
  expect(placement.left + TOOLBAR.width).toBeLessThanOrEqual(VIEWPORT.width - 8);
  expect(placement.top + TOOLBAR.height).toBeLessThanOrEqual(VIEWPORT.height - 8);
}

describe('placePopover', () => {
  test('sits centred above the selection when there is room', () => {
    const placement = placePopover(SELECTION, TOOLBAR, VIEWPORT);

    expect(placement).toEqual({ top: 300 - 8 - 44, left: 500 - 98 });
  });

  test('goes below a selection at the top of the screen', () => {
    const placement = placePopover({ ...SELECTION, top: 30 }, TOOLBAR, VIEWPORT);

    expect(placement.top).toBe(30 + 20 + 8);
    expectOnScreen(placement);
  });

  test('stays inside the viewport beside a selection at its left or right edge', () => {
    const atLeft = placePopover({ ...SELECTION, left: 0, width: 30 }, TOOLBAR, VIEWPORT);
    const atRight = placePopover({ ...SELECTION, left: 980, width: 20 }, TOOLBAR, VIEWPORT);

    expect(atLeft.left).toBe(8);
    expect(atRight.left).toBe(1000 - 196 - 8);
    expectOnScreen(atLeft);
    expectOnScreen(atRight);
  });

  test('stays on screen for a selection taller than the viewport', () => {
    expectOnScreen(placePopover({ top: -200, left: 100, width: 600, height: 1200 }, TOOLBAR, VIEWPORT));
  });

  test('goes below when the site’s own note menu is above the selection', () => {
    const siteMenu: Box = { top: 250, left: 430, width: 150, height: 42 };

    const placement = placePopover(SELECTION, TOOLBAR, VIEWPORT, [siteMenu]);

    expect(placement.top).toBe(300 + 20 + 8);
    expect(overlaps(boxOf(placement), siteMenu)).toBe(false);
  });

  test('moves beside the site’s menu when above is taken and below is off screen', () => {
    const low: Box = { ...SELECTION, top: 740 };
    const siteMenu: Box = { top: 690, left: 430, width: 150, height: 42 };

    const placement = placePopover(low, TOOLBAR, VIEWPORT, [siteMenu]);

    expect(overlaps(boxOf(placement), siteMenu)).toBe(false);
    expect(placement.left).toBeGreaterThanOrEqual(siteMenu.left + siteMenu.width);
    expectOnScreen(placement);
  });

  test('moves to the left of the site’s menu when there is no room on its right', () => {
    const low: Box = { top: 740, left: 760, width: 200, height: 20 };
    const siteMenu: Box = { top: 690, left: 780, width: 200, height: 42 };

    const placement = placePopover(low, TOOLBAR, VIEWPORT, [siteMenu]);

    expect(overlaps(boxOf(placement), siteMenu)).toBe(false);
    expect(placement.left + TOOLBAR.width).toBeLessThanOrEqual(siteMenu.left);
    expectOnScreen(placement);
  });

  test('ignores rectangles that are nowhere near', () => {
    const elsewhere: Box = { top: 700, left: 20, width: 100, height: 40 };

    expect(placePopover(SELECTION, TOOLBAR, VIEWPORT, [elsewhere])).toEqual(placePopover(SELECTION, TOOLBAR, VIEWPORT));
  });
});
