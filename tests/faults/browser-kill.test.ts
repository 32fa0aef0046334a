/**
 * Acknowledged means durable, with the whole browser killed (issue #8): a
 * burst of edits from an extension page, Chromium's process group SIGKILLed
 * at a random moment in it, the browser started again on the same profile.
 * Every acknowledged edit must be there with its exact text, every record
 * whole, and the lesson page must paint every live highlight again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Annotation } from '../../storage/model';
import { startLessonSite, type LessonSite } from '../fixtures/lesson-site/server.mjs';
import { highlightText, launchWithExtension, openLesson, pollUntil, type ExtensionBrowser } from '../e2e/harness';
import { runBurst } from './burst';
import { EditModel } from './edit-model';
import { expectedPaint, killBrowser, openExtensionPage, paintedRanges, readDatabase, runSeed, seededRandom } from './fault-harness';
import { trackFault } from './ledger';
import { findHalfWritten } from './record-shape';

const LESSON = '100001';
/** Highlighted before the first kill; the burst's new highlights copy their targets, so all of them anchor. */
const TEMPLATES = ['先讲一个我亲历过的故事。', '今天我们从一次重复扣款的事故出发，讨论了超时的本质。'];
const KILLS = 5;
/** The kill falls somewhere in this window after the burst starts (ms). */
const KILL_WINDOW = { from: 200, to: 1_200 };

const seed = runSeed();
const random = seededRandom(seed);
let site: LessonSite;
let userDataDir: string;
let browser: ExtensionBrowser | undefined;
let templates: Annotation[];
const model = new EditModel();

beforeAll(async () => {
  console.info(`browser-kill: seed ${seed} (replay with LH_FAULT_SEED=${seed})`);
  site = await startLessonSite({ renderDelayMs: 150 });
  userDataDir = await mkdtemp(join(tmpdir(), 'lh-faults-kill-'));
  browser = await launchWithExtension({ userDataDir });
  const lesson = await browser.context.newPage();
  await openLesson(lesson, LESSON, site.lessonUrl(LESSON));
  for (const quote of TEMPLATES) await highlightText(lesson, quote, 'Green');
  // The lesson tab is closed during bursts: each edit would make it reload its highlights, slowing the burst down.
  await lesson.close();
  const stored = (await readDatabase(await openExtensionPage(browser))).annotations as Annotation[];
  templates = TEMPLATES.map((quote) => stored.find((record) => record.target.quote.exact === quote)!);
  for (const template of templates) model.track(template, true);
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

describe('the whole browser killed mid-burst', () => {
  it(`keeps every acknowledged edit through ${KILLS} kills and restarts on the same profile, and repaints them`, async () => {
    const tally = trackFault('Whole browser SIGKILLed mid-burst, restarted on the same profile');
    const counted = { acknowledged: model.acknowledged, unacknowledged: model.unacknowledged };
    const serial = { next: 0 };
    const problems: string[] = [];
    for (let kill = 1; kill <= KILLS; kill++) {
      const running = browser!;
      const extensionPage = await openExtensionPage(running);
      const delay = KILL_WINDOW.from + random() * (KILL_WINDOW.to - KILL_WINDOW.from);
      const killed = new Promise((resolve) => setTimeout(resolve, delay)).then(() => killBrowser(running));
      const burst = await runBurst({ page: extensionPage, model, random, templates, count: Infinity, serial });
      await killed;
      expect(burst.pageGone, 'the burst ended because the browser died').toBe(true);
      tally.injected += 1;

      browser = await launchWithExtension({ userDataDir });
      const dump = await readDatabase(await openExtensionPage(browser));
      const result = model.check(dump);
      const shapes = findHalfWritten(dump);
      tally.lost += result.lost;
      tally.halfWritten += result.phantoms + shapes.length;
      const found = [...result.problems, ...shapes.map((shape) => `${shape.store} ${shape.id}: ${shape.problem}`)];
      problems.push(...found.map((problem) => `kill ${kill}: ${problem}`));
      model.settle(dump);

      const lesson = await browser.context.newPage();
      await openLesson(lesson, LESSON, site.lessonUrl(LESSON));
      const want = expectedPaint(dump, LESSON);
      await pollUntil(lesson, () => paintedRanges(lesson), (have) => JSON.stringify(have) === JSON.stringify(want), `kill ${kill}: the page to paint ${want.length} highlights`, 20_000);
      await lesson.close();
    }
    tally.acknowledged = model.acknowledged - counted.acknowledged;
    tally.unacknowledged = model.unacknowledged - counted.unacknowledged;
    expect(problems).toEqual([]);
    expect(tally).toMatchObject({ injected: KILLS, lost: 0, halfWritten: 0 });
    expect(tally.acknowledged, 'edits acknowledged before the kills').toBeGreaterThan(KILLS * 5);
  });
});
