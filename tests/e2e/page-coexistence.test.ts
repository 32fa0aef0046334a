/**
 * The lesson page has its own behaviour where ours lives: a note menu
 * (划线 / 笔记 / 复制) on every selection, a copy hijack, single-key shortcuts on
 * document, and pages that are not lessons. We must work beside all of it
 * without breaking it, and do nothing where there is no lesson.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { LessonSite } from '../fixtures/lesson-site/server.mjs';
import {
  highlightText,
  holdsFor,
  openLesson,
  pageLog,
  pathname,
  pollUntil,
  selectForHighlight,
  selectTextByMouse,
  selectionToolbar,
  waitForPageLog,
  waitForPainted,
  type ExtensionBrowser,
  useLessonSession,
} from './harness';

const LESSON = '100001';
const YELLOW = 'lesson-highlight-yellow';
const GREEN = 'lesson-highlight-green';
const PAGE_MENU = '[class*="noteMenu_noteMenu_"]';

const session = useLessonSession();
let site: LessonSite;
let browser: ExtensionBrowser;
let page: Page;
beforeAll(() => void ({ site, browser, page } = session));

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Both menus' boxes, or null for one that is not visible. */
async function menuBoxes() {
  const ours = selectionToolbar(page);
  const theirs = page.locator(PAGE_MENU);
  return {
    ours: (await ours.isVisible()) ? await ours.boundingBox() : null,
    theirs: (await theirs.isVisible()) ? await theirs.boundingBox() : null,
  };
}

const selectedText = () => page.evaluate(() => getSelection()?.toString() ?? '');

describe("the site's note menu", () => {
  it('shows beside our toolbar without overlapping it', async () => {
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    await selectForHighlight(page, '三方各自的判断都“合理”，合在一起却是一个错误的结果。');
    await page.locator(PAGE_MENU).waitFor({ state: 'visible' });
    const apart = (boxes: Awaited<ReturnType<typeof menuBoxes>>) =>
      Boolean(boxes.ours && boxes.theirs && !overlaps(boxes.ours, boxes.theirs));
    await pollUntil(page, menuBoxes, apart, 'both menus visible and apart', 3_000);
    await holdsFor(page, menuBoxes, apart, 'both menus to stay visible and apart', 400);
  });

  it('does not pop up again over the text after a color is chosen in our toolbar', async () => {
    const text = '三方各自的判断都“合理”，合在一起却是一个错误的结果。';
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    await highlightText(page, text);
    await waitForPainted(page, [{ name: YELLOW, text }]);
    expect(await selectedText(), 'our click ended the selection').toBe('');
    await holdsFor(page, () => page.locator(PAGE_MENU).isVisible(), (shown) => !shown, "the site's note menu to stay closed", 800);
  });

  it('划线 still marks text, and our highlights keep working around its spans', async () => {
    const ours = '超时设得太短，会把大量只是稍慢的请求误判为失败';
    const marked = '只是稍慢的请求误判为失败；设得太长';
    const later = '设得太长，用户和上游服务就要陪着一起等待';
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    await highlightText(page, ours);

    // The site's own 划线 on text overlapping our highlight.
    await selectTextByMouse(page, marked);
    await page.locator(PAGE_MENU).getByRole('button', { name: '划线' }).click();
    await waitForPageLog(page, 'noteMenu:mark-line');
    const markedText = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('[data-annotation-type="mark-line"]')].map((span) => span.textContent).join(''),
      );
    expect(await markedText()).toBe(marked);
    await waitForPainted(page, [{ name: YELLOW, text: ours }]);

    // A new highlight across the site's span, and both of ours after a reload.
    await highlightText(page, later, 'Green');
    await waitForPainted(page, [{ name: YELLOW, text: ours }, { name: GREEN, text: later }]);
    expect(await markedText(), "the site's 划线 is untouched").toBe(marked);
    await openLesson(page, LESSON);
    await waitForPainted(page, [{ name: YELLOW, text: ours }, { name: GREEN, text: later }]);
  });
});

describe("the site's copy hijack", () => {
  it('a Ctrl+C on the selection does not stop it from being highlighted', async () => {
    const text = '网络永远不可能百分之百可靠，专线也会有抖动的时候';
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    await selectForHighlight(page, text);
    const copies = (await pageLog(page)).filter((entry) => entry === 'copy').length;
    await page.keyboard.press('Control+C');
    await pollUntil(page, () => pageLog(page), (log) => log.filter((entry) => entry === 'copy').length > copies, 'the page to copy');
    await pollUntil(page, selectedText, (selected) => selected === text, 'the selection to come back after the copy', 3_000);
    await holdsFor(page, () => selectionToolbar(page).isVisible(), (shown) => shown, 'our toolbar to stay open', 400);

    await selectionToolbar(page).getByRole('button', { name: 'Yellow', exact: true }).click();
    await waitForPainted(page, [{ name: YELLOW, text }]);
    await openLesson(page, LESSON);
    await waitForPainted(page, [{ name: YELLOW, text }]);
  });
});

describe('selections outside the lesson', () => {
  it.each([
    ['the sidebar header', '[class*="Index_sideHeader_"]', '分布式系统实战 45 讲'],
    ['the top bar', '[class*="Index_navWrap_"]', '分布式系统实战 45 讲'],
    ['the copyright line', '[class*="Index_copyright_"]', '版权归极客邦科技所有'],
  ])('get no toolbar in %s', async (_where, root, text) => {
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    // First show that we are listening: a selection in the lesson gets the toolbar.
    await selectForHighlight(page, '三方各自的判断都“合理”');
    await page.keyboard.press('Escape');
    await selectionToolbar(page).waitFor({ state: 'hidden' });

    await selectTextByMouse(page, text, { root });
    expect(await selectedText()).toContain(text.replace(/ /g, '').slice(0, 4));
    await holdsFor(page, () => selectionToolbar(page).isVisible(), (shown) => !shown, 'no toolbar', 800);
  });
});

describe("the site's keyboard shortcuts", () => {
  it('"l" typed while our toolbar has focus does not switch the lesson', async () => {
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    await selectForHighlight(page, '三方各自的判断都“合理”，合在一起却是一个错误的结果。');
    await selectionToolbar(page).getByRole('button', { name: 'Yellow', exact: true }).focus();
    const seen = (await pageLog(page)).length;
    await page.keyboard.press('l');
    const unchanged = async () => ({ path: await pathname(page), log: (await pageLog(page)).slice(seen) });
    await holdsFor(
      page,
      unchanged,
      ({ path, log }) => path === `/column/article/${LESSON}` && !log.some((entry) => /^(shortcut|switch):/.test(entry)),
      'no lesson switch',
      500,
    );

    // The same key with the focus back on the page does switch: the test presses real keys.
    await page.locator('h1').click();
    await page.keyboard.press('l');
    await pollUntil(page, () => pathname(page), (path) => path === '/column/article/100002', 'the page to switch on "l"');
  });
});

describe('pages that are not lessons', () => {
  const traces = () =>
    page.evaluate(() => {
      const names: string[] = [];
      CSS.highlights.forEach((_highlight, name) => names.push(name));
      return {
        host: document.querySelector('lesson-highlighter-ui') !== null,
        highlights: names.filter((name) => name.startsWith('lesson-highlight')),
      };
    });

  it('have no UI host and no registered highlights (course intro, home)', async () => {
    // On a lesson both exist, so their absence below means something.
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    await pollUntil(page, traces, ({ host, highlights }) => host && highlights.length > 0, 'our traces on a lesson page');

    for (const [path, rendered] of [['/column/intro/486', 'render:intro'], ['/', 'render:home']] as const) {
      await page.goto(`${site.origin}${path}`);
      await waitForPageLog(page, rendered);
      await holdsFor(page, traces, ({ host, highlights }) => !host && highlights.length === 0, `no traces on ${path}`, 800);
    }
  });
});
