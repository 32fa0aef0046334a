/**
 * How big a note card will be, judged from its text alone: used for the
 * "More" clamp and for cards that are not rendered (far from the screen),
 * so neither needs a layout to measure.
 */

/** Lines shown before "More" (matches `.card-body.clamped` in page-ui.css: 8em at line-height 1.6). */
const CLAMPED_LINES = 5;
/** Width units per card line at the usual card width: a CJK character is two, a Latin one. */
const UNITS_PER_LINE = 40;
/** 13 px text at line-height 1.6. */
const LINE_HEIGHT = 20.8;
/** Padding and borders (22) plus the "More" button's line (22). */
const CARD_CHROME = 22;
const MORE_BUTTON = 22;

/** Lines the note's text takes in a card, stopping once past the clamp. */
function noteLines(note: string): number {
  let lines = 0;
  for (const paragraph of note.split('\n')) {
    let units = 0;
    for (const char of paragraph) units += char.charCodeAt(0) > 0x2e80 ? 2 : 1;
    lines += Math.max(1, Math.ceil(units / UNITS_PER_LINE));
    if (lines > CLAMPED_LINES) break;
  }
  return lines;
}

/** Whether a note is likely longer than the clamped card shows. */
export function exceedsClamp(note: string): boolean {
  return noteLines(note) > CLAMPED_LINES;
}

/** The likely height of a card showing `note` (clamped). */
export function estimateCardHeight(note: string): number {
  const lines = noteLines(note);
  return CARD_CHROME + Math.min(lines, CLAMPED_LINES) * LINE_HEIGHT + (lines > CLAMPED_LINES ? MORE_BUTTON : 0);
}
