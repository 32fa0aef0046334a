/**
 * Generated lessons on the fixture site, and the in-page bench on them:
 * opening a lesson (edition 1 = original, 2 = edited), checking that the page
 * shows exactly the text the generator wrote, and calling the in-page bench.
 */
import type { Page } from 'playwright-core';
import { waitForPageLog } from '../../tests/e2e/harness';
import { startLessonSite, type LessonSite } from '../../tests/fixtures/lesson-site/server.mjs';
import type { LessonBenchApi, MeasureResult, OursProfile, Passage, PaintResult, RunPolicy } from '../browser/page-bench';
import type { ImplementationName, SelectorSets } from '../browser/implementations';
import { countedRegions, fixtureLesson, type GeneratedLesson, type HighlightCase, type RegionName } from '../generate-lesson';
import { REGIONS } from '../generate/lesson-model';
import { pageBenchScript } from './bundle';

type BenchWindow = Window & { __lessonBench: LessonBenchApi };

/**
 * The fixture site serving the generated lessons too. `renderDelayMs` is how
 * late the article API answers: short where no figure depends on it; the
 * end-to-end suites keep the fixture's realistic default (the content script
 * is running before the body arrives, as on the real site).
 */
export function startBenchSite(lessons: readonly GeneratedLesson[], renderDelayMs = 30): Promise<LessonSite> {
  return startLessonSite({ renderDelayMs, extraLessons: lessons.map(fixtureLesson) });
}

/** The fixture site's own article delay, like the real page's late render. */
export const REALISTIC_RENDER_DELAY_MS = 400;

/** Opens a lesson and waits until title, body and comments are rendered. */
export async function openLesson(page: Page, site: LessonSite, lesson: GeneratedLesson, edition: 1 | 2): Promise<void> {
  site.setEdition(lesson.spec.id, edition);
  await page.goto(site.lessonUrl(lesson.spec.id));
  await waitForPageLog(page, `comments:${lesson.spec.id}`, 30_000);
}

/**
 * Injects the in-page bench and checks the page shows the generator's text:
 * if it did not, every ground-truth position would be off, and the checker
 * could not judge anything.
 */
export async function injectBench(page: Page, lesson: GeneratedLesson, edition: 1 | 2): Promise<void> {
  await page.addScriptTag({ content: await pageBenchScript() });
  const shown = await page.evaluate(() => (window as unknown as BenchWindow).__lessonBench.countedRegions());
  const expected = countedRegions(edition === 1 ? lesson.original : lesson.edited);
  for (const region of REGIONS) {
    if (shown[region] === expected[region]) continue;
    let at = 0;
    while (shown[region][at] === expected[region][at]) at++;
    throw new Error(
      `checker: the ${lesson.spec.label} lesson (edition ${edition}) shows other ${region} text than generated, from counted character ${at}: ` +
        `page "${shown[region].slice(at, at + 20)}" vs generated "${expected[region].slice(at, at + 20)}"`,
    );
  }
}

export function passages(cases: readonly HighlightCase[], edition: 1 | 2): Passage[] {
  return cases.map((c) => ({ region: c.region as RegionName, span: edition === 1 ? c.original : c.edited }));
}

export function describeOnPage(page: Page, passagesToDescribe: Passage[], names?: readonly ImplementationName[]): Promise<SelectorSets> {
  return page.evaluate(({ p, names }) => (window as unknown as BenchWindow).__lessonBench.describe(p, names), { p: passagesToDescribe, names });
}

export function measureOnPage(page: Page, selectors: SelectorSets, intended: Passage[], policy: RunPolicy, names: readonly ImplementationName[]): Promise<MeasureResult> {
  return page.evaluate(
    ({ selectors, intended, policy, names }) => (window as unknown as BenchWindow).__lessonBench.measure(selectors, intended, policy, names),
    { selectors, intended, policy, names },
  );
}

export function paintOnPage(page: Page, targets: SelectorSets['ours'], runs: number): Promise<PaintResult> {
  return page.evaluate(({ targets, runs }) => (window as unknown as BenchWindow).__lessonBench.paint(targets, runs), { targets, runs });
}

export function profileOursOnPage(page: Page, targets: SelectorSets['ours'], runs: number): Promise<OursProfile> {
  return page.evaluate(({ targets, runs }) => (window as unknown as BenchWindow).__lessonBench.profileOurs(targets, runs), { targets, runs });
}

export function rangeCountsOnPage(page: Page, targets: SelectorSets['ours']): Promise<number[]> {
  return page.evaluate((targets) => (window as unknown as BenchWindow).__lessonBench.rangeCounts(targets), targets);
}

export function coldPassOnPage(page: Page, name: ImplementationName, selectors: SelectorSets): Promise<number> {
  return page.evaluate(({ name, selectors }) => (window as unknown as BenchWindow).__lessonBench.coldPass(name, selectors), { name, selectors });
}
