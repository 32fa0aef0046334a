/**
 * The bench's in-page side, bundled into one script and injected into a
 * lesson page (`window.__lessonBench`). Everything timed runs here, with
 * `performance.now()`, so no round trip to Node is ever inside a measurement.
 */
import type { RegionName } from '../generate/lesson-model';
import { anchorTargetForPaint } from '../../page/anchoring';
import { HighlightPainter } from '../../page/highlight-painter';
import { findLessonParts, textRoots } from '../../page/lesson-dom';
import { buildTextIndex } from '../../page/text-index';
import { HIGHLIGHT_COLORS } from '../../storage/model';
import { countText, emptyTally, rangeOfSpan, spanOfRange, tallyAnchor, type CountedSpan, type CountedText, type Tally, type Verdict } from './checker';
import { anchorAll, describeAll, extentOf, IMPLEMENTATION_NAMES, lessonColumn, type Anchor, type ImplementationName, type SelectorSets } from './implementations';

/** A passage: counted span of one region (null: the passage no longer exists). */
export interface Passage {
  region: RegionName;
  span: CountedSpan | null;
}

/** How many timed runs each implementation gets: the same rule for all. */
export interface RunPolicy {
  minRuns: number;
  maxRuns: number;
  /** Stop after `minRuns` once an implementation's runs add up to this. */
  budgetMs: number;
  /** Stop after a single run that took longer than this (keeps the whole bench under five minutes). */
  longRunMs: number;
  /** Untimed warm-up: each implementation anchors this many selectors, twice. */
  warmupCount: number;
}

export interface ImplementationResult {
  times: number[];
  tally: Tally;
  /** Anchors that were not correct (first few), for the diagnosis; offsets are counted characters of the lesson column. */
  misses: Array<{ index: number; verdict: Verdict; got: string; at: CountedSpan | null; intended: CountedSpan | null }>;
}

export type MeasureResult = Partial<Record<ImplementationName, ImplementationResult>>;

export interface PaintResult {
  painted: number;
  /** Registering the ranges in CSS.highlights. */
  registerMs: number[];
  /** Main-thread work of the frame that shows them (from its rAF callback to the task after it). */
  frameMs: number[];
}

/** Where our re-anchoring spends its time: building the text index, then locating each quote. */
export interface OursProfile {
  indexMs: number[];
  locateMs: number[];
  /** The slowest quotes to locate (last run). */
  slowest: Array<{ index: number; ms: number }>;
}

export interface LessonBenchApi {
  countedRegions(): Record<RegionName, string>;
  describe(passages: Passage[], names?: readonly ImplementationName[]): Promise<SelectorSets>;
  /** Times each of `names` anchoring its selectors (rounds in rotating order) and judges its anchors. */
  measure(selectors: SelectorSets, intended: Passage[], policy: RunPolicy, names?: readonly ImplementationName[]): Promise<MeasureResult>;
  paint(targets: SelectorSets['ours'], runs: number): Promise<PaintResult>;
  profileOurs(targets: SelectorSets['ours'], runs: number): OursProfile;
  /** One pass of one implementation with no warm-up (the code's first run in this page), in ms. */
  coldPass(name: ImplementationName, selectors: SelectorSets): Promise<number>;
  /** How many ranges our painter gets for each target (several when a passage crosses code-line gutters). */
  rangeCounts(targets: SelectorSets['ours']): Promise<number[]>;
}

const MAX_MISSES = 8;

function regionRoots(region: RegionName): Element[] {
  const selector = {
    title: '[class*="Index_articleTitle_"]',
    body: '[class*="Index_articleContent_"] [data-slate-editor="true"]',
    comments: '[class*="CommentItem_content_"]',
  }[region];
  return [...document.querySelectorAll(selector)];
}

function countedRegions(): Record<RegionName, CountedText> {
  return { title: countText(regionRoots('title')), body: countText(regionRoots('body')), comments: countText(regionRoots('comments')) };
}

function rangesOf(passages: readonly Passage[], regions: Record<RegionName, CountedText>): Array<Range | null> {
  return passages.map(({ region, span }) => (span ? rangeOfSpan(regions[region], span) : null));
}

async function measure(
  selectors: SelectorSets,
  intended: Passage[],
  policy: RunPolicy,
  names: readonly ImplementationName[] = IMPLEMENTATION_NAMES,
): Promise<MeasureResult> {
  for (const name of names) {
    if (selectors[name].length !== intended.length) throw new Error(`bench page: ${selectors[name].length} ${name} selectors for ${intended.length} passages`);
  }
  const column = countText([lessonColumn()]);
  const truth = rangesOf(intended, countedRegions()).map((range) => (range ? spanOfRange(column, range) : null));
  const times: Record<ImplementationName, number[]> = { ours: [], apache: [], textQuote: [] };
  const firstRun: Partial<Record<ImplementationName, Anchor[]>> = {};
  for (const name of names) {
    const few = selectors[name].slice(0, policy.warmupCount) as SelectorSets[typeof name];
    for (let i = 0; i < 2; i++) await anchorAll(name, few);
  }
  const wantsMore = (name: ImplementationName) => {
    const runs = times[name];
    const total = runs.reduce((a, b) => a + b, 0);
    if (runs.length === 1 && runs[0]! > policy.longRunMs) return false;
    return runs.length < policy.minRuns || (runs.length < policy.maxRuns && total < policy.budgetMs);
  };
  for (let round = 0; names.some(wantsMore); round++) {
    // Rotate the order each round, so no implementation always runs right after another's garbage.
    const order = names.map((_, i) => names[(i + round) % names.length]!);
    for (const name of order.filter(wantsMore)) {
      const started = performance.now();
      const ranges = await anchorAll(name, selectors[name]);
      times[name].push(performance.now() - started);
      firstRun[name] ??= ranges;
    }
  }
  const result: MeasureResult = {};
  for (const name of names) result[name] = { times: times[name], ...judge(firstRun[name]!, truth, column) };
  return result;
}

/** The checker's verdict on one implementation's anchors. */
function judge(anchors: readonly Anchor[], truth: ReadonlyArray<CountedSpan | null>, column: CountedText): Omit<ImplementationResult, 'times'> {
  const tally = emptyTally();
  const misses: ImplementationResult['misses'] = [];
  anchors.forEach((anchor, index) => {
    const range = extentOf(anchor);
    const at = range ? spanOfRange(column, range) : null;
    const verdict = tallyAnchor(tally, at, truth[index]!);
    const expectedVerdict = truth[index] ? 'correct' : 'orphan';
    if (verdict !== expectedVerdict && misses.length < MAX_MISSES) {
      misses.push({ index, verdict, got: squash(range?.toString() ?? ''), at, intended: truth[index]! });
    }
  });
  return { tally, misses };
}

async function paint(targets: SelectorSets['ours'], runs: number): Promise<PaintResult> {
  const anchors = (await anchorAll('ours', targets)).filter((anchor): anchor is readonly Range[] => Array.isArray(anchor));
  const painter = new HighlightPainter(document);
  const result: PaintResult = { painted: anchors.length, registerMs: [], frameMs: [] };
  try {
    for (let run = 0; run < runs; run++) {
      painter.clear();
      await nextFrame();
      await nextFrame();
      const started = performance.now();
      anchors.forEach((ranges, i) => painter.paint(`bench-${i}`, ranges, HIGHLIGHT_COLORS[i % HIGHLIGHT_COLORS.length]!));
      result.registerMs.push(performance.now() - started);
      const frameStart = await nextFrame();
      await new Promise((resolve) => setTimeout(resolve, 0));
      result.frameMs.push(performance.now() - frameStart);
    }
  } finally {
    painter.destroy();
  }
  return result;
}

function profileOurs(targets: SelectorSets['ours'], runs: number): OursProfile {
  const profile: OursProfile = { indexMs: [], locateMs: [], slowest: [] };
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const parts = findLessonParts(document);
    if (!parts) throw new Error('bench page: no lesson body');
    const index = buildTextIndex(textRoots(parts));
    const indexed = performance.now();
    const each = targets.map((target) => {
      const before = performance.now();
      if (target) anchorTargetForPaint(index, target);
      return performance.now() - before;
    });
    profile.indexMs.push(indexed - started);
    profile.locateMs.push(performance.now() - indexed);
    profile.slowest = each.map((ms, index) => ({ index, ms })).sort((a, b) => b.ms - a.ms).slice(0, MAX_MISSES);
  }
  return profile;
}

function nextFrame(): Promise<number> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
}

function squash(text: string): string {
  const squashed = text.replace(/\s+/g, ' ').trim();
  return squashed.length > 60 ? `${squashed.slice(0, 60)}…` : squashed;
}

const api: LessonBenchApi = {
  countedRegions: () => {
    const regions = countedRegions();
    return { title: regions.title.text, body: regions.body.text, comments: regions.comments.text };
  },
  describe: (passages, names) => {
    const ranges = rangesOf(passages, countedRegions());
    if (ranges.some((range) => range === null)) throw new Error('bench page: cannot describe a passage that does not exist');
    return describeAll(ranges as Range[], names);
  },
  measure,
  paint,
  profileOurs,
  coldPass: async (name, selectors) => {
    const started = performance.now();
    await anchorAll(name, selectors[name]);
    return performance.now() - started;
  },
  rangeCounts: async (targets) => (await anchorAll('ours', targets)).map((anchor) => (Array.isArray(anchor) ? anchor.length : anchor ? 1 : 0)),
};

(window as unknown as { __lessonBench: LessonBenchApi }).__lessonBench = api;
