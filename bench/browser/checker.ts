/**
 * The bench's correctness checker: one judge for every implementation.
 *
 * It reads the page its own way, independent of the code under test: the
 * visible characters of some elements, whitespace and zero-width characters
 * not counted, code-block gutters and toolbars skipped. Positions are counts
 * of those characters ("counted offsets"), so implementations that read
 * whitespace or gutters differently are still compared on the same scale.
 *
 * An anchor is correct when it covers exactly the counted span of the
 * intended passage. Equal text is not enough: a repeated phrase anchored to
 * another occurrence is wrong.
 */

/** Elements whose text is decoration, not lesson text. */
export const DECORATION_SELECTOR = [
  '[class*="CodeBlock_lineNumber_"]',
  '[class*="CodeBlock_toolbar_"]',
  'button',
  '[aria-hidden="true"]',
  'script',
  'style',
].join(',');

const NOT_COUNTED = /[\s\u200B-\u200D\u2060\uFEFF]/;

/** [start, end) in counted characters. */
export interface CountedSpan {
  start: number;
  end: number;
}

/** The counted characters of some elements, read in order, with their DOM places. */
export interface CountedText {
  text: string;
  nodes: Text[];
  nodeIndex: Map<Text, number>;
  /** Counted characters before each node. */
  nodeStart: number[];
  /** For each counted character: its node's index and its offset in that node. */
  charNode: number[];
  charOffset: number[];
}

export function countText(roots: readonly Element[]): CountedText {
  const counted: CountedText = { text: '', nodes: [], nodeIndex: new Map(), nodeStart: [], charNode: [], charOffset: [] };
  const chars: string[] = [];
  for (const root of roots) {
    const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      if (node.parentElement?.closest(DECORATION_SELECTOR)) continue;
      const index = counted.nodes.push(node) - 1;
      counted.nodeIndex.set(node, index);
      counted.nodeStart.push(chars.length);
      for (let offset = 0; offset < node.data.length; offset++) {
        if (NOT_COUNTED.test(node.data[offset]!)) continue;
        chars.push(node.data[offset]!);
        counted.charNode.push(index);
        counted.charOffset.push(offset);
      }
    }
  }
  counted.text = chars.join('');
  return counted;
}

/** The DOM range of a counted span, from its first character to just after its last. */
export function rangeOfSpan(counted: CountedText, span: CountedSpan): Range {
  if (span.start < 0 || span.end > counted.text.length || span.start >= span.end) {
    throw new RangeError(`span ${span.start}–${span.end} outside counted text of ${counted.text.length}`);
  }
  const first = counted.nodes[counted.charNode[span.start]!]!;
  const last = counted.nodes[counted.charNode[span.end - 1]!]!;
  const range = first.ownerDocument.createRange();
  range.setStart(first, counted.charOffset[span.start]!);
  range.setEnd(last, counted.charOffset[span.end - 1]! + 1);
  return range;
}

/** The counted span a DOM range covers. */
export function spanOfRange(counted: CountedText, range: Range): CountedSpan {
  return {
    start: countedBefore(counted, range.startContainer, range.startOffset),
    end: countedBefore(counted, range.endContainer, range.endOffset),
  };
}

/** How many counted characters lie before a DOM boundary point. */
function countedBefore(counted: CountedText, container: Node, offset: number): number {
  const index = counted.nodeIndex.get(container as Text);
  if (index !== undefined) {
    let position = counted.nodeStart[index]!;
    while (position < counted.charNode.length && counted.charNode[position] === index && counted.charOffset[position]! < offset) {
      position++;
    }
    return position;
  }
  // Between nodes (or in a decoration): count up to the first counted node after the point.
  const point = container.ownerDocument!.createRange();
  point.setStart(container, offset);
  let low = 0;
  let high = counted.nodes.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (point.comparePoint(counted.nodes[middle]!, 0) < 0) low = middle + 1;
    else high = middle;
  }
  return low < counted.nodes.length ? counted.nodeStart[low]! : counted.text.length;
}

export type Verdict = 'correct' | 'orphan' | 'wrong';

/**
 * Judges one anchor against the intended passage (null: the passage no longer
 * exists). Removed passages must be orphans; anything anchored for them is wrong.
 */
export function classify(anchored: CountedSpan | null, intended: CountedSpan | null): Verdict {
  if (!anchored) return 'orphan';
  if (!intended) return 'wrong';
  return anchored.start === intended.start && anchored.end === intended.end ? 'correct' : 'wrong';
}

/** What an implementation did with one set of highlights. */
export interface Tally {
  /** Passages that still exist, and what became of them. */
  surviving: number;
  correct: number;
  orphaned: number;
  wrong: number;
  /** Of the wrong ones: how many at least overlap the intended passage (near misses). */
  nearMisses: number;
  /** Passages the edit removed, and how many of them were (rightly) left orphan. */
  removed: number;
  removedOrphaned: number;
}

export function emptyTally(): Tally {
  return { surviving: 0, correct: 0, orphaned: 0, wrong: 0, nearMisses: 0, removed: 0, removedOrphaned: 0 };
}

/** Adds one judged anchor to a tally; returns the verdict. */
export function tallyAnchor(tally: Tally, anchored: CountedSpan | null, intended: CountedSpan | null): Verdict {
  const verdict = classify(anchored, intended);
  if (!intended) {
    tally.removed++;
    if (verdict === 'orphan') tally.removedOrphaned++;
    else tally.wrong++;
    return verdict;
  }
  tally.surviving++;
  if (verdict === 'correct') tally.correct++;
  else if (verdict === 'orphan') tally.orphaned++;
  else {
    tally.wrong++;
    if (anchored && anchored.start < intended.end && intended.start < anchored.end) tally.nearMisses++;
  }
  return verdict;
}
