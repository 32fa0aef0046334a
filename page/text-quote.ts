/**
 * Finding a stored quote again in a lesson's (normalised) text.
 *
 * The order of trust, cheapest first:
 * 1. the stored position, when the text there still equals the quote and
 *    at least one side of its context agrees;
 * 2. exact occurrences of the quote, told apart by context and position;
 * 3. approximate occurrences (the quote itself was edited), only when the
 *    quote is long enough for errors to be meaningful.
 * A candidate is accepted only when the context on at least one side still
 * matches: a quote whose whole neighbourhood changed, or which survives only
 * as a repeated phrase elsewhere, becomes an orphan rather than a wrong anchor.
 */
import approxSearch from 'approx-string-match';
import type { AnnotationTarget } from '../storage/model';

/** Characters of context stored on each side of a quote. */
export const CONTEXT_LENGTH = 32;
/** Below this length a quote must be found verbatim: a few errors would change its meaning. */
const MIN_FUZZY_LENGTH = 8;
/** Errors tolerated in a fuzzy quote match, as a share of its length. */
const MAX_ERROR_RATE = 0.2;
/** How similar one side of the context must be for a candidate to count. */
const MIN_CONTEXT_SIMILARITY = 0.5;
/** Give up scoring a phrase that occurs more often than this. */
const MAX_CANDIDATES = 1000;

export interface TextSpan {
  start: number;
  end: number;
}

/** Describes `[start, end)` of `text` as quote and position selectors. */
export function describeSpan(text: string, span: TextSpan): AnnotationTarget {
  return {
    quote: {
      type: 'TextQuoteSelector',
      exact: text.slice(span.start, span.end),
      prefix: text.slice(Math.max(0, span.start - CONTEXT_LENGTH), span.start),
      suffix: text.slice(span.end, span.end + CONTEXT_LENGTH),
    },
    position: { type: 'TextPositionSelector', start: span.start, end: span.end },
  };
}

/** Finds where `target` now lies in `text`, or null when it cannot be placed safely. */
export function locateTarget(text: string, target: AnnotationTarget): TextSpan | null {
  const { exact } = target.quote;
  const { start, end } = target.position;
  if (text.slice(start, end) === exact && contextSupport(text, target, start, end) > 0) {
    return { start, end };
  }
  const exactMatches = findExact(text, exact);
  if (exactMatches.length > 0) {
    const best = bestCandidate(text, target, exactMatches, 0);
    if (best) return best;
  }
  if (exact.length < MIN_FUZZY_LENGTH) return null;
  const maxErrors = Math.floor(exact.length * MAX_ERROR_RATE);
  const fuzzyMatches = approxSearch(text, exact, maxErrors).slice(0, MAX_CANDIDATES);
  return bestCandidate(text, target, fuzzyMatches, maxErrors);
}

function findExact(text: string, exact: string): Array<TextSpan & { errors: number }> {
  const matches: Array<TextSpan & { errors: number }> = [];
  for (let at = text.indexOf(exact); at >= 0; at = text.indexOf(exact, at + 1)) {
    matches.push({ start: at, end: at + exact.length, errors: 0 });
    if (matches.length >= MAX_CANDIDATES) break;
  }
  return matches;
}

/**
 * Scores candidates on quote errors, context on both sides and distance from
 * the stored position; returns the best one that has context support.
 */
function bestCandidate(
  text: string,
  target: AnnotationTarget,
  candidates: ReadonlyArray<TextSpan & { errors: number }>,
  maxErrors: number,
): TextSpan | null {
  let best: TextSpan | null = null;
  let bestScore = -Infinity;
  for (const candidate of candidates) {
    const support = contextSupport(text, target, candidate.start, candidate.end);
    if (support === 0) continue;
    const quoteScore = maxErrors === 0 ? 1 : 1 - candidate.errors / (maxErrors + 1);
    const distance = Math.abs(candidate.start - target.position.start) / Math.max(text.length, 1);
    const score = 50 * quoteScore + 20 * support - 2 * distance;
    if (score > bestScore) {
      bestScore = score;
      best = { start: candidate.start, end: candidate.end };
    }
  }
  return best;
}

/**
 * How well the text around `[start, end)` agrees with the stored prefix and
 * suffix: the sum of both sides' similarities, counting only sides that reach
 * {@link MIN_CONTEXT_SIMILARITY}. Zero means no side agrees.
 */
function contextSupport(text: string, target: AnnotationTarget, start: number, end: number): number {
  const { prefix, suffix } = target.quote;
  const before = similarity(prefix, text.slice(Math.max(0, start - prefix.length), start), 'end');
  const after = similarity(suffix, text.slice(end, end + suffix.length), 'start');
  return (before >= MIN_CONTEXT_SIMILARITY ? before : 0) + (after >= MIN_CONTEXT_SIMILARITY ? after : 0);
}

/**
 * Similarity in [0, 1] of a stored context to the text now beside the quote:
 * 1 − edit distance / length. An empty stored context (the quote touched the
 * start or end of the text) agrees only with an empty one.
 */
function similarity(expected: string, actual: string, anchorSide: 'start' | 'end'): number {
  if (expected.length === 0) return actual.length === 0 ? 1 : 0;
  // Only the characters nearest the quote matter; an edit far away should not.
  const trimmed = anchorSide === 'end' ? actual.slice(-expected.length) : actual.slice(0, expected.length);
  return 1 - editDistance(expected, trimmed) / expected.length;
}

/** Levenshtein distance; inputs are at most a few dozen characters. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
