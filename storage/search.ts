/**
 * Finding annotations as the reader types (issue #4). Plain substring search
 * over prepared, case-folded text: Chinese has no spaces between words, so a
 * tokeniser that splits on whitespace would never find "幂等键" inside a
 * sentence, while a substring search finds any fragment and never a word that
 * is not there. Whitespace in the query separates terms; every term must
 * occur somewhere in the quote, the note, the lesson title or the course title.
 *
 * Two things a reader does not see are ignored on both sides (see
 * {@link searchForm}): the space many writers put between Chinese and Latin
 * ("Redis 里" is found by "redis里"), and the Markdown markers of a note
 * ("**幂等**键" is found by "幂等键").
 */
import type { Annotation, HighlightColor } from './model';

/** One annotation prepared for searching: its fields folded and joined once. */
export interface SearchEntry {
  id: string;
  color: HighlightColor;
  /** Quote, note, lesson title and course title in {@link searchForm}, separated by {@link FIELD_SEPARATOR}. */
  text: string;
}

/** A half-open range `[start, end)` of code units in a displayed text. */
export interface MatchRange {
  start: number;
  end: number;
}

/** A piece of displayed text and whether it matched the query (for emphasis). */
export interface TextSegment {
  text: string;
  match: boolean;
}

/** Sits between fields so a term never matches across two of them; no query contains it. */
const FIELD_SEPARATOR = '\u0000';
/** Full-width ASCII (Ａ, ｒ, ３ …) as typed by Chinese input methods, U+FF01–U+FF5E. */
const FULL_WIDTH = /[\uFF01-\uFF5E]/g;
const FULL_WIDTH_OFFSET = 0xfee0;

/**
 * Folds text for comparison without changing its length, so offsets found in
 * the folded text are offsets in the original: lower case, and full-width
 * Latin letters and digits as their ASCII forms.
 */
export function foldText(text: string): string {
  let lower = text.toLowerCase();
  // Only a few characters (e.g. "İ") grow when lowered; fold those one by one.
  if (lower.length !== text.length) {
    lower = Array.from(text, (char) => {
      const folded = char.toLowerCase();
      return folded.length === char.length ? folded : char;
    }).join('');
  }
  return lower.replace(FULL_WIDTH, (char) => String.fromCharCode(char.charCodeAt(0) - FULL_WIDTH_OFFSET));
}

/** Chinese, Japanese and Korean characters and punctuation, and full-width forms. */
const CJK = /[\u2E80-\u2FFF\u3001-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF]/;
/** Markdown emphasis and code markers: what a note shows without them is what the reader searches. */
const MARKERS = /[*_`~]/;
const SPACE = /[\s\u3000]/;

/** Text in the form searches compare, and where each of its code units came from in the original. */
export interface SearchForm {
  text: string;
  /** `offsets[i]` is the index in the original text of `text[i]`. */
  offsets: number[];
}

/**
 * `text` as searches compare it: folded ({@link foldText}), without Markdown
 * markers, and without the whitespace next to a Chinese (or other CJK)
 * character. Whitespace between two Latin words stays, so "stop" never
 * matches "is top".
 */
export function searchForm(text: string): SearchForm {
  const folded = foldText(text);
  let out = '';
  const offsets: number[] = [];
  for (let i = 0; i < folded.length; i++) {
    const char = folded[i]!;
    if (MARKERS.test(char)) continue;
    if (SPACE.test(char)) {
      let next = i;
      while (next < folded.length && (SPACE.test(folded[next]!) || MARKERS.test(folded[next]!))) next++;
      const before = out[out.length - 1];
      const after = folded[next];
      if ((before !== undefined && CJK.test(before)) || (after !== undefined && CJK.test(after))) {
        i = next - 1;
        continue;
      }
    }
    out += char;
    offsets.push(i);
  }
  return { text: out, offsets };
}

const CJK_SOURCE = CJK.source.slice(1, -1);
/** Whitespace next to a CJK character (after the markers are gone), and the markers: what {@link searchText} drops. */
const IGNORED_SPACE = new RegExp(`[\\s\\u3000]+(?=[${CJK_SOURCE}])|(?<=[${CJK_SOURCE}])[\\s\\u3000]+`, 'g');
const ALL_MARKERS = /[*_`~]/g;
const ANYTHING_IGNORED = /[\s\u3000*_`~]/;

/**
 * The text of {@link searchForm} without the offsets, for the index: the
 * same string, made with two regular expressions instead of a loop over
 * every character (10,000 typical annotations index in ~50 ms instead of ~130 ms).
 */
export function searchText(text: string): string {
  const folded = foldText(text);
  if (!ANYTHING_IGNORED.test(folded)) return folded;
  return folded.replace(ALL_MARKERS, '').replace(IGNORED_SPACE, '');
}

/** The query's terms in search form: split on any whitespace (the ideographic space too), duplicates dropped. */
export function parseQuery(query: string): string[] {
  const terms = foldText(query)
    .split(/[\s\u3000]+/)
    .map(searchText)
    .filter((term) => term !== '');
  return [...new Set(terms)];
}

/** Prepares every annotation for {@link searchAnnotations}; done once per list, not per keystroke. */
export function buildSearchIndex(annotations: readonly Annotation[]): SearchEntry[] {
  return annotations.map((annotation) => ({
    id: annotation.id,
    color: annotation.color,
    text: [annotation.target.quote.exact, annotation.note, annotation.lesson.lessonTitle, annotation.lesson.courseTitle]
      .map(searchText)
      .join(FIELD_SEPARATOR),
  }));
}

/**
 * The ids of the entries matching every term of `query` and, when `colors` is
 * not empty, of one of those colors; null when neither narrows anything.
 */
export function searchAnnotations(
  index: readonly SearchEntry[],
  query: string,
  colors: ReadonlySet<HighlightColor>,
): Set<string> | null {
  const terms = parseQuery(query);
  if (terms.length === 0 && colors.size === 0) return null;
  const found = new Set<string>();
  for (const entry of index) {
    if (colors.size > 0 && !colors.has(entry.color)) continue;
    if (terms.every((term) => entry.text.includes(term))) found.add(entry.id);
  }
  return found;
}

/**
 * Where the terms occur in `text`, merged and in order (overlapping
 * occurrences become one range); a range spans what the search ignored
 * inside it (the space in "Redis 里").
 */
export function matchRanges(text: string, terms: readonly string[]): MatchRange[] {
  if (terms.length === 0 || text === '') return [];
  const { text: form, offsets } = searchForm(text);
  const ranges: MatchRange[] = [];
  for (const term of terms) {
    for (let at = form.indexOf(term); at !== -1; at = form.indexOf(term, at + 1)) {
      ranges.push({ start: offsets[at]!, end: offsets[at + term.length - 1]! + 1 });
    }
  }
  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: MatchRange[] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/** `text` cut into matched and unmatched pieces, for rendering matches emphasised. */
export function splitMatches(text: string, terms: readonly string[]): TextSegment[] {
  const segments: TextSegment[] = [];
  let at = 0;
  for (const { start, end } of matchRanges(text, terms)) {
    if (start > at) segments.push({ text: text.slice(at, start), match: false });
    segments.push({ text: text.slice(start, end), match: true });
    at = end;
  }
  if (at < text.length || segments.length === 0) segments.push({ text: text.slice(at), match: false });
  return segments;
}
