/**
 * Margin notes on the built extension (issue #3): 200 highlights with notes
 * on a generated 100k-character lesson, opened at 1440 × 900 so the cards
 * show beside the text. Everything is read from Chromium traces, with no
 * product change (bench/lib/notes-trace.ts): how long a notes layout pass
 * takes after a restore and after a resize, and what our code does while
 * the lesson scrolls: forced style or layout in our handlers, animation-frame
 * callbacks per frame, time per frame. A main-world probe marks each change
 * to the cards (bench/lib/notes-page.ts), so a pass is known by what it did.
 */
import { launchWithExtension, type ExtensionBrowser } from '../../tests/e2e/harness';
import type { LessonSite } from '../../tests/fixtures/lesson-site/server.mjs';
import { highlightSets, type GeneratedLesson } from '../generate-lesson';
import { VIEWPORT } from '../lib/browsers';
import { generatedLessons } from '../lib/config';
import { annotationRecords, seedAnnotations } from '../lib/extension-session';
import { describeOnPage, injectBench, openLesson, passages, REALISTIC_RENDER_DELAY_MS, startBenchSite } from '../lib/lesson-pages';
import { cardsOnScreen, driveScroll, NOTES_PROBE_SCRIPT, probeChanges, scrollLessonTo, waitForStillCards } from '../lib/notes-page';
import { withNotes } from '../lib/notes-seed';
import { layoutPasses, restorePasses, scrollFrames, type PassCost, type RestorePasses, type ScrollFrames } from '../lib/notes-passes';
import { traceNotes } from '../lib/notes-trace';
import { measured, median, single } from '../lib/stats';
import type { Page } from 'playwright-core';
import type { BenchContext, BenchFigure, BenchSuite } from '../types';

const GROUP = 'Margin notes (built extension)';
const ONE_FRAME = { below: 16, text: '< 16 ms' };
/** Cards unchanged this long count as settled. */
const QUIET_MS = 800;
const SCROLL_STEP_PX = 40;

interface NotesConfig {
  lesson: GeneratedLesson;
  cards: number;
  restoreRuns: number;
  resizeRuns: number;
  scrollRuns: number;
  scrollFrames: number;
}

function notesConfig(tiny: boolean): NotesConfig {
  if (tiny) return { lesson: generatedLessons(true)[0]!, cards: 20, restoreRuns: 1, resizeRuns: 2, scrollRuns: 1, scrollFrames: 30 };
  const lesson = generatedLessons(false).find((candidate) => candidate.spec.label === '100k')!;
  return { lesson, cards: 200, restoreRuns: 5, resizeRuns: 7, scrollRuns: 3, scrollFrames: 120 };
}

interface Session {
  browser: ExtensionBrowser;
  page: Page;
  url: string;
  /** URL prefix of our scripts in the page, to tell our function calls in a trace. */
  ours: string;
}

/** Seeds `cards` highlights with notes, opens the lesson and waits for the cards to settle. */
async function openWithNotes(context: BenchContext, config: NotesConfig, site: LessonSite): Promise<Session> {
  const { lesson, cards } = config;
  // The build with test hooks: the probe reads the cards inside our (there open) shadow root.
  const browser = await launchWithExtension({ viewport: VIEWPORT, extensionDir: context.testExtensionDir });
  try {
    await browser.context.addInitScript({ content: NOTES_PROBE_SCRIPT });
    const page = await browser.context.newPage();
    const cases = highlightSets(lesson, [cards], { regions: ['body'] }).get(cards)!;
    await openLesson(page, site, lesson, 1);
    await injectBench(page, lesson, 1);
    const { ours } = await describeOnPage(page, passages(cases, 1), ['ours']);
    if (ours.some((target) => target === null)) throw new Error('notes: a highlight could not be described');
    const records = withNotes(annotationRecords(lesson, site, ours.map((target) => target!)), lesson.spec.seed);
    await seedAnnotations(browser, records);
    const noteChars = records.map((record) => record.note.length);
    context.log(`notes: ${cards} notes of ${Math.min(...noteChars)}–${Math.max(...noteChars)} characters on the ${lesson.spec.label} lesson`);
    const url = site.lessonUrl(lesson.spec.id);
    await page.goto(url);
    await waitForStillCards(page, QUIET_MS);
    const shown = await cardsOnScreen(page);
    if (shown.mode !== 'margin-cards') throw new Error(`notes: the margin shows ${shown.mode}, not cards, at ${VIEWPORT.width} × ${VIEWPORT.height}`);
    // Our scripts in the page: the content script (a loader) and the lesson code it imports (lesson.js).
    return { browser, page, url, ours: `chrome-extension://${browser.extensionId}/` };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** Reloads the lesson with tracing on, until the cards have settled. */
async function traceRestore(session: Session, cards: number): Promise<RestorePasses> {
  const { browser, page, url, ours } = session;
  let rendered = 0;
  const events = await traceNotes(browser.context, page, async () => {
    await page.goto(url);
    rendered = await waitForStillCards(page, QUIET_MS);
  });
  return restorePasses(events, ours, rendered);
}

interface ResizeRun {
  /** The pass the resize scheduled. */
  first: PassCost;
  passes: PassCost[];
}

/** Widens (or narrows back) the window by 4 px with tracing on: the resize schedules a layout pass. */
async function traceResize(session: Session, cards: number, run: number): Promise<ResizeRun> {
  const { browser, page, ours } = session;
  const width = VIEWPORT.width + (run % 2 === 0 ? 4 : 0);
  const events = await traceNotes(browser.context, page, async () => {
    await page.setViewportSize({ width, height: VIEWPORT.height });
    await page.waitForTimeout(300);
    await waitForStillCards(page, QUIET_MS);
  });
  const passes = layoutPasses(events, ours);
  if (passes.length === 0) throw new Error('notes: the resize scheduled no layout pass');
  return { first: passes[0]!, passes };
}

interface ScrollRun extends ScrollFrames {
  /** Scroll distance, and how far the first card moved on screen (should be its negative). */
  scrolled: number;
  cardMoved: number;
}

/** Scrolls the lesson `frames` × 40 px, one step per frame, with tracing on. */
async function traceScroll(session: Session, cards: number, frames: number): Promise<ScrollRun> {
  const { browser, page, ours } = session;
  await scrollLessonTo(page, 0);
  await page.waitForTimeout(200);
  await waitForStillCards(page, QUIET_MS);
  const before = await cardsOnScreen(page);
  const steps = Math.min(frames, Math.floor((before.maxScrollTop - before.scrollTop) / SCROLL_STEP_PX));
  if (steps < 10) throw new Error(`notes: the lesson scrolls only ${before.maxScrollTop} px`);
  const changes = await probeChanges(page);
  let after = before;
  let changesWhileScrolling = changes;
  const events = await traceNotes(browser.context, page, async () => {
    await driveScroll(page, steps, SCROLL_STEP_PX);
    // Read before scrolling has paused long enough for the cards that came
    // near to be rendered (by design, that happens only after a pause).
    after = await cardsOnScreen(page);
    changesWhileScrolling = await probeChanges(page);
    await page.waitForTimeout(300);
  });
  if (changesWhileScrolling !== changes) throw new Error('notes: cards were re-rendered while scrolling; the run does not measure scrolling alone');
  const scrolled = after.scrollTop - before.scrollTop;
  const cardMoved = after.firstCardTop - before.firstCardTop;
  // The cards must have followed the lesson, or the scroll measurement says nothing.
  if (scrolled <= 0 || Math.abs(cardMoved + scrolled) > 1) throw new Error(`notes: the lesson scrolled ${scrolled} px but the first card moved ${cardMoved} px`);
  return { ...scrollFrames(events, ours), scrolled, cardMoved };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const forcedIn = (passes: PassCost[]) => {
  const where = [...new Set(passes.flatMap((pass) => pass.forcedBy))];
  return where.length > 0 ? `; forced in ${where.slice(0, 2).join(', ')}` : '';
};
const breakdown = (passes: PassCost[]) =>
  `script ${ms(median(passes.map((p) => p.scriptMs)))} + forced style/layout ${ms(median(passes.map((p) => p.forcedMs)))} ` +
  `+ frame style/layout ${ms(median(passes.map((p) => p.frameLayoutMs)))} (medians; paint ${ms(median(passes.map((p) => p.paintMs)))} not counted); ` +
  `main-thread CPU ${ms(median(passes.map((p) => p.cpuMs)))}${forcedIn(passes)}`;

function layoutFigures(cards: number, label: string, restores: RestorePasses[], resizes: ResizeRun[]): BenchFigure[] {
  const created = restores.map((run) => run.created);
  const settled = restores.map((run) => run.settled);
  const relayouts = resizes.map((run) => run.first);
  const passCounts = restores.map((run) => run.passes.length);
  return [
    measured(
      { group: GROUP, name: `layout pass after a restore, ${cards} notes, cards near the screen rendered, ${label}`, unit: 'ms', target: ONE_FRAME, note: breakdown(created) },
      created.map((pass) => pass.totalMs),
    ),
    measured(
      {
        group: GROUP,
        name: '  pass that gives the cards their final positions',
        unit: 'ms',
        target: ONE_FRAME,
        note: `${median(passCounts)} passes changed cards per restore; ${breakdown(settled)}`,
      },
      settled.map((pass) => pass.totalMs),
    ),
    measured(
      {
        group: GROUP,
        name: `relayout pass after a 4 px resize, ${cards} cards`,
        unit: 'ms',
        target: ONE_FRAME,
        note: `cards 2 px narrower or wider, so every card re-wraps; ${median(resizes.map((run) => run.passes.length))} passes per resize; ${breakdown(relayouts)}`,
      },
      relayouts.map((pass) => pass.totalMs),
    ),
  ];
}

function scrollFigures(cards: number, runs: ScrollRun[]): BenchFigure[] {
  const frames = runs.reduce((sum, run) => sum + run.frames, 0);
  const layouts = runs.flatMap((run) => run.forcedLayouts);
  const styles = runs.flatMap((run) => run.forcedStyles);
  const styleMs = runs.flatMap((run) => run.forcedStyleMs);
  const perFrame = runs.flatMap((run) => run.callbacksPerFrame);
  const where = (list: string[]) => (list.length > 0 ? ` · in ${[...new Set(list)].slice(0, 2).join('; ')}` : '');
  return [
    single(
      {
        group: GROUP,
        name: `forced layouts in our scroll handling, ${cards} cards`,
        unit: 'count',
        target: { equals: 0, text: '0' },
        note: `Layout events inside our scroll listeners and animation-frame callbacks, ${frames} scrolled frames in ${runs.length} run${runs.length === 1 ? '' : 's'}${where(layouts)}`,
      },
      layouts.length,
      runs.length,
    ),
    single(
      {
        group: GROUP,
        name: '  forced style recalcs in our scroll handling',
        unit: 'count',
        target: { equals: 0, text: '0' },
        note: `UpdateLayoutTree events inside them${styles.length > 0 ? `, ${ms(median(styleMs))} each (median)` : ''}${where(styles)}`,
      },
      styles.length,
      runs.length,
    ),
    single(
      {
        group: GROUP,
        name: '  our animation-frame callbacks per frame, most',
        unit: 'count',
        target: { atMost: 1, text: '≤ 1' },
        note: `${perFrame.filter((count) => count === 1).length} of ${perFrame.length} frames ran exactly one, ${perFrame.filter((count) => count === 0).length} none`,
      },
      Math.max(...perFrame),
      runs.length,
    ),
    measured(
      { group: GROUP, name: '  our script per scrolled frame', unit: 'ms', note: 'scroll listeners + animation-frame callbacks, forced style included; per frame, all runs pooled' },
      runs.flatMap((run) => run.workMs),
    ),
  ];
}

export const notesSuite: BenchSuite = {
  name: 'notes',
  async run(context) {
    const config = notesConfig(context.tiny);
    const site = await startBenchSite([config.lesson], REALISTIC_RENDER_DELAY_MS);
    try {
      const session = await openWithNotes(context, config, site);
      try {
        return await measureAll(context, config, session);
      } finally {
        await session.browser.close();
      }
    } finally {
      await site.close();
    }
  },
};

async function measureAll(context: BenchContext, config: NotesConfig, session: Session): Promise<BenchFigure[]> {
  const { cards, lesson } = config;
  context.log(`notes: restores (${config.restoreRuns} + 1 warm-up)`);
  await traceRestore(session, cards);
  const restores: RestorePasses[] = [];
  for (let run = 0; run < config.restoreRuns; run++) restores.push(await traceRestore(session, cards));
  context.log(`notes: resizes (${config.resizeRuns})`);
  const resizes: ResizeRun[] = [];
  for (let run = 0; run < config.resizeRuns; run++) resizes.push(await traceResize(session, cards, run));
  await session.page.setViewportSize(VIEWPORT);
  context.log(`notes: scrolling (${config.scrollRuns} × ${config.scrollFrames} frames)`);
  const scrolls: ScrollRun[] = [];
  for (let run = 0; run < config.scrollRuns; run++) scrolls.push(await traceScroll(session, cards, config.scrollFrames));
  context.record('restores', restores);
  context.record('resizes', resizes);
  context.record('scrolls', scrolls);
  context.note(
    `Margin notes: ${cards} highlights with Chinese notes (20–200 characters, some Markdown) seeded into the built extension's IndexedDB on the ${lesson.spec.label} lesson, ` +
      `${VIEWPORT.width} × ${VIEWPORT.height}. Read from Chromium traces: a layout pass is our requestAnimationFrame callback (its script and the style/layout it forces) ` +
      'plus the style recalc and layout of the same frame, not its paint, in wall time (its main-thread CPU time in the note: the difference is other processes on the two cores); a main-world MutationObserver marks which pass added or moved cards (its own time is subtracted). ' +
      `Scrolling: the lesson's Simplebar container scrolled ${SCROLL_STEP_PX} px per frame, written in a task between frames as a wheel scroll arrives; ` +
      'a forced layout (style recalc) is a Layout (UpdateLayoutTree) event nested inside a function call of our content script, placed by its stack; ' +
      `each run checks that the first card moved by minus the scroll distance (${scrolls.map((run) => run.scrolled).join(', ')} px).`,
  );
  return [...layoutFigures(cards, lesson.spec.label, restores, resizes), ...scrollFigures(cards, scrolls)];
}
