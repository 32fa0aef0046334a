/**
 * The core promise: select text on a lesson, pick a color, and the highlight
 * is painted — and painted again on the same text after a reload. Covers the
 * kinds of text a lesson has (inline marks, blocks, code, quote, list, title,
 * comments), repeated phrases, editing and deleting, overlaps, the mobile
 * layout and plain (non-Slate) markup.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { findLesson } from '../fixtures/lesson-site/lessons.mjs';
import type { LessonSite } from '../fixtures/lesson-site/server.mjs';
import {
  clickHighlight,
  compact,
  highlightMenu,
  highlightText,
  openLesson,
  pageLog,
  placedHighlights,
  waitForPainted,
  type ExtensionBrowser,
  useLessonSession,
} from './harness';

const LESSON = '100001';
const YELLOW = 'lesson-highlight-yellow';
const GREEN = 'lesson-highlight-green';
const BLUE = 'lesson-highlight-blue';
const TITLE = '[class*="Index_articleTitle_"]';
const COMMENTS = '[class*="Index_articleComments_"]';

const session = useLessonSession();
let site: LessonSite;
let browser: ExtensionBrowser;
let page: Page;
beforeAll(() => void ({ site, browser, page } = session));

/** Highlights `text` in yellow, checks it is painted, reloads, and checks it is painted again. */
async function highlightAndReload(text: string, options: { root?: string; occurrence?: number } = {}, url = site.lessonUrl(LESSON)) {
  await openLesson(page, LESSON, url);
  await highlightText(page, text, 'Yellow', options);
  await waitForPainted(page, [{ name: YELLOW, text }]);
  await openLesson(page, LESSON);
  await waitForPainted(page, [{ name: YELLOW, text }]);
}

describe('a highlight is painted and comes back after a reload', () => {
  it.each([
    ['a sentence in the body', '三方各自的判断都“合理”，合在一起却是一个错误的结果。', {}],
    ['text across inline bold', '所谓幂等，是指同一个操作执行一次和执行多次', {}],
    ['text across inline code', '可以通过 context.WithTimeout 把超时沿着调用链传递下去', {}],
    ['text across two paragraphs', '合在一起却是一个错误的结果。事后复盘时，大家一开始把问题归结为“网络不稳定”', {}],
    ['a block-quote line', '在一个异步网络里，你无法区分一个很慢的节点和一个已经崩溃的节点。', {}],
    ['a list item', '请求已经处理完成，但响应在回来的路上丢失了；', {}],
    ['the lesson title (h1)', '你永远不知道请求发生了什么', { root: TITLE }],
    ['a 精选留言 comment', '幂等键一般存在 Redis 里还是数据库里比较好？', { root: COMMENTS }],
  ])('%s', async (_kind, text, options) => {
    await highlightAndReload(text, options);
  });

  it('code across code lines, without the line-number digits', async () => {
    // Lines 6 and 7 of the retry loop; the gutter shows "7" between them.
    const text = 'cancel() if err == nil || !isRetryable(err) || attempt == maxAttempts {';
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    await highlightText(page, text);
    const painted = await placedHighlights(page);
    expect(painted.map((highlight) => compact(highlight.text)).join(''), 'the gutter digit "7" is painted').toBe(compact(text));
    await openLesson(page, LESSON);
    await waitForPainted(page, [{ name: YELLOW, text }]);
  });
});

describe('a repeated phrase', () => {
  const phrase = findLesson(LESSON)!.repeatedPhrase;

  /** Which occurrence (0-based) of `phrase` in the body each painted range starts at. */
  const paintedOccurrences = () =>
    page.evaluate((phrase) => {
      const body = document.querySelector('[data-slate-editor="true"]')!;
      const found: number[] = [];
      CSS.highlights.forEach((highlight, name) => {
        if (!name.startsWith('lesson-highlight') || name.endsWith('-focus')) return;
        for (const item of highlight) {
          const before = document.createRange();
          before.setStart(body, 0);
          before.setEnd((item as Range).startContainer, (item as Range).startOffset);
          found.push(before.toString().split(phrase).length - 1);
        }
      });
      return found;
    }, phrase);

  it('stays on the 2nd occurrence after a reload, not the 1st', async () => {
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    await highlightText(page, phrase, 'Yellow', { occurrence: 1 });
    await waitForPainted(page, [{ name: YELLOW, text: phrase }]);
    expect(await paintedOccurrences()).toEqual([1]);
    const [before] = await placedHighlights(page);

    await openLesson(page, LESSON);
    await waitForPainted(page, [{ name: YELLOW, text: phrase }]);
    expect(await paintedOccurrences()).toEqual([1]);
    const [after] = await placedHighlights(page);
    expect(after!.blockText).toBe(before!.blockText);
  });
});

describe('editing a highlight', () => {
  const text = '超时设得太短，会把大量只是稍慢的请求误判为失败';
  const other = '单机程序里，一次函数调用要么返回，要么抛出异常';

  it('changes color, survives a reload, deletes with undo, and stays deleted', async () => {
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    await highlightText(page, text);
    await highlightText(page, other, 'Green');
    await waitForPainted(page, [{ name: YELLOW, text }, { name: GREEN, text: other }]);

    // Recolor through the highlight's menu.
    await clickHighlight(page, text);
    const menu = highlightMenu(page);
    await menu.waitFor({ state: 'visible' });
    await expect.poll(() => menu.getByRole('button', { name: 'Yellow', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await menu.getByRole('button', { name: 'Blue', exact: true }).click();
    await waitForPainted(page, [{ name: BLUE, text }, { name: GREEN, text: other }]);
    await menu.waitFor({ state: 'hidden' });

    await openLesson(page, LESSON);
    await waitForPainted(page, [{ name: BLUE, text }, { name: GREEN, text: other }]);

    // Delete, then undo.
    await clickHighlight(page, text);
    await menu.waitFor({ state: 'visible' });
    expect(await menu.getByRole('button', { name: 'Blue', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await menu.getByRole('button', { name: 'Delete', exact: true }).click();
    await waitForPainted(page, [{ name: GREEN, text: other }]);
    const toast = page.getByRole('status').filter({ hasText: 'Highlight deleted' });
    await toast.waitFor({ state: 'visible' });
    await toast.getByRole('button', { name: 'Undo', exact: true }).click();
    await waitForPainted(page, [{ name: BLUE, text }, { name: GREEN, text: other }]);
    await toast.waitFor({ state: 'hidden' });

    await openLesson(page, LESSON);
    await waitForPainted(page, [{ name: BLUE, text }, { name: GREEN, text: other }]);

    // Delete for good: after a reload only the other highlight comes back.
    await clickHighlight(page, text);
    await menu.waitFor({ state: 'visible' });
    await menu.getByRole('button', { name: 'Delete', exact: true }).click();
    await waitForPainted(page, [{ name: GREEN, text: other }]);
    await openLesson(page, LESSON);
    await waitForPainted(page, [{ name: GREEN, text: other }]);
  });
});

describe('overlapping highlights', () => {
  it('paints both and brings both back after a reload', async () => {
    const first = '超时设得太短，会把大量只是稍慢的请求误判为失败';
    const second = '只是稍慢的请求误判为失败；设得太长，用户和上游服务就要陪着一起等待';
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    await highlightText(page, first);
    await highlightText(page, second, 'Green');
    await waitForPainted(page, [{ name: YELLOW, text: first }, { name: GREEN, text: second }]);

    await openLesson(page, LESSON);
    await waitForPainted(page, [{ name: YELLOW, text: first }, { name: GREEN, text: second }]);
  });
});

describe('other layouts and markup', () => {
  it('works in the mobile layout (390×844, the window scrolls)', async () => {
    const mobile = await browser.context.newPage();
    try {
      await mobile.setViewportSize({ width: 390, height: 844 });
      const text = '有了幂等键，重试就从“可能造成重复”变成了“最多执行一次，但可以放心地多问几次”。';
      await openLesson(mobile, LESSON, site.lessonUrl(LESSON));
      expect(await pageLog(mobile)).toContain('layout:mobile');
      await highlightText(mobile, text);
      await waitForPainted(mobile, [{ name: YELLOW, text }]);
      expect(await mobile.evaluate(() => scrollY), 'the window itself scrolled to the text').toBeGreaterThan(0);

      await openLesson(mobile, LESSON);
      await waitForPainted(mobile, [{ name: YELLOW, text }]);
    } finally {
      await mobile.close();
    }
  });

  it('works on plain markup without Slate attributes (?plain=1)', async () => {
    const sentence = '所谓幂等，是指同一个操作执行一次和执行多次';
    const code = 'cancel() if err == nil || !isRetryable(err)';
    await openLesson(page, LESSON, site.lessonUrl(LESSON, 'plain=1'));
    expect(await page.locator('[data-slate-editor], [data-slate-object]').count()).toBe(0);
    await highlightText(page, sentence);
    await highlightText(page, code, 'Green');
    await waitForPainted(page, [{ name: YELLOW, text: sentence }, { name: GREEN, text: code }]);

    await openLesson(page, LESSON);
    await waitForPainted(page, [{ name: YELLOW, text: sentence }, { name: GREEN, text: code }]);
  });
});
