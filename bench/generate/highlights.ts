/**
 * Highlights a reader might have made on the original lesson, spread over its
 * text with realistic lengths (4–120 characters): whole clauses, arbitrary
 * spans, repeated key phrases, spans across inline bold/code and across
 * paragraphs, code lines, comments. Each comes with its ground truth: where
 * the same passage lies in the edited lesson, or null when the edit removed it.
 *
 * A highlight never straddles an inserted sentence and never overlaps a
 * deleted sentence only in part: for those, "the intended passage" would be a
 * matter of opinion, and the checker needs a single right answer.
 */
import type { EditPlan } from './edits';
import { countedOffsets, regionText, type LessonModel, type RegionName, type RegionText } from './lesson-model';
import type { Random } from './random';
import { REPEATED_PHRASES } from './vocabulary';

export type HighlightKind = 'span' | 'clause' | 'phrase' | 'inline' | 'cross-block' | 'code' | 'comment' | 'title' | 'removed';

/** [start, end) in counted characters (whitespace not counted) of a region's text. */
export interface CountedSpan {
  start: number;
  end: number;
}

export interface HighlightCase {
  id: string;
  kind: HighlightKind;
  region: RegionName;
  /** The passage in the original lesson. */
  original: CountedSpan;
  /** The same passage in the edited lesson, or null when the edit removed it. */
  edited: CountedSpan | null;
  /** The passage's original text, for diagnostics. */
  text: string;
}

export interface HighlightOptions {
  /** Regions highlights may be in; the end-to-end bench keeps to the body, which renders first. */
  regions?: readonly RegionName[];
}

const KIND_WEIGHTS: Array<[HighlightKind, number]> = [
  ['span', 0.32], ['clause', 0.27], ['phrase', 0.12], ['inline', 0.1], ['cross-block', 0.06], ['code', 0.06], ['comment', 0.07],
];
const PROSE = new Set(['paragraph', 'list', 'quote']);
const CLAUSE_END = /[，。；：？！]/;
const MAX_LENGTH = 120;
const MIN_LENGTH = 4;

interface Span {
  region: RegionName;
  start: number;
  end: number;
}

/** `count` highlights on `original`, with their places in `edited`. */
export function generateHighlights(
  random: Random,
  original: LessonModel,
  edited: LessonModel,
  plan: EditPlan,
  count: number,
  options: HighlightOptions = {},
): HighlightCase[] {
  const regions = options.regions ?? ['title', 'body', 'comments'];
  const texts = { title: regionText(original, 'title'), body: regionText(original, 'body'), comments: regionText(original, 'comments') };
  const editedTexts = { title: regionText(edited, 'title'), body: regionText(edited, 'body'), comments: regionText(edited, 'comments') };
  const pickers = spanPickers(random, texts);
  const allowed = allowedBy(plan, texts.body);
  const attempt = (picker: Picker, attempts: number): Span | null => {
    for (let i = 0; i < attempts; i++) {
      const span = normalise(picker(), texts, allowed);
      if (span) return span;
    }
    return null;
  };
  const must = (picker: Picker): Span => {
    const span = attempt(picker, 500);
    if (!span) throw new Error('generator: could not place a highlight');
    return span;
  };
  const locate = { title: positions(editedTexts.title), body: positions(editedTexts.body), comments: positions(editedTexts.comments) };
  const counted = {
    before: { title: countedOffsets(texts.title.text), body: countedOffsets(texts.body.text), comments: countedOffsets(texts.comments.text) },
    after: { title: countedOffsets(editedTexts.title.text), body: countedOffsets(editedTexts.body.text), comments: countedOffsets(editedTexts.comments.text) },
  };
  const cases: HighlightCase[] = [];
  const add = (kind: HighlightKind, span: Span) => cases.push(toCase(`h${cases.length}`, kind, span, texts, locate, counted));

  // One highlighted passage is removed by the edit: every set has it.
  const removedLine = texts.body.lines.find((line) => texts.body.ids[line.start] === plan.removed.firstId)!;
  add('removed', must(() => clauseIn(random, texts.body, removedLine)));
  if (regions.includes('title')) add('title', must(pickers.title!));
  while (cases.length < count) {
    const kind = weightedKind(random, regions);
    const span = attempt(pickers[kind]!, 30);
    if (span) add(kind, span);
    else add('span', must(pickers.span!));
  }
  return cases;
}

function positions(text: RegionText): Map<number, number> {
  const map = new Map<number, number>();
  text.ids.forEach((id, i) => {
    if (id >= 0) map.set(id, i);
  });
  return map;
}

function weightedKind(random: Random, regions: readonly RegionName[]): HighlightKind {
  const kinds = KIND_WEIGHTS.filter(([kind]) => kind !== 'comment' || regions.includes('comments'));
  let roll = random.next() * kinds.reduce((sum, [, w]) => sum + w, 0);
  for (const [kind, weight] of kinds) {
    roll -= weight;
    if (roll < 0) return kind;
  }
  return 'span';
}

type Picker = () => Span | null;

function spanPickers(random: Random, texts: Record<RegionName, RegionText>): Record<string, Picker> {
  const body = texts.body;
  const prose = body.lines.filter((line) => PROSE.has(line.kind));
  const code = body.lines.filter((line) => line.kind === 'code' && line.end - line.start >= 8);
  const phrases = REPEATED_PHRASES.flatMap((phrase) => occurrences(body.text, phrase).map((start) => ({ start, end: start + phrase.length })));
  const byLength = (lines: typeof prose) => lines[pickWeighted(random, lines.map((l) => l.end - l.start))]!;
  const inBody = (start: number, end: number): Span => ({ region: 'body', start, end });
  return {
    span: () => {
      const line = byLength(prose);
      const start = random.int(line.start, Math.max(line.start, line.end - MIN_LENGTH));
      return inBody(start, Math.min(line.end, start + highlightLength(random)));
    },
    clause: () => clauseIn(random, body, byLength(prose)),
    phrase: () => ({ region: 'body', ...random.pick(phrases) }),
    inline: () => {
      const at = random.pick(body.runBoundaries);
      const line = body.lines.find((l) => l.start < at && at < l.end);
      return line ? inBody(Math.max(line.start, at - random.int(2, 30)), Math.min(line.end, at + random.int(2, 30))) : null;
    },
    'cross-block': () => {
      const i = random.int(0, body.lines.length - 2);
      const [line, next] = [body.lines[i]!, body.lines[i + 1]!];
      if (!PROSE.has(line.kind) || !PROSE.has(next.kind)) return null;
      return inBody(Math.max(line.start, line.end - random.int(3, 40)), Math.min(next.end, next.start + random.int(3, 40)));
    },
    code: () => {
      const line = random.pick(code);
      const start = random.int(line.start, line.end - 6);
      // Now and then the passage runs on into the next code line.
      const end = random.chance(0.3) ? Math.min(body.text.length, line.end + random.int(4, 30)) : random.int(start + 6, line.end);
      return inBody(start, end);
    },
    comment: () => {
      const line = random.pick(texts.comments.lines);
      const start = random.int(line.start, Math.max(line.start, line.end - MIN_LENGTH));
      return { region: 'comments', start, end: Math.min(line.end, start + highlightLength(random)) };
    },
    title: () => {
      const line = texts.title.lines[0]!;
      const start = random.int(line.start, line.start + 4);
      return { region: 'title', start, end: Math.min(line.end, start + random.int(6, 16)) };
    },
  };
}

/** Mostly 10–60 characters, sometimes a short phrase, now and then a long passage. */
function highlightLength(random: Random): number {
  return Math.round(MIN_LENGTH + (MAX_LENGTH - MIN_LENGTH) * random.next() ** 2.2);
}

/** One to three consecutive clauses of a line, punctuation included. */
function clauseIn(random: Random, text: RegionText, line: { start: number; end: number }): Span {
  const ends: number[] = [];
  for (let i = line.start; i < line.end; i++) if (CLAUSE_END.test(text.text[i]!)) ends.push(i + 1);
  if (ends[ends.length - 1] !== line.end) ends.push(line.end);
  const first = random.int(0, ends.length - 1);
  const last = Math.min(ends.length - 1, first + random.int(0, 2));
  return { region: 'body', start: first === 0 ? line.start : ends[first - 1]!, end: ends[last]! };
}

/** Whether a span keeps clear of the edits' ambiguous places (see the module comment). */
function allowedBy(plan: EditPlan, body: RegionText): (span: Span) => boolean {
  const position = new Map(body.ids.map((id, i) => [id, i]));
  const at = (id: number) => position.get(id) ?? -1;
  const insertionPoints = plan.insertions.map((insertion) => at(insertion.afterId));
  const deleted = [...plan.deletions, plan.removed].map(({ firstId, lastId }) => ({ start: at(firstId), end: at(lastId) + 1 }));
  return (span) => {
    if (span.region !== 'body') return true;
    if (insertionPoints.some((p) => span.start <= p && p < span.end - 1)) return false;
    return deleted.every((d) => span.end <= d.start || span.start >= d.end || (d.start <= span.start && span.end <= d.end));
  };
}

/** Trims whitespace and checks length and edit constraints; null when the span is unusable. */
function normalise(span: Span | null, texts: Record<RegionName, RegionText>, allowed: (span: Span) => boolean): Span | null {
  if (!span) return null;
  const text = texts[span.region].text;
  let { start, end } = span;
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  const trimmed = { region: span.region, start, end };
  return end - start >= MIN_LENGTH && end - start <= MAX_LENGTH && allowed(trimmed) ? trimmed : null;
}

function toCase(
  id: string,
  kind: HighlightKind,
  span: Span,
  texts: Record<RegionName, RegionText>,
  locate: Record<RegionName, Map<number, number>>,
  counted: Record<'before' | 'after', Record<RegionName, Int32Array>>,
): HighlightCase {
  const before = texts[span.region];
  const first = locate[span.region].get(before.ids[span.start]!);
  const last = locate[span.region].get(before.ids[span.end - 1]!);
  if ((first === undefined) !== (last === undefined)) throw new Error(`generator: highlight ${id} is cut in half by an edit`);
  const [offsets, afterOffsets] = [counted.before[span.region], counted.after[span.region]];
  return {
    id,
    kind,
    region: span.region,
    original: { start: offsets[span.start]!, end: offsets[span.end - 1]! + 1 },
    edited: first === undefined || last === undefined ? null : { start: afterOffsets[first]!, end: afterOffsets[last]! + 1 },
    text: before.text.slice(span.start, span.end),
  };
}

function occurrences(text: string, phrase: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) found.push(at);
  return found;
}

function pickWeighted(random: Random, weights: number[]): number {
  let roll = random.next() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) {
    roll -= weights[i]!;
    if (roll < 0) return i;
  }
  return weights.length - 1;
}
