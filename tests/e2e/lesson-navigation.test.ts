/**
 * The lesson page is a single-page app: it switches lessons with
 * history.replaceState (sidebar, 上一篇/下一篇, keyboard h/l), re-renders the
 * same body with new nodes, and renders the body late. Highlights must follow
 * the lesson on screen through all of it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startLessonSite, type LessonSite } from '../fixtures/lesson-site/server.mjs';
import {
  compact,
  highlightText,
  launchWithExtension,
  openLesson,
  pageLog,
  placedHighlights,
  pathname,
  pollUntil,
  resetHighlights,
  waitForPainted,
  type ExtensionBrowser,
} from './harness';

const YELLOW = 'lesson-highlight-yellow';
const GREEN = 'lesson-highlight-green';
const FIRST = { id: '100001', text: '三方各自的判断都“合理”，合在一起却是一个错误的结果。' };
const SECOND = { id: '100002', text: '我们先用尽量朴素的语言把三个概念说清楚。' };

let site: LessonSite;
let browser: ExtensionBrowser;
let page: Page;

beforeAll(async () => {
  site = await startLessonSite({ renderDelayMs: 150 });
  browser = await launchWithExtension();
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

beforeEach(async () => {
  await resetHighlights(browser);
  site.setRenderDelay(150);
});

/** Runs `switchLesson` and waits until the page has rendered lesson `id` (body and comments) in place. */
async function switchAndWait(id: string, switchLesson: () => Promise<void>): Promise<void> {
  const seen = (await pageLog(page)).length;
  await switchLesson();
  await pollUntil(page, () => pageLog(page), (log) => log.slice(seen).includes(`comments:${id}`), `lesson ${id} to render`);
  expect(await pathname(page)).toBe(`/column/article/${id}`);
}

/** Marks the page world; the mark survives only if no page load happens. */
const markPage = () => page.evaluate(() => Object.assign(window, { __sameDocument: 'yes' }));
const pageMark = () => page.evaluate(() => (window as unknown as { __sameDocument?: string }).__sameDocument);

const sidebarItem = (title: string) => page.locator('[class*="ArticleItem_articleItem_"]', { hasText: title });
const yellow = (text: string) => ({ name: YELLOW, text });
const green = (text: string) => ({ name: GREEN, text });

describe('switching lessons without a page load', () => {
  it('sidebar: each lesson shows only its own highlights, and a new one can be made after the switch', async () => {
    await openLesson(page, FIRST.id, site.lessonUrl(FIRST.id));
    await markPage();
    await highlightText(page, FIRST.text);
    await waitForPainted(page, [yellow(FIRST.text)]);

    await switchAndWait(SECOND.id, () => sidebarItem('02 |').click());
    await waitForPainted(page, []);
    await highlightText(page, SECOND.text, 'Green');
    await waitForPainted(page, [green(SECOND.text)]);

    await switchAndWait(FIRST.id, () => sidebarItem('01 |').click());
    await waitForPainted(page, [yellow(FIRST.text)]);

    await switchAndWait(SECOND.id, () => sidebarItem('02 |').click());
    await waitForPainted(page, [green(SECOND.text)]);
    expect(await pageMark(), 'no page load happened').toBe('yes');
  });

  it('下一篇 / 上一篇 buttons', async () => {
    await openLesson(page, SECOND.id, site.lessonUrl(SECOND.id));
    await highlightText(page, SECOND.text, 'Green');
    await openLesson(page, FIRST.id, site.lessonUrl(FIRST.id));
    await markPage();
    await highlightText(page, FIRST.text);
    await waitForPainted(page, [yellow(FIRST.text)]);

    await switchAndWait(SECOND.id, () => page.getByRole('button', { name: '下一篇' }).click());
    await waitForPainted(page, [green(SECOND.text)]);
    await switchAndWait(FIRST.id, () => page.getByRole('button', { name: '上一篇' }).click());
    await waitForPainted(page, [yellow(FIRST.text)]);
    expect(await pageMark(), 'no page load happened').toBe('yes');
  });

  it('keyboard "l" and "h" on the page', async () => {
    await openLesson(page, SECOND.id, site.lessonUrl(SECOND.id));
    await highlightText(page, SECOND.text, 'Green');
    await openLesson(page, FIRST.id, site.lessonUrl(FIRST.id));
    await markPage();
    await highlightText(page, FIRST.text);
    await waitForPainted(page, [yellow(FIRST.text)]);

    await switchAndWait(SECOND.id, () => page.keyboard.press('l'));
    await waitForPainted(page, [green(SECOND.text)]);
    await switchAndWait(FIRST.id, () => page.keyboard.press('h'));
    await waitForPainted(page, [yellow(FIRST.text)]);
    expect(await pageMark(), 'no page load happened').toBe('yes');
  });
});

describe('a course opened at /column/article/0', () => {
  it('is no lesson until the app switches to the last-read one in place; then its highlights are painted', async () => {
    await openLesson(page, SECOND.id, site.lessonUrl(SECOND.id));
    await highlightText(page, SECOND.text, 'Green');
    await waitForPainted(page, [green(SECOND.text)]);

    // A fresh page: nothing of ours is loaded yet when the course loader starts.
    const fresh = await browser.context.newPage();
    try {
      await fresh.goto(`${site.origin}/column/article/0?cid=486&last=${SECOND.id}`);
      await pollUntil(fresh, () => pageLog(fresh), (log) => log.includes(`comments:${SECOND.id}`), 'the last-read lesson to render');
      expect(await pathname(fresh)).toBe(`/column/article/${SECOND.id}`);
      expect(await pageLog(fresh)).toContain('render:course-loader');
      await waitForPainted(fresh, [green(SECOND.text)]);
    } finally {
      await fresh.close();
    }
  });
});

describe('the page re-renders the body', () => {
  it('repaints the highlights on the new nodes of the same lesson', async () => {
    const other = '可以通过 context.WithTimeout 把超时沿着调用链传递下去';
    await openLesson(page, FIRST.id, site.lessonUrl(FIRST.id));
    await highlightText(page, FIRST.text);
    await highlightText(page, other, 'Green');
    await waitForPainted(page, [yellow(FIRST.text), green(other)]);

    const bodyKey = () => page.evaluate(() => document.querySelector('[data-slate-editor="true"]')?.getAttribute('data-key'));
    const oldKey = await bodyKey();
    await page.evaluate(() => (window as unknown as { __fixture: { rerender(): void } }).__fixture.rerender());
    expect(await bodyKey(), 'the page rendered a new body').not.toBe(oldKey);

    const want = [`${YELLOW}|${compact(FIRST.text)}`, `${GREEN}|${compact(other)}`].sort();
    await pollUntil(
      page,
      () => placedHighlights(page),
      (highlights) =>
        highlights.every((highlight) => highlight.connected) &&
        JSON.stringify(highlights.map((highlight) => `${highlight.name}|${compact(highlight.text)}`).sort()) === JSON.stringify(want),
      'highlights painted on the new, connected nodes',
    );
  });
});

describe('the body renders late', () => {
  it('paints the highlight once the body arrives (1.5 s after the page)', async () => {
    await openLesson(page, FIRST.id, site.lessonUrl(FIRST.id));
    await highlightText(page, FIRST.text);
    await waitForPainted(page, [yellow(FIRST.text)]);

    site.setRenderDelay(1500);
    await page.reload({ waitUntil: 'load' });
    expect(await page.locator('[data-slate-editor="true"]').count(), 'the body is not there yet').toBe(0);
    await waitForPainted(page, [yellow(FIRST.text)], 15_000);
    expect(await pageLog(page)).toContain(`render:${FIRST.id}`);
  });
});
