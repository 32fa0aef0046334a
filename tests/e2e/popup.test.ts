/**
 * The toolbar popup (issue #4), opened as a tab (`popup.html?tab=<id>` stands
 * for "the popup over that tab"): a highlight made on the lesson is listed
 * with its note, found by a Chinese fragment, opened in its lesson (scrolled
 * into view and flashed, also in a tab that has to load first), exported as
 * Markdown, deleted and restored; the toolbar badge counts the highlights.
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { LessonSite } from '../fixtures/lesson-site/server.mjs';
import {
  highlightText,
  openLesson,
  pollUntil,
  waitForHighlights,
  type ExtensionBrowser,
  useLessonSession,
} from './harness';

/** The extension APIs these tests read inside the service worker. */
declare const chrome: {
  tabs: { query(query: { active?: boolean }): Promise<Array<{ id?: number; url?: string }>> };
  action: { getBadgeText(details: { tabId: number }): Promise<string> };
};

const LESSON = '100001';
const TOP_QUOTE = '三方各自的判断都“合理”，合在一起却是一个错误的结果。';
const FAR_QUOTE = '幂等键一般存在 Redis 里还是数据库里比较好？';
const COMMENTS = '[class*="Index_articleComments_"]';
const NOTE = '幂等键要和业务单号绑定，不能用随机数';

let site: LessonSite;
let browser: ExtensionBrowser;
let lesson: Page;
let popup: Page;

const session = useLessonSession({ freshPages: true });
beforeAll(() => void ({ site, browser } = session));

beforeEach(async () => {
  lesson = await browser.context.newPage();
  await openLesson(lesson, LESSON, site.lessonUrl(LESSON));
  await highlightText(lesson, TOP_QUOTE, 'Yellow');
  await highlightText(lesson, FAR_QUOTE, 'Blue', { root: COMMENTS });
  await waitForHighlights(lesson, [TOP_QUOTE, FAR_QUOTE]);
  popup = await openPopup(await tabIdOf(lesson));
});

/** The browser's id of the tab showing `page` (found by URL through the service worker). */
async function tabIdOf(page: Page): Promise<number> {
  const url = page.url();
  const id = await browser.serviceWorker.evaluate(
    async (url) => (await chrome.tabs.query({})).find((tab) => tab.url === url)?.id,
    url,
  );
  if (id === undefined) throw new Error(`No tab shows ${url}`);
  return id;
}

async function openPopup(tabId: number): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/popup.html?tab=${tabId}`);
  return page;
}

function item(page: Page, text: string) {
  return page.getByRole('listitem').filter({ hasText: text });
}

function badgeOf(tabId: number): Promise<string> {
  return browser.serviceWorker.evaluate((tabId) => chrome.action.getBadgeText({ tabId }), tabId);
}

/** Where the highlight containing `text` sits, and whether it is flashing. */
function revealState(page: Page, text: string) {
  return page.evaluate((text) => {
    let rect: DOMRect | null = null;
    CSS.highlights.forEach((highlight, name) => {
      if (!name.startsWith('lesson-highlight') || name.endsWith('-focus')) return;
      for (const range of highlight)
        if ((range as Range).toString().includes(text)) rect = (range as Range).getBoundingClientRect();
    });
    const box = rect as DOMRect | null;
    return {
      inView: box !== null && box.top >= 0 && box.bottom <= innerHeight,
      flashing: (CSS.highlights.get('lesson-highlight-focus')?.size ?? 0) > 0,
    };
  }, text);
}

describe('the popup lists, finds and opens what was highlighted', () => {
  it('shows this lesson first in reading order, and the badge counts its highlights', async () => {
    const items = popup.getByRole('listitem');
    await expect.poll(() => items.allInnerTexts()).toHaveLength(2);
    const texts = await items.allInnerTexts();
    expect(texts[0]).toContain(TOP_QUOTE);
    expect(texts[1]).toContain(FAR_QUOTE);
    expect(await badgeOf(await tabIdOf(lesson))).toBe('2');
  });

  it('edits a note in place, then finds it by a Chinese fragment with the match emphasised', async () => {
    await item(popup, FAR_QUOTE).getByRole('button', { name: 'Add note' }).click();
    await popup.getByRole('textbox', { name: 'Note' }).fill(NOTE);
    await popup.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => item(popup, FAR_QUOTE).innerText()).toContain(NOTE);

    await popup.getByRole('searchbox', { name: 'Search notes' }).fill('业务单号');
    await expect.poll(() => popup.getByRole('listitem').count()).toBe(1);
    expect(await item(popup, FAR_QUOTE).locator('mark').allInnerTexts()).toEqual(['业务单号']);
    await popup.getByRole('searchbox', { name: 'Search notes' }).fill('业务单号 不存在的词');
    await expect.poll(() => popup.getByRole('listitem').count()).toBe(0);
    await expect.poll(() => popup.getByText('No notes match').count()).toBe(1);
  });

  it('Open focuses the lesson tab, scrolls the highlight into view inside the lesson and flashes it', async () => {
    await lesson.evaluate(() => document.querySelector('.simplebar-content-wrapper')!.scrollTo(0, 0));
    expect((await revealState(lesson, FAR_QUOTE)).inView).toBe(false);
    await item(popup, FAR_QUOTE).getByRole('button', { name: 'Open' }).click();
    await pollUntil(
      lesson,
      () => revealState(lesson, FAR_QUOTE),
      (state) => state.inView && state.flashing,
      'the highlight in view and flashing',
    );
    const active = await browser.serviceWorker.evaluate(
      async () => (await chrome.tabs.query({ active: true }))[0]?.url,
    );
    expect(active).toBe(lesson.url());
  });

  it('Open opens a lesson that is not open yet and reveals the highlight once it has rendered', async () => {
    await lesson.close();
    const opened = browser.context.waitForEvent('page');
    await item(popup, FAR_QUOTE).getByRole('button', { name: 'Open' }).click();
    const page = await opened;
    await pollUntil(
      page,
      () => revealState(page, FAR_QUOTE).catch(() => ({ inView: false, flashing: false })),
      (state) => state.inView && state.flashing,
      'the highlight in view and flashing in the new tab',
      15_000,
    );
    expect(new URL(page.url()).pathname).toBe(`/column/article/${LESSON}`);
  });

  it('exports Markdown with headings, the quote as a block quote, the note and a link to the lesson', async () => {
    await item(popup, FAR_QUOTE).getByRole('button', { name: 'Add note' }).click();
    await popup.getByRole('textbox', { name: 'Note' }).fill(NOTE);
    await popup.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => item(popup, FAR_QUOTE).innerText()).toContain(NOTE);

    await popup.getByRole('button', { name: 'Export' }).click();
    const download = popup.waitForEvent('download');
    await popup.getByRole('menuitem', { name: 'Everything as Markdown' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^lesson-highlighter-all-\d{4}-\d{2}-\d{2}\.md$/);
    const markdown = await readFile((await file.path())!, 'utf8');
    expect(markdown).toMatch(/^# .+/m);
    expect(markdown).toContain(`](${site.lessonUrl(LESSON)})`);
    expect(markdown).toContain(`> ${TOP_QUOTE}`);
    expect(markdown).toContain(`> ${FAR_QUOTE}\n\n${NOTE}\n`);
  });

  it('deletes with undo, by button and by the Delete key, and the badge follows', async () => {
    const tabId = await tabIdOf(lesson);
    await item(popup, TOP_QUOTE).getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => item(popup, TOP_QUOTE).count()).toBe(0);
    await expect.poll(() => badgeOf(tabId)).toBe('1');
    await popup.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => item(popup, TOP_QUOTE).count()).toBe(1);
    await expect.poll(() => badgeOf(tabId)).toBe('2');

    await item(popup, FAR_QUOTE).focus();
    await popup.keyboard.press('Delete');
    await expect.poll(() => item(popup, FAR_QUOTE).count()).toBe(0);
    await popup.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => item(popup, FAR_QUOTE).count()).toBe(1);
  });
});
