/**
 * Weight (issue #6, item 4): what the extension adds to every page of the
 * site. Bytes (and gzip bytes) of the content script and of everything
 * injected into a lesson page, whether database code slipped into the
 * content script, the main-thread time the content script costs on a page
 * that is not a lesson, and the extra JS heap with 500 highlights painted.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { launchWithExtension } from '../../tests/e2e/harness';
import { COLUMN } from '../../tests/fixtures/lesson-site/lessons.mjs';
import type { LessonSite } from '../../tests/fixtures/lesson-site/server.mjs';
import { highlightSets, type GeneratedLesson } from '../generate-lesson';
import { launchPlainBrowser, VIEWPORT } from '../lib/browsers';
import { benchConfig, generatedLessons } from '../lib/config';
import { annotationRecords, PAINT_PROBE_SCRIPT, seedAnnotations, timeLessonOpening } from '../lib/extension-session';
import { describeOnPage, injectBench, openLesson, passages, rangeCountsOnPage, startBenchSite } from '../lib/lesson-pages';
import { measured, median, single } from '../lib/stats';
import { mainThreadMs, traceDuring } from '../lib/trace';
import type { AnnotationTarget } from '../../storage/model';
import type { BenchContext, BenchFigure, BenchSuite } from '../types';

const GROUP = 'Weight';
const DATABASE_CODE = /indexedDB|IDBDatabase|IDBKeyRange|IDBObjectStore|Dexie/g;
/** Later loads in one browser, after the first (cold) one. */
const WARM_LOADS = 3;
/** The content script runs at document_idle: give it time to run before tracing stops. */
const SETTLE_MS = 600;

export const weightSuite: BenchSuite = {
  name: 'weight',
  async run(context) {
    const figures = await bundleFigures(context.extensionDir);
    const config = benchConfig(context.tiny);
    const lessons = generatedLessons(context.tiny);
    const site = await startBenchSite(lessons);
    try {
      figures.push(...(await mainThreadFigures(context, site, config.coldLaunches)));
      figures.push(...(await heapFigures(context, site, lessons.at(-1)!, Math.max(...config.endToEndCounts), config.weightRuns)));
    } finally {
      await site.close();
    }
    return figures;
  },
};

async function bundleFigures(extensionDir: string): Promise<BenchFigure[]> {
  const manifest = JSON.parse(await readFile(join(extensionDir, 'manifest.json'), 'utf8')) as {
    content_scripts?: Array<{ js?: string[]; css?: string[] }>;
    web_accessible_resources?: Array<{ resources?: string[] }>;
  };
  const loaders = [...new Set((manifest.content_scripts ?? []).flatMap((entry) => [...(entry.js ?? []), ...(entry.css ?? [])]))];
  // The lesson code the content script imports on lesson pages (entrypoints/lesson.ts).
  const onLessons = (manifest.web_accessible_resources ?? []).flatMap((entry) => entry.resources ?? []).filter((file) => file.endsWith('.js'));
  const injected = [...loaders, ...onLessons];
  const files = await Promise.all(injected.map(async (file) => ({ file, bytes: await readFile(join(extensionDir, file)) })));
  const scripts = files.filter(({ file }) => file.endsWith('.js'));
  const everyPage = files.filter(({ file }) => loaders.includes(file));
  if (scripts.length === 0) throw new Error(`weight: no content script in ${extensionDir}/manifest.json`);
  const raw = (list: typeof files) => list.reduce((sum, { bytes }) => sum + bytes.length, 0);
  const gzip = (list: typeof files) => list.reduce((sum, { bytes }) => sum + gzipSync(bytes, { level: 9 }).length, 0);
  const found = scripts.flatMap(({ bytes }) => bytes.toString('utf8').match(DATABASE_CODE) ?? []);
  const names = scripts.map(({ file }) => file).join(', ');
  return [
    single({ group: GROUP, name: 'content script on every page of the site (the loader), gzip bytes', unit: 'bytes', note: loaders.join(', ') }, gzip(everyPage)),
    single({ group: GROUP, name: 'everything injected into a lesson page, bytes', unit: 'bytes', note: names }, raw(scripts)),
    single({ group: GROUP, name: 'everything injected into a lesson page, gzip bytes', unit: 'bytes', target: { below: 30 * 1024, text: '< 30 KB' } }, gzip(scripts)),
    single(
      { group: GROUP, name: 'database code in the content script (indexedDB/IDB*/Dexie mentions)', unit: 'count', target: { equals: 0, text: '0' }, note: found.length > 0 ? [...new Set(found)].join(', ') : 'none found' },
      found.length,
    ),
  ];
}

/** Main-thread time of the content script on the course intro page: the first load in a fresh browser, then later loads. */
async function mainThreadFigures(context: BenchContext, site: LessonSite, launches: number): Promise<BenchFigure[]> {
  const url = `${site.origin}/column/intro/${COLUMN.id}`;
  const cold: number[] = [];
  const warm: number[] = [];
  for (let launch = 0; launch < launches; launch++) {
    context.log(`weight: main-thread time on ${url}, browser ${launch + 1}/${launches}`);
    const browser = await launchWithExtension({ viewport: VIEWPORT, extensionDir: context.extensionDir });
    try {
      const page = await browser.context.newPage();
      const prefix = `chrome-extension://${browser.extensionId}/`;
      const load = async () => {
        await page.goto(url, { waitUntil: 'load' });
        await page.waitForTimeout(SETTLE_MS);
      };
      for (let run = 0; run <= WARM_LOADS; run++) {
        const ms = mainThreadMs(await traceDuring(browser.context, page, load), prefix);
        (run === 0 ? cold : warm).push(ms);
      }
    } finally {
      await browser.close();
    }
  }
  context.note(
    'Main-thread time: renderer main-thread trace events naming the content script (EvaluateScript with its compile and run, callbacks), nested events counted once, ' +
      `on /column/intro/${COLUMN.id}; "first load" is the first page of the site in a freshly started browser, "later loads" reuse V8's code cache.`,
  );
  const target = { below: 1, text: '< 1 ms' };
  return [
    measured({ group: GROUP, name: 'content script main-thread time, non-lesson page, first load', unit: 'ms', target }, cold),
    measured({ group: GROUP, name: 'content script main-thread time, non-lesson page, later loads', unit: 'ms', target }, warm),
  ];
}

/** JS heap after GC with the lesson open: no extension, the extension with no highlights, with `count` painted. */
async function heapFigures(context: BenchContext, site: LessonSite, lesson: GeneratedLesson, count: number, runs: number): Promise<BenchFigure[]> {
  context.log(`weight: JS heap on the ${lesson.spec.label} lesson`);
  const { targets, ranges } = await describeInOwnBrowser(site, lesson, count);
  const url = site.lessonUrl(lesson.spec.id);
  const settled = async (page: Page) => {
    await page.waitForFunction((id) => (window as unknown as { __fixture?: { log: string[] } }).__fixture?.log.includes(`comments:${id}`) ?? false, lesson.spec.id);
    // The comments make the controller re-anchor after a short delay: let it finish.
    await page.waitForTimeout(SETTLE_MS);
  };

  const plain = await launchPlainBrowser();
  const without: number[] = [];
  try {
    const browserContext = await plain.newContext({ viewport: VIEWPORT });
    await browserContext.addInitScript({ content: PAINT_PROBE_SCRIPT });
    const page = await browserContext.newPage();
    for (let run = 0; run < runs; run++) {
      await page.goto(url);
      await settled(page);
      without.push(await heapAfterGc(browserContext, page));
    }
  } finally {
    await plain.close();
  }

  const browser = await launchWithExtension({ viewport: VIEWPORT, extensionDir: context.extensionDir });
  const empty: number[] = [];
  const painted: number[] = [];
  try {
    await browser.context.addInitScript({ content: PAINT_PROBE_SCRIPT });
    const page = await browser.context.newPage();
    await openLesson(page, site, lesson, 1); // the background opens its database on the first lesson
    await seedAnnotations(browser, []);
    for (let run = 0; run < runs; run++) {
      await page.goto(url);
      await settled(page);
      empty.push(await heapAfterGc(browser.context, page));
    }
    await seedAnnotations(browser, annotationRecords(lesson, site, targets));
    for (let run = 0; run < runs; run++) {
      await timeLessonOpening(page, url, ranges);
      await settled(page);
      painted.push(await heapAfterGc(browser.context, page));
    }
  } finally {
    await browser.close();
  }
  const base = median(without);
  const kB = (values: number[]) => values.map((value) => (value - base) / 1024);
  const note = `vs ${(base / 1024).toFixed(0)} kB without the extension (JSHeapUsedSize after GC)`;
  return [
    measured({ group: GROUP, name: `extra JS heap, ${count} highlights painted (${lesson.spec.label} lesson)`, unit: 'kB', note }, kB(painted)),
    measured({ group: GROUP, name: `extra JS heap, no highlights (${lesson.spec.label} lesson)`, unit: 'kB', note }, kB(empty)),
  ];
}

/** Our selectors for `count` body highlights, described in a browser of their own (its heap must not count). */
async function describeInOwnBrowser(site: LessonSite, lesson: GeneratedLesson, count: number): Promise<{ targets: AnnotationTarget[]; ranges: number }> {
  const browser = await launchPlainBrowser();
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    const cases = highlightSets(lesson, [count], { regions: ['body'] }).get(count)!;
    await openLesson(page, site, lesson, 1);
    await injectBench(page, lesson, 1);
    const { ours } = await describeOnPage(page, passages(cases, 1), ['ours']);
    if (ours.some((target) => target === null)) throw new Error('weight: a highlight could not be described');
    const ranges = (await rangeCountsOnPage(page, ours)).reduce((a, b) => a + b, 0);
    return { targets: ours.map((target) => target!), ranges };
  } finally {
    await browser.close();
  }
}

async function heapAfterGc(context: BrowserContext, page: Page): Promise<number> {
  const cdp = await context.newCDPSession(page);
  try {
    await cdp.send('Performance.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const used = metrics.find((metric) => metric.name === 'JSHeapUsedSize');
    if (!used) throw new Error('weight: no JSHeapUsedSize metric');
    return used.value;
  } finally {
    await cdp.detach();
  }
}
