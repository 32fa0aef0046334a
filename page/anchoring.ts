/**
 * Anchoring: a DOM selection ⇄ stored selectors, through the text index.
 * A failed anchor is data (null, an orphan), never an exception.
 */
import type { AnnotationTarget } from '../storage/model';
import { offsetsFromRange, rangeFromOffsets, rangesFromOffsets, type TextIndex } from './text-index';
import { describeSpan, locateTarget, locateTargets } from './text-quote';

/** Describes a selected range, trimmed of surrounding whitespace; null when it holds no text. */
export function describeRange(index: TextIndex, range: Range): AnnotationTarget | null {
  let { start, end } = offsetsFromRange(index, range);
  while (start < end && /\s/.test(index.text[start]!)) start++;
  while (end > start && /\s/.test(index.text[end - 1]!)) end--;
  if (start >= end) return null;
  return describeSpan(index.text, { start, end });
}

/** Puts stored selectors back on the page as a Range, or null for an orphan. */
export function anchorTarget(index: TextIndex, target: AnnotationTarget): Range | null {
  const span = locateTarget(index.text, target);
  return span ? rangeFromOffsets(index, span.start, span.end) : null;
}

/**
 * Puts stored selectors back on the page as the ranges to paint (split around
 * line numbers and other skipped content), or null for an orphan.
 */
export function anchorTargetForPaint(index: TextIndex, target: AnnotationTarget): Range[] | null {
  const span = locateTarget(index.text, target);
  if (!span) return null;
  const ranges = rangesFromOffsets(index, span.start, span.end);
  return ranges.length > 0 ? ranges : null;
}

/**
 * Anchors many targets at once, in reading order, each expected where the
 * previous one moved to (see `locateTargets`): the way to restore a lesson.
 */
export function anchorTargetsForPaint(index: TextIndex, targets: ReadonlyArray<AnnotationTarget | null>): Array<Range[] | null> {
  return locateTargets(index.text, targets).map((span) => {
    if (!span) return null;
    const ranges = rangesFromOffsets(index, span.start, span.end);
    return ranges.length > 0 ? ranges : null;
  });
}
