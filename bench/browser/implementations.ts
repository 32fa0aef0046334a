/**
 * The three anchoring implementations the bench compares, each called the way
 * its documentation says, in the same page, on the same ranges:
 * - ours: `describeRange` / `anchorTargetsForPaint` over one `buildTextIndex`
 *   of the lesson's roots (title, body, comments), as the content script does
 *   (its ranges skip code-line gutters: one anchor may be several ranges);
 * - @apache-annotator/dom: `describeTextQuote(range, scope)` and
 *   `createTextQuoteSelectorMatcher(selector)(scope)`, taking the first match;
 * - dom-anchor-text-quote: `fromRange(root, range)` and
 *   `toRange(root, selector, { hint })`, the hint being the quote's stored
 *   offset in `root`'s text (what dom-anchor-text-position's `fromRange` gives).
 * Each anchors the selectors it described itself. The libraries' scope is the
 * lesson column (title, body, comments and what lies between them).
 */
import { createTextQuoteSelectorMatcher, describeTextQuote } from '@apache-annotator/dom';
import * as textQuote from 'dom-anchor-text-quote';
import { anchorTargetsForPaint, describeRange } from '../../page/anchoring';
import { findLessonParts, textRoots } from '../../page/lesson-dom';
import { buildTextIndex } from '../../page/text-index';
import type { AnnotationTarget } from '../../storage/model';

export type ImplementationName = 'ours' | 'apache' | 'textQuote';
export const IMPLEMENTATION_NAMES: readonly ImplementationName[] = ['ours', 'apache', 'textQuote'];

/** What each implementation stores for a highlight. */
export interface SelectorSets {
  ours: Array<AnnotationTarget | null>;
  apache: Array<{ type: 'TextQuoteSelector'; exact: string; prefix?: string; suffix?: string }>;
  textQuote: Array<{ selector: textQuote.TextQuote; hint: number }>;
}

/** The lesson column: what the libraries search (their `root` / `scope`). */
export function lessonColumn(doc: Document = document): Element {
  const column = doc.querySelector('[class*="Index_contentWidth_"]');
  if (!column) throw new Error('bench page: no lesson column ([class*="Index_contentWidth_"])');
  return column;
}

function ourIndex(doc: Document) {
  const parts = findLessonParts(doc);
  if (!parts) throw new Error('bench page: no lesson body');
  return buildTextIndex(textRoots(parts));
}

/** Describes each range with each of `names` (the others get no selectors). */
export async function describeAll(
  ranges: readonly Range[],
  names: readonly ImplementationName[] = IMPLEMENTATION_NAMES,
  doc: Document = document,
): Promise<SelectorSets> {
  const sets: SelectorSets = { ours: [], apache: [], textQuote: [] };
  const column = lessonColumn(doc);
  if (names.includes('ours')) {
    const index = ourIndex(doc);
    sets.ours = ranges.map((range) => describeRange(index, range));
  }
  if (names.includes('apache')) {
    for (const range of ranges) sets.apache.push(await describeTextQuote(range, column));
  }
  if (names.includes('textQuote')) {
    sets.textQuote = ranges.map((range) => ({ selector: textQuote.fromRange(column, range), hint: textOffset(column, range) }));
  }
  return sets;
}

/** One anchor as an implementation returns it: a range, ranges (ours), or null for an orphan. */
export type Anchor = Range | readonly Range[] | null;

/** Anchors every selector of one implementation. */
export async function anchorAll<N extends ImplementationName>(name: N, selectors: SelectorSets[N], doc: Document = document): Promise<Anchor[]> {
  if (name === 'ours') {
    const index = ourIndex(doc);
    return anchorTargetsForPaint(index, selectors as SelectorSets['ours']);
  }
  const column = lessonColumn(doc);
  if (name === 'textQuote') {
    return (selectors as SelectorSets['textQuote']).map(({ selector, hint }) => textQuote.toRange(column, selector, { hint }));
  }
  const found: Anchor[] = [];
  for (const selector of selectors as SelectorSets['apache']) {
    let first: Range | null = null;
    for await (const match of createTextQuoteSelectorMatcher(selector)(column)) {
      first = match;
      break;
    }
    found.push(first);
  }
  return found;
}

/** The whole stretch an anchor covers (first range's start to last range's end), for the checker. */
export function extentOf(anchor: Anchor): Range | null {
  if (!anchor) return null;
  if (!Array.isArray(anchor)) return anchor as Range;
  const ranges = anchor as readonly Range[];
  if (ranges.length === 0) return null;
  const extent = ranges[0]!.cloneRange();
  const last = ranges[ranges.length - 1]!;
  extent.setEnd(last.endContainer, last.endOffset);
  return extent;
}

/** Offset of the range's start in `root`'s text content. */
function textOffset(root: Node, range: Range): number {
  const before = root.ownerDocument!.createRange();
  before.setStart(root, 0);
  before.setEnd(range.startContainer, range.startOffset);
  return before.toString().length;
}
