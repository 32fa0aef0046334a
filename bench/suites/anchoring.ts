/**
 * Re-anchoring (issue #6, items 1–3): how fast and how correctly stored
 * highlights come back, ours side by side with @apache-annotator/dom and
 * dom-anchor-text-quote, on the generated lessons served by the fixture site,
 * in headless Chromium without the extension. Also the cost of painting.
 */
import type { Browser, Page } from 'playwright-core';
import type { LessonSite } from '../../tests/fixtures/lesson-site/server.mjs';
import { IMPLEMENTATION_NAMES, type ImplementationName, type SelectorSets } from '../browser/implementations';
import { highlightSets, type GeneratedLesson, type HighlightCase } from '../generate-lesson';
import { EDITED, editedFigures, PAINTING, paintFigures, profileFigures, UNCHANGED, unchangedFigures, type Case } from '../lib/anchoring-figures';
import { launchPlainBrowser, VIEWPORT } from '../lib/browsers';
import { benchConfig, generatedLessons, type BenchConfig } from '../lib/config';
import { coldPassOnPage, describeOnPage, injectBench, measureOnPage, openLesson, paintOnPage, passages, profileOursOnPage, startBenchSite } from '../lib/lesson-pages';
import { measured } from '../lib/stats';
import type { BenchContext, BenchFigure, BenchSuite } from '../types';

/** Describing with @apache-annotator/dom takes ~40 ms a highlight on 100k characters: split it over both cores. */
const DESCRIBE_WORKERS = 2;

export const anchoringSuite: BenchSuite = {
  name: 'anchoring',
  async run(context) {
    const config = benchConfig(context.tiny);
    const lessons = generatedLessons(context.tiny);
    const site = await startBenchSite(lessons);
    const browser = await launchPlainBrowser();
    try {
      const sets = lessons.map((lesson) => highlightSets(lesson, config.counts));
      const largest = Math.max(...config.counts);
      context.log(`anchoring: describing up to ${largest} highlights per lesson with each implementation`);
      const jobs = lessons.map((lesson, i) => ({ lesson, cases: sets[i]!.get(largest)!, libraryCount: Math.min(largest, config.librariesUpTo(lesson.spec)) }));
      const selectors = await describeLessons(browser, site, jobs);
      const figures: BenchFigure[] = [];
      for (const [i, job] of jobs.entries()) {
        // Painting is measured on the largest lesson only.
        const paint = i === lessons.length - 1;
        figures.push(...(await benchLesson(context, config, browser, site, { ...job, sets: sets[i]!, selectors: selectors[i]!, paint })));
      }
      addNotes(context, jobs, largest);
      const order = [UNCHANGED, EDITED, PAINTING];
      return figures.sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group));
    } finally {
      await browser.close();
      await site.close();
    }
  },
};

interface DescribeJob {
  lesson: GeneratedLesson;
  /** The largest set: ours describes all of it. */
  cases: HighlightCase[];
  /** The libraries describe (and are measured on) the first this many. */
  libraryCount: number;
}

interface LessonJob extends DescribeJob {
  sets: Map<number, HighlightCase[]>;
  selectors: SelectorSets;
  paint: boolean;
}

async function benchLesson(context: BenchContext, config: BenchConfig, browser: Browser, site: LessonSite, job: LessonJob): Promise<BenchFigure[]> {
  const { lesson, sets, selectors } = job;
  const figures: BenchFigure[] = [];
  const page = await browser.newPage({ viewport: VIEWPORT });
  try {
    for (const edition of [1, 2] as const) {
      await openLesson(page, site, lesson, edition);
      await injectBench(page, lesson, edition);
      for (const [count, cases] of sets) {
        const c: Case = { lesson: lesson.spec.label, count, headline: lesson.spec.label === config.headline.lesson && count === config.headline.count };
        context.log(`anchoring: ${edition === 1 ? 'unchanged' : 'edited'} ${lesson.spec.label} lesson, ${count} highlights`);
        const sliced = sliceSelectors(selectors, count);
        const names = count <= job.libraryCount ? IMPLEMENTATION_NAMES : (['ours'] as const);
        const result = await measureOnPage(page, sliced, passages(cases, edition), config.policy, names);
        figures.push(...(edition === 1 ? unchangedFigures(c, result) : editedFigures(c, result)));
        context.record(`${lesson.spec.label}/${count}/${edition === 1 ? 'unchanged' : 'edited'}`, describeMisses(result, cases));
        if (!c.headline) continue;
        if (edition === 1) figures.push(await coldFigure(page, site, lesson, c, sliced, config.paintRuns));
        const profile = await profileOursOnPage(page, sliced.ours, config.policy.maxRuns);
        figures.push(...profileFigures(c, edition === 1 ? UNCHANGED : EDITED, profile));
        context.record(`${lesson.spec.label}/${count}/${edition === 1 ? 'unchanged' : 'edited'}/slowest`, profile.slowest.map(({ index, ms }) => ({ ms, kind: cases[index]!.kind, text: cases[index]!.text })));
      }
      if (edition === 1 && job.paint) {
        for (const count of sets.keys()) {
          const c: Case = { lesson: lesson.spec.label, count, headline: false };
          figures.push(...paintFigures(c, await paintOnPage(page, sliceSelectors(selectors, count).ours, config.paintRuns)));
        }
      }
    }
  } finally {
    await page.close();
  }
  return figures;
}

/**
 * Ours on a fresh page load, with no warm-up: what a reader's lesson opening
 * pays (the content script's code runs once per page, before the JIT warms).
 * The page is reloaded after each pass and left as it was found.
 */
async function coldFigure(page: Page, site: LessonSite, lesson: GeneratedLesson, c: Case, selectors: SelectorSets, runs: number): Promise<BenchFigure> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    await openLesson(page, site, lesson, 1);
    await injectBench(page, lesson, 1);
    times.push(await coldPassOnPage(page, 'ours', selectors));
  }
  return measured({ group: UNCHANGED, name: `ours, ${c.count} hl / ${c.lesson}: first pass on a fresh page (no warm-up)`, unit: 'ms', note: 'each run a new page load' }, times);
}

/**
 * Describes each lesson's passages on its original edition: ours in one
 * piece (it is fast), the libraries in chunks spread over parallel pages.
 */
async function describeLessons(browser: Browser, site: LessonSite, jobs: readonly DescribeJob[]): Promise<SelectorSets[]> {
  const chunks = jobs.flatMap(({ lesson, cases, libraryCount }, job) => {
    const size = Math.ceil(libraryCount / DESCRIBE_WORKERS);
    const libraries = Array.from({ length: DESCRIBE_WORKERS }, (_, k) => ({
      job,
      lesson,
      names: ['apache', 'textQuote'] as ImplementationName[],
      passages: passages(cases.slice(k * size, Math.min(libraryCount, (k + 1) * size)), 1),
    }));
    return [{ job, lesson, names: ['ours'] as ImplementationName[], passages: passages(cases, 1) }, ...libraries];
  });
  const results: SelectorSets[] = new Array(chunks.length);
  let next = 0;
  const worker = async () => {
    // A context of its own: its own renderer process, so both cores work.
    const isolated = await browser.newContext({ viewport: VIEWPORT });
    const page = await isolated.newPage();
    try {
      for (let k = next++; k < chunks.length; k = next++) {
        const chunk = chunks[k]!;
        await openLesson(page, site, chunk.lesson, 1);
        await injectBench(page, chunk.lesson, 1);
        results[k] = await describeOnPage(page, chunk.passages, chunk.names);
      }
    } finally {
      await isolated.close();
    }
  };
  await Promise.all(Array.from({ length: DESCRIBE_WORKERS }, worker));
  return jobs.map((_, job) => concatSelectors(results.filter((__, k) => chunks[k]!.job === job)));
}

function concatSelectors(parts: SelectorSets[]): SelectorSets {
  return {
    ours: parts.flatMap((p) => p.ours),
    apache: parts.flatMap((p) => p.apache),
    textQuote: parts.flatMap((p) => p.textQuote),
  };
}

function sliceSelectors(selectors: SelectorSets, count: number): SelectorSets {
  return { ours: selectors.ours.slice(0, count), apache: selectors.apache.slice(0, count), textQuote: selectors.textQuote.slice(0, count) };
}

/** The anchors that went wrong, with the passage they were for. */
function describeMisses(result: Awaited<ReturnType<typeof measureOnPage>>, cases: HighlightCase[]) {
  return Object.fromEntries(
    Object.entries(result).map(([name, { tally, misses }]) => [
      name,
      { tally, misses: misses.map((miss) => ({ ...miss, kind: cases[miss.index]!.kind, passage: cases[miss.index]!.text, removed: miss.intended === null })) },
    ]),
  );
}

function addNotes(context: BenchContext, jobs: readonly DescribeJob[], largest: number): void {
  context.note(
    'Re-anchoring: each implementation describes the same original ranges itself (ours: describeRange; @apache-annotator/dom: describeTextQuote(range, lesson column); ' +
      'dom-anchor-text-quote: fromRange(lesson column, range) + the start offset as `hint`) and anchors its own selectors on a fresh load of the page. ' +
      'Same warm-up for all (the first selectors, twice), rounds in rotating order; a library run longer than 2.5 s is not repeated.',
  );
  context.note('Correct = the anchor covers exactly the intended passage (counted characters, whitespace ignored); a repeated phrase anchored to another occurrence is wrong.');
  for (const { lesson, cases, libraryCount } of jobs) {
    if (libraryCount < largest) {
      context.note(`The libraries are not run with more than ${libraryCount} highlights on the ${lesson.spec.label} lesson (a single pass over ${largest} takes 12–18 s each); BENCH_EXHAUSTIVE=1 runs them too.`);
    }
    const byKind = new Map<string, number>();
    for (const c of cases) byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1);
    const kinds = [...byKind].map(([kind, n]) => `${kind} ${n}`).join(', ');
    context.note(`Lesson ${lesson.spec.label}: ${lesson.bodyChars} body characters; edit: ${lesson.editSummary}; ${largest} highlights: ${kinds}.`);
  }
}
