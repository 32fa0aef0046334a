/**
 * The popup with 10,000 annotations (issue #4): how soon the first item is
 * painted after the popup opens, and how soon the results follow a
 * keystroke in the search box. The library is seeded through the real
 * database from an extension page (tests/fixtures/review/library-seed.ts:
 * Chinese quotes and notes, 8 courses × 25 lessons); the popup is opened as a
 * 400 × 580 tab, with and without a lesson tab for it to show first.
 */
import type { Page } from 'playwright-core';
import { launchWithExtension } from '../../tests/e2e/harness';
import { startLessonSite } from '../../tests/fixtures/lesson-site/server.mjs';
import { seedLibrary, writeLibrary } from '../../tests/fixtures/review/library-seed';
import { measured, single } from '../lib/stats';
import type { BenchContext, BenchFigure, BenchSuite } from '../types';

const GROUP = 'Popup and library (review)';
const POPUP_VIEWPORT = { width: 400, height: 580 };
/** Typed one key at a time; Chinese arrives as inserted text, as from an input method. */
const TYPING: ReadonlyArray<{ text: string } | { key: string }> = [
  ...['r', 'a', 'f', 't'].map((text) => ({ text })),
  ...Array.from({ length: 4 }, () => ({ key: 'Backspace' })),
  ...['幂', '等', '键'].map((text) => ({ text })),
  ...Array.from({ length: 3 }, () => ({ key: 'Backspace' })),
  ...['超', '时', ' ', 'r', 'e', 't', 'r', 'y'].map((text) => ({ text })),
  ...Array.from({ length: 8 }, () => ({ key: 'Backspace' })),
  ...['锁', '的'].map((text) => ({ text })),
];

/**
 * Installed before the popup's own scripts (`addInitScript({ content })`;
 * plain script text, since tsx wraps named functions in a `__name` helper the
 * page lacks): the time (ms since navigation start) the first list item was
 * painted, by the Element Timing API and, as a fallback, by the frame after
 * it entered the DOM; and the time from each keystroke's first event to the
 * frame after the list shows its results (`main[data-query]` equals the box).
 */
const PROBE_SCRIPT = `(() => {
  const state = { elementTiming: 0, firstItem: 0, keystrokes: [], pendingSince: 0 };
  window.__reviewProbe = state;
  const afterFrame = (done) => requestAnimationFrame(() => setTimeout(() => done(performance.now()), 0));
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.identifier === 'review-first-item' && !state.elementTiming) state.elementTiming = entry.renderTime || entry.startTime;
    }
  }).observe({ type: 'element', buffered: true });
  new MutationObserver(() => {
    if (!state.firstItem && document.querySelector('[data-annotation-id]')) {
      state.firstItem = -1;
      afterFrame((time) => (state.firstItem = time));
    }
    const list = document.querySelector('main[data-query]');
    const input = document.querySelector('input[type="search"]');
    if (state.pendingSince && list && input && list.getAttribute('data-query') === input.value) {
      const since = state.pendingSince;
      state.pendingSince = 0;
      afterFrame((time) => state.keystrokes.push(time - since));
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-query'] });
  const startKeystroke = (event) => {
    if (!state.pendingSince) state.pendingSince = event.timeStamp;
  };
  document.addEventListener('keydown', startKeystroke, true);
  document.addEventListener('beforeinput', startKeystroke, true);
})();`;

interface ProbeState {
  elementTiming: number;
  firstItem: number;
  keystrokes: number[];
}

const readProbe = (page: Page) =>
  page.evaluate(() => (window as unknown as { __reviewProbe: ProbeState }).__reviewProbe);

/** Opens `url` `runs` times (after one untimed warm-up) and answers the first-paint times. */
async function timeFirstPaint(
  page: Page,
  url: string,
  runs: number,
): Promise<{ painted: number[]; elementTimings: number[] }> {
  const painted: number[] = [];
  const elementTimings: number[] = [];
  for (let run = -1; run < runs; run++) {
    await page.goto(url);
    await page.waitForFunction(
      () => (window as unknown as { __reviewProbe: ProbeState }).__reviewProbe.firstItem > 0,
      null,
      { polling: 20, timeout: 30_000 },
    );
    // Let this popup finish loading everything, so the next run does not queue behind it.
    await page.getByRole('button', { name: 'Export' }).and(page.locator(':enabled')).waitFor({ timeout: 30_000 });
    const state = await readProbe(page);
    if (run < 0) continue;
    painted.push(state.firstItem);
    if (state.elementTiming > 0) elementTimings.push(state.elementTiming);
  }
  return { painted, elementTimings };
}

/** Types {@link TYPING} into the search box, one key at a time, waiting for each result. */
async function timeKeystrokes(page: Page, url: string): Promise<number[]> {
  await page.goto(url);
  // Everything loaded: the export menu is enabled once the whole library has arrived.
  await page.getByRole('button', { name: 'Export' }).and(page.locator(':enabled')).waitFor({ timeout: 30_000 });
  const search = page.getByRole('searchbox', { name: 'Search notes' });
  await search.focus();
  for (const [index, step] of TYPING.entries()) {
    if ('key' in step) await page.keyboard.press(step.key);
    else if (/^[\x20-\x7e]$/.test(step.text)) await page.keyboard.type(step.text);
    else await page.keyboard.insertText(step.text);
    await page.waitForFunction(
      (count) => (window as unknown as { __reviewProbe: ProbeState }).__reviewProbe.keystrokes.length >= count,
      index + 1,
      { polling: 10 },
    );
  }
  return (await readProbe(page)).keystrokes;
}

async function measurePopup(context: BenchContext, annotations: number, runs: number): Promise<BenchFigure[]> {
  const site = await startLessonSite();
  const browser = await launchWithExtension({ viewport: POPUP_VIEWPORT, extensionDir: context.extensionDir });
  try {
    await browser.context.addInitScript({ content: PROBE_SCRIPT });
    const page = await browser.context.newPage();
    const popupUrl = `chrome-extension://${browser.extensionId}/popup.html`;
    await page.goto(popupUrl);
    const library = seedLibrary({ annotations });
    await writeLibrary(page, library);
    // A tab on one of the seeded lessons, for the popup to show first.
    const lessonId = library.annotations[0]!.lesson.lessonId;
    const lessonTab = await browser.context.newPage();
    await lessonTab.goto(site.lessonUrl(lessonId));
    const tabId = await browser.serviceWorker.evaluate(
      async (url) =>
        (
          await (
            globalThis as unknown as {
              chrome: { tabs: { query(q: object): Promise<Array<{ id?: number; url?: string }>> } };
            }
          ).chrome.tabs.query({})
        ).find((tab) => tab.url === url)?.id,
      lessonTab.url(),
    );
    await page.bringToFront();
    context.log(`popup: first paint, ${annotations} annotations`);
    const plain = await timeFirstPaint(page, popupUrl, runs);
    const onLesson = await timeFirstPaint(page, `${popupUrl}?tab=${tabId}`, runs);
    context.log('popup: keystrokes');
    const keystrokes = await timeKeystrokes(page, popupUrl);
    const count = annotations.toLocaleString('en');
    const paintNote = 'navigation start → the frame after the first item entered the page';
    return [
      single({ group: GROUP, name: 'annotations in the database', unit: 'count' }, annotations),
      measured(
        {
          group: GROUP,
          name: `popup first paint, ${count} annotations, no lesson tab`,
          unit: 'ms',
          target: { below: 300, text: '< 300 ms' },
          note: paintNote,
        },
        plain.painted,
      ),
      measured(
        {
          group: GROUP,
          name: `popup first paint, ${count} annotations, over a lesson tab`,
          unit: 'ms',
          target: { below: 300, text: '< 300 ms' },
          note: paintNote,
        },
        onLesson.painted,
      ),
      ...(plain.elementTimings.length > 0
        ? [
            measured(
              {
                group: GROUP,
                name: '  same, no lesson tab, by the Element Timing API',
                unit: 'ms',
                note: 'renderTime of the first quote',
              },
              plain.elementTimings,
            ),
          ]
        : []),
      measured(
        {
          group: GROUP,
          name: `keystroke → updated results, ${count} annotations`,
          unit: 'ms',
          target: { below: 50, text: '< 50 ms' },
          note: `${TYPING.length} keys: Latin, Chinese, mixed, Backspace; to the frame after the list updated`,
        },
        keystrokes,
      ),
    ];
  } finally {
    await browser.close();
    await site.close();
  }
}

export const popupSuite: BenchSuite = {
  name: 'popup',
  async run(context) {
    const annotations = context.tiny ? 300 : 10_000;
    context.note(
      'Popup: seeded through the real database from an extension page; opened as a 400 × 580 tab (popup.html, and popup.html?tab=<id> over a lesson tab). ' +
        'First paint is timed from navigation start to the frame after the first list item appeared; a keystroke from its first event to the frame after the list showed the results.',
    );
    return measurePopup(context, annotations, context.tiny ? 2 : 9);
  },
};
