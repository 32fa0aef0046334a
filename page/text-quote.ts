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
 * matches (both sides for a short quote): a quote whose whole neighbourhood
 * changed, or which survives only as a repeated phrase elsewhere, becomes an
 * orphan rather than a wrong anchor.
 */
import approxSearch from 'approx-string-match';
import type { AnnotationTarget } from '../storage/model';

/** Characters of context stored on each side of a quote. */
export const CONTEXT_LENGTH = 32;
/**
 * Below this length a quote says little by itself: it must be found verbatim
 * (a few errors would change its meaning) and with context on both sides.
 */
const MIN_FUZZY_LENGTH = 8;
/** Errors tolerated in a fuzzy quote match, as a share of its length. */
const MAX_ERROR_RATE = 0.2;
/** How similar one side of the context must be for a candidate to count. */
const MIN_CONTEXT_SIMILARITY = 0.5;
/** Give up scoring a phrase that occurs more often than this. */
const MAX_CANDIDATES = 1000;
/** Rounds of fuzzy search, each one error level worse than the last (see {@link findFuzzy}). */
const MAX_FUZZY_ROUNDS = 4;
/**
 * How far from where a quote is expected a candidate counts as "far". A
 * far candidate needs context on both sides: a deleted passage often has a
 * twin elsewhere whose surroundings happen to resemble one side.
 */
function farDistance(textLength: number): number {
  return Math.max(400, Math.round(textLength * 0.02));
}

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

/**
 * Finds where `target` now lies in `text`, or null when it cannot be placed
 * safely. `expectedStart` is where it most likely is now: the stored position
 * shifted by how far the quotes before it moved (see {@link locateTargets}).
 */
export function locateTarget(text: string, target: AnnotationTarget, expectedStart = target.position.start): TextSpan | null {
  const { exact } = target.quote;
  for (const start of new Set([target.position.start, expectedStart])) {
    const end = start + exact.length;
    if (text.slice(start, end) === exact && contextSupport(text, target, start, end, 1) > 0) return { start, end };
  }
  const exactMatches = findExact(text, exact);
  if (exactMatches.length > 0) {
    const best = bestCandidate(text, target, exactMatches, 0, expectedStart);
    if (best) return best;
  }
  if (exact.length < MIN_FUZZY_LENGTH) return null;
  return findFuzzyNear(text, target, expectedStart) ?? findFuzzy(text, target, expectedStart);
}

/**
 * Locates many targets of one text, in reading order, each expected where
 * the previous one moved to: after an edit, the quotes that follow shift
 * together, and a repeated phrase is told apart by where its neighbours went.
 */
export function locateTargets(text: string, targets: ReadonlyArray<AnnotationTarget | null>): Array<TextSpan | null> {
  const order = targets
    .map((target, index) => ({ target, index }))
    .filter((entry): entry is { target: AnnotationTarget; index: number } => entry.target !== null)
    .sort((a, b) => a.target.position.start - b.target.position.start);
  const spans: Array<TextSpan | null> = targets.map(() => null);
  let shift = 0;
  for (const { target, index } of order) {
    const span = locateTarget(text, target, Math.max(0, target.position.start + shift));
    spans[index] = span;
    if (span) shift = span.start - target.position.start;
  }
  return spans;
}

/** The fuzzy search, first only in a window around where the quote is expected (cheap and safe). */
function findFuzzyNear(text: string, target: AnnotationTarget, expectedStart: number): TextSpan | null {
  const reach = farDistance(text.length);
  const from = Math.max(0, expectedStart - reach);
  const window = text.slice(from, expectedStart + target.quote.exact.length + reach);
  const maxErrors = Math.floor(target.quote.exact.length * MAX_ERROR_RATE);
  const matches = approxSearch(window, target.quote.exact, maxErrors)
    .slice(0, MAX_CANDIDATES)
    .map((match) => ({ start: match.start + from, end: match.end + from, errors: match.errors }));
  return matches.length > 0 ? bestCandidate(text, target, matches, maxErrors, expectedStart) : null;
}

/**
 * approx-string-match reports only the matches with the fewest errors. When
 * none of them has context (an untouched twin of a clause whose highlighted
 * copy was reworded), blank them out and search again for the next best.
 */
function findFuzzy(text: string, target: AnnotationTarget, expectedStart: number): TextSpan | null {
  const { exact } = target.quote;
  const maxErrors = Math.floor(exact.length * MAX_ERROR_RATE);
  let searched = text;
  for (let round = 0; round < MAX_FUZZY_ROUNDS; round++) {
    const matches = approxSearch(searched, exact, maxErrors).slice(0, MAX_CANDIDATES);
    if (matches.length === 0) return null;
    const best = bestCandidate(text, target, matches, maxErrors, expectedStart);
    if (best) return best;
    searched = blankOut(searched, matches);
  }
  return null;
}

/** `text` with the spans replaced by as many NUL characters (offsets stay valid). */
function blankOut(text: string, spans: readonly TextSpan[]): string {
  const chars = text.split('');
  for (const { start, end } of spans) chars.fill('\u0000', start, end);
  return chars.join('');
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
 * where the quote is expected; returns the best one that has enough context
 * support (both sides for a far candidate).
 */
function bestCandidate(
  text: string,
  target: AnnotationTarget,
  candidates: ReadonlyArray<TextSpan & { errors: number }>,
  maxErrors: number,
  expectedStart: number,
): TextSpan | null {
  let best: TextSpan | null = null;
  let bestScore = -Infinity;
  const far = farDistance(text.length);
  for (const candidate of candidates) {
    const offset = Math.abs(candidate.start - expectedStart);
    const support = contextSupport(text, target, candidate.start, candidate.end, offset > far ? 2 : 1);
    if (support === 0) continue;
    const quoteScore = maxErrors === 0 ? 1 : 1 - candidate.errors / (maxErrors + 1);
    const distance = offset / Math.max(text.length, 1);
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
 * {@link MIN_CONTEXT_SIMILARITY}. Zero means too few sides agree.
 */
function contextSupport(text: string, target: AnnotationTarget, start: number, end: number, sidesNeeded: 1 | 2): number {
  const { prefix, suffix, exact } = target.quote;
  const before = similarity(prefix, text.slice(Math.max(0, start - prefix.length), start), 'end');
  const after = similarity(suffix, text.slice(end, end + suffix.length), 'start');
  const agreeing = [before, after].filter((side) => side >= MIN_CONTEXT_SIMILARITY);
  // A few characters recur all over a lesson, in near-identical surroundings
  // (parallel list lines): one agreeing side is not enough evidence for them.
  const needed = exact.length < MIN_FUZZY_LENGTH ? 2 : sidesNeeded;
  return agreeing.length >= needed ? agreeing.reduce((sum, side) => sum + side, 0) : 0;
}

/**
 * Similarity in [0, 1] of a stored context to the text now beside the quote:
 * 1 − edit distance / length, averaged over the whole context and its half
 * nearest the quote. An empty stored context (the quote touched the start or
 * end of the text) agrees only with an empty one.
 */
function similarity(expected: string, actual: string, nearSide: 'start' | 'end'): number {
  if (expected.length === 0) return actual.length === 0 ? 1 : 0;
  const nearest = (context: string, length: number) =>
    nearSide === 'end' ? context.slice(-length) : context.slice(0, length);
  const ratio = (length: number) => 1 - editDistance(nearest(expected, length), nearest(actual, length)) / length;
  // The characters nearest the quote matter most: when a passage is deleted,
  // the context that followed it comes to lie a few characters after a twin
  // of the quote, agreeing far from it but not near it.
  return (ratio(expected.length) + ratio(Math.ceil(expected.length / 2))) / 2;
}

/** Levenshtein distance; inputs are at most a few dozen characters. Two reused rows, no allocation per cell. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0 || b.length === 0) return a.length + b.length;
  let previous = rowA.length > b.length ? rowA : (rowA = new Int32Array(b.length * 2 + 1));
  let current = rowB.length > b.length ? rowB : (rowB = new Int32Array(b.length * 2 + 1));
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    const code = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (code === b.charCodeAt(j - 1) ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

let rowA = new Int32Array(130);
let rowB = new Int32Array(130);
