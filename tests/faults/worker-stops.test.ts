/**
 * Acknowledged means durable, with the MV3 service worker stopped at random
 * points (issue #8). Edits are made as the product makes them: highlights
 * and notes in the lesson page's UI (acknowledged when painted / "Saved"),
 * and a burst of requests from an extension page (acknowledged by a reply
 * with ok). The worker is stopped through the DevTools protocol right after
 * an edit was sent; afterwards every acknowledged edit must be stored, every
 * record whole, and the lesson page must paint every live highlight.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Annotation } from '../../storage/model';
import { startLessonSite, type LessonSite } from '../fixtures/lesson-site/server.mjs';
import { EXTENSION_DIR, highlightText, launchWithExtension, openLesson, pollUntil, type ExtensionBrowser } from '../e2e/harness';
import { runBurst } from './burst';
import { EditModel } from './edit-model';
import {
  expectedPaint,
  openExtensionPage,
  paintedRanges,
  readDatabase,
  runSeed,
  seededRandom,
  workerStopper,
  type WorkerStopper,
} from './fault-harness';
import { trackFault, type FaultTally } from './ledger';
import { highlightUnderFault, noteUnderFault } from './page-edits';
import { findHalfWritten, type DatabaseDump } from './record-shape';

const LESSON = '100001';
/** Highlighted without faults; the burst's new highlights copy their targets, so all of them anchor. */
const TEMPLATES = ['欢迎来到专栏的第一讲。', '我们来仔细想一想，当一次远程调用超时的时候，请求可能处于哪些状态。', '一个设计良好的重试策略，通常需要考虑下面几件事：'];
/** Highlighted in the page with the worker stopped right after the click. */
const UNDER_FAULT = ['第二次请求当然也成功了。', '那么，该怎么设定超时呢？'];
/** Highlighted with a note whose Save is followed by a stop. */
const NOTED = ['这句话听起来有点悲观，但它是后面所有讨论的起点。', '最后留一个思考题。'];
const BURST_ROUNDS = 20;
const EDITS_PER_ROUND = 12;

const seed = runSeed();
const random = seededRandom(seed);
let site: LessonSite;
let browser: ExtensionBrowser;
let lesson: Page;
let extensionPage: Page;
let stopper: WorkerStopper;
let templates: Annotation[];
const model = new EditModel();

beforeAll(async () => {
  console.info(`worker-stops: seed ${seed} (replay with LH_FAULT_SEED=${seed}), build ${EXTENSION_DIR}`);
  site = await startLessonSite({ renderDelayMs: 150 });
  browser = await launchWithExtension();
  lesson = await browser.context.newPage();
  await openLesson(lesson, LESSON, site.lessonUrl(LESSON));
  extensionPage = await openExtensionPage(browser);
  stopper = await workerStopper(extensionPage, browser.extensionId);
  for (const quote of TEMPLATES) await highlightText(lesson, quote, 'Yellow');
  const stored = await readDatabase(extensionPage);
  templates = TEMPLATES.map((quote) => findByQuote(stored, quote)!);
  for (const template of templates) model.track(template, true);
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** The stored, live highlight of `quote` (the page does not tell its id). */
function findByQuote(dump: DatabaseDump, quote: string): Annotation | undefined {
  return (dump.annotations as Annotation[]).find((record) => record.target.quote.exact === quote && record.deletedAt === null);
}

/** Stops the worker after a random pause of up to `maxDelayMs`; counts it when the worker was running. */
function stopAfterRandomPause(tally: FaultTally, maxDelayMs: number): () => Promise<void> {
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, random() * maxDelayMs));
    if (await stopper.stop()) tally.injected += 1;
  };
}

/** Checks the database against the model and the record shapes; adds what it found to `tally`. */
async function checkDatabase(tally: FaultTally): Promise<{ dump: DatabaseDump; problems: string[] }> {
  const dump = await readDatabase(extensionPage);
  const result = model.check(dump);
  const shapes = findHalfWritten(dump);
  tally.lost += result.lost;
  tally.halfWritten += result.phantoms + shapes.length;
  model.settle(dump);
  return { dump, problems: [...result.problems, ...shapes.map((shape) => `${shape.store} ${shape.id}: ${shape.problem}`)] };
}

describe('the service worker stopped at random points', () => {
  it('keeps every highlight and note the lesson page acknowledged, and says so when one was not saved', async () => {
    const tally = trackFault('Service worker stopped right after an edit in the lesson page (CDP ServiceWorker.stopAllWorkers)');
    const counted = { acknowledged: model.acknowledged, unacknowledged: model.unacknowledged };
    const colors = ['Green', 'Blue'] as const;
    const missing: string[] = [];
    for (const [i, quote] of UNDER_FAULT.entries()) {
      const outcome = await highlightUnderFault(lesson, quote, colors[i]!, stopAfterRandomPause(tally, 40));
      const stored = findByQuote(await readDatabase(extensionPage), quote);
      if (outcome === 'refused') model.expectMaybeCreated(quote);
      else if (stored) model.track(stored, true);
      else missing.push(`“${quote}” was painted but is not stored`);
    }
    for (const [i, quote] of NOTED.entries()) {
      const note = `停下来也不能丢 ${i}：超时并不等于失败。`;
      const outcome = await noteUnderFault(lesson, quote, note, stopAfterRandomPause(tally, 40));
      const stored = findByQuote(await readDatabase(extensionPage), quote);
      if (!stored) {
        missing.push(`“${quote}” was painted but is not stored`);
        continue;
      }
      // The highlight itself was made (and painted) before the fault; the note is what was at stake.
      model.track({ ...stored, note: '' }, true);
      model.apply({ type: 'note', id: stored.id, text: note }, outcome === 'acknowledged' ? { acknowledged: true, value: stored } : { acknowledged: false, reason: 'the page showed an error' });
    }
    const { problems } = await checkDatabase(tally);
    tally.lost += missing.length;
    tally.acknowledged = model.acknowledged - counted.acknowledged + missing.length;
    tally.unacknowledged = model.unacknowledged - counted.unacknowledged;
    expect([...missing, ...problems]).toEqual([]);
    expect(tally.injected, 'stops that found the worker running').toBeGreaterThanOrEqual((UNDER_FAULT.length + NOTED.length) / 2);
  });

  it(`keeps every acknowledged edit of a burst, with the worker stopped ${BURST_ROUNDS} times mid-burst, and nothing is half-applied`, async () => {
    const tally = trackFault('Service worker stopped mid-burst of edits from an extension page (CDP ServiceWorker.stopAllWorkers)');
    const counted = { acknowledged: model.acknowledged, unacknowledged: model.unacknowledged };
    const serial = { next: 0 };
    const problems: string[] = [];
    for (let round = 0; round < BURST_ROUNDS; round++) {
      const stopAt = Math.floor(random() * EDITS_PER_ROUND);
      await runBurst({
        page: extensionPage,
        model,
        random,
        templates,
        count: EDITS_PER_ROUND,
        serial,
        afterSend: async (index) => {
          if (index === stopAt) await stopAfterRandomPause(tally, 15)();
        },
      });
      problems.push(...(await checkDatabase(tally)).problems.map((problem) => `round ${round}: ${problem}`));
    }
    tally.acknowledged = model.acknowledged - counted.acknowledged;
    tally.unacknowledged = model.unacknowledged - counted.unacknowledged;
    expect(problems).toEqual([]);
    expect(tally).toMatchObject({ lost: 0, halfWritten: 0 });
    // Most stops land on a running worker; a stop right after another may find it still asleep.
    expect(tally.injected).toBeGreaterThanOrEqual(BURST_ROUNDS * 0.75);
    expect(tally.acknowledged).toBeGreaterThan(BURST_ROUNDS * EDITS_PER_ROUND * 0.5);

    // The lesson page shows every live highlight, old and new, each once.
    const dump = await readDatabase(extensionPage);
    const page = await browser.context.newPage();
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    const want = expectedPaint(dump, LESSON);
    await pollUntil(page, () => paintedRanges(page), (have) => JSON.stringify(have) === JSON.stringify(want), `the page to paint ${want.length} highlights`, 20_000);
  });
});
