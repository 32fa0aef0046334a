/**
 * The core user journey in real Firefox (issue #7): Debian's firefox-esr with
 * the Firefox build installed as a temporary add-on over WebDriver BiDi.
 * A highlight is painted (the reader sees the color) and comes back after a
 * reload; a note is shown in a card beside its highlight after a reload; the
 * popup lists the highlight with its note and finds it by a Chinese fragment.
 * Run after `npm run build:firefox`; fails (never skips) without Firefox.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { FIREFOX_MIN_VERSION, GECKO_ID } from '../../firefox-manifest';
import { COLOR_VALUES } from '../../page/highlight-painter';
import { startLessonSite, type LessonSite } from '../fixtures/lesson-site/server.mjs';
import {
  launchFirefoxWithExtension,
  openExtensionPage,
  openLesson,
  overWhite,
  paintedBackground,
  placedHighlights,
  pollFor,
  scrollHighlightIntoView,
  selectForHighlight,
  SELECTION_TOOLBAR,
  tabIdOf,
  toolbarButton,
  waitForPainted,
  waitForUi,
  waitForUiGone,
  type FirefoxWithExtension,
} from './firefox-harness';
import { compact } from './harness';

const LESSON = '100001';
const YELLOW = 'lesson-highlight-yellow';
const SENTENCE = '三方各自的判断都“合理”，合在一起却是一个错误的结果。';
const NOTE = '幂等键要和业务单号绑定，不能用随机数';
const NOTE_EDITOR = { selector: 'textarea[aria-label="Note"]' };
/** How far (px) a card may sit from the top of its highlight. */
const BESIDE_PX = 40;

let site: LessonSite;
let firefox: FirefoxWithExtension | undefined;
let lesson: Page;

beforeAll(async () => {
  site = await startLessonSite({ renderDelayMs: 150 });
});

afterAll(async () => {
  await site?.close();
});

// A fresh profile for every test (Firefox starts in about 3 s): clearing the
// database alone is not a clean slate, since sync would bring highlights back
// from storage.sync. Without Firefox every test fails saying so; none is skipped.
beforeEach(async () => {
  firefox = await launchFirefoxWithExtension(site);
  lesson = await firefox.browser.newPage();
  await openLesson(lesson, LESSON, site.lessonUrl(LESSON));
});

afterEach(async () => {
  await firefox?.close();
  firefox = undefined;
});

/** The running Firefox (started by beforeEach). */
function running(): FirefoxWithExtension {
  if (!firefox) throw new Error('Firefox is not running');
  return firefox;
}

/** Selects `text`, picks "Add note", types `note` and saves it. */
async function addNote(text: string, note: string): Promise<void> {
  await selectForHighlight(lesson, text);
  await (await waitForUi(lesson, toolbarButton('Add note'))).click();
  const editor = await waitForUi(lesson, NOTE_EDITOR);
  await editor.type(note);
  await (await waitForUi(lesson, { selector: 'button', name: 'Save' })).click();
  await waitForUiGone(lesson, NOTE_EDITOR);
}

describe('the add-on in Firefox', () => {
  it('installs under its own add-on id, in a Firefox that meets its minimum version', async () => {
    expect(running().addonId).toBe(GECKO_ID);
    const [, major] = /\/(\d+)\./.exec(await running().browser.version()) ?? [];
    expect(Number(major)).toBeGreaterThanOrEqual(Number.parseInt(FIREFOX_MIN_VERSION, 10));
  });

  it('paints a highlight made with the mouse in its color, and paints it again after a reload', async () => {
    await selectForHighlight(lesson, SENTENCE);
    await (await waitForUi(lesson, toolbarButton('Yellow'))).click();
    await waitForUiGone(lesson, SELECTION_TOOLBAR);
    await waitForPainted(lesson, [{ name: YELLOW, text: SENTENCE }]);
    // The content script's CSS.highlights entries reach the screen, not just the registry.
    await lesson.evaluate(() => getSelection()?.removeAllRanges());
    const yellow = overWhite(COLOR_VALUES.yellow);
    const near = (rgb: number[]) => rgb.every((channel, i) => Math.abs(channel - yellow[i]!) <= 12);
    await pollFor(() => paintedBackground(lesson, SENTENCE), near, `the text's background to be yellow ${yellow}`);

    await openLesson(lesson, LESSON);
    await waitForPainted(lesson, [{ name: YELLOW, text: SENTENCE }]);
    await scrollHighlightIntoView(lesson, SENTENCE);
    expect(near(await paintedBackground(lesson, SENTENCE)), 'painted yellow after the reload').toBe(true);
  });

  it('shows a note written on a highlight in a card beside it after a reload', async () => {
    await addNote(SENTENCE, NOTE);

    await openLesson(lesson, LESSON);
    await waitForPainted(lesson, [{ name: YELLOW, text: SENTENCE }]);
    await waitForUi(lesson, { selector: '[role="note"]', name: NOTE });
    await scrollHighlightIntoView(lesson, SENTENCE);
    const readPlace = () =>
      lesson.evaluate((note) => {
        const root = document.querySelector('lesson-highlighter-ui')!.shadowRoot!;
        const card = [...root.querySelectorAll('[role="note"]')].find((element) => element.textContent?.trim() === note)!;
        const box = card.getBoundingClientRect();
        const hit = root.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return {
          top: box.top,
          left: box.left,
          columnRight: document.querySelector('[data-slate-editor]')!.getBoundingClientRect().right,
          onTop: hit !== null && card.contains(hit),
        };
      }, NOTE);
    const highlightTop = (await placedHighlights(lesson)).find((h) => compact(h.text) === compact(SENTENCE))!.firstRect!.top;
    const place = await pollFor(
      readPlace,
      ({ top, left, columnRight, onTop }) => Math.abs(top - highlightTop) <= BESIDE_PX && left >= columnRight && onTop,
      'the card level with its highlight, right of the lesson column, not covered',
      3_000,
    );
    expect(place.onTop).toBe(true);
  });

  it('lists the highlight with its note in the popup, and finds it by a Chinese fragment', async () => {
    await addNote(SENTENCE, NOTE);
    const popup = await openExtensionPage(running().browser, `/popup.html?tab=${await tabIdOf(running(), lesson)}`);
    // Under "This lesson": the popup could read the lesson tab's URL (host permission, no "tabs" permission).
    const items = () =>
      popup.evaluate(() =>
        [...document.querySelectorAll('section[aria-labelledby="section-current"] li[data-annotation-id]')].map((item) => (item as HTMLElement).innerText),
      );
    const [item] = await pollFor(items, (texts) => texts.length === 1, 'one highlight under "This lesson"');
    expect(compact(item!)).toContain(compact(SENTENCE));
    expect(item).toContain(NOTE);

    const search = await popup.waitForSelector('input[type="search"][aria-label="Search notes"]');
    await search!.type('业务单号');
    const marks = () =>
      popup.evaluate(() => ({
        query: document.querySelector('main[data-query]')?.getAttribute('data-query'),
        items: document.querySelectorAll('li[data-annotation-id]').length,
        marks: [...document.querySelectorAll('li[data-annotation-id] mark')].map((mark) => mark.textContent),
      }));
    await pollFor(marks, (seen) => seen.query === '业务单号' && seen.items === 1 && seen.marks.join() === '业务单号', 'the note found, its match marked');

    await search!.type(' 不存在的词');
    const none = await pollFor(marks, (seen) => seen.query === '业务单号 不存在的词' && seen.items === 0, 'no match for a missing word');
    expect(none.items).toBe(0);
    expect(await popup.evaluate(() => document.body.innerText)).toContain('No notes match');
  });
});
