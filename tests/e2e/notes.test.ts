/**
 * Margin notes: a note written on a highlight is kept, shown in a card beside
 * its highlight that follows the lesson's own scroll container, and stays out
 * of the page's way (its shortcuts, its world). Also the lesson's page-level
 * note, the markers and panel of the narrow (mobile) layout, and notes whose
 * highlight could no longer be found after the lesson was edited.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { EDITION2_CHANGES } from '../fixtures/lesson-site/lessons.mjs';
import type { LessonSite } from '../fixtures/lesson-site/server.mjs';
import {
  addNote,
  clickHighlight,
  compact,
  focusedTexts,
  highlightMenu,
  highlightTop,
  holdsFor,
  noteCards,
  noteTextbox,
  openLesson,
  pageLog,
  pathname,
  pollUntil,
  selectForHighlight,
  selectionToolbar,
  visiblePoints,
  waitForNoteStored,
  waitForPainted,
  type ExtensionBrowser,
  useLessonSession,
} from './harness';

const LESSON = '100001';
const YELLOW = 'lesson-highlight-yellow';
const SENTENCE = '三方各自的判断都“合理”，合在一起却是一个错误的结果。';
/** Three consecutive sentences of one paragraph: their cards all want the same few lines. */
const NEIGHBOURS = [
  '先讲一个我亲历过的故事。',
  '几年前，我所在的团队负责一个支付相关的服务，调用方通过 HTTP 请求我们完成扣款。',
  '某天晚上，监控显示有几十个用户被扣了两次钱。',
];
const SCROLLER = '.simplebar-content-wrapper';
const SHOTS = '/tmp/notes-shots';
/** How far (px) a card or marker may sit from the top of its highlight. */
const BESIDE_PX = 40;

const session = useLessonSession();
let site: LessonSite;
let browser: ExtensionBrowser;
let page: Page;
beforeAll(() => void ({ site, browser, page } = session));

const saveButton = (scope: Page | Locator = page) => scope.getByRole('button', { name: 'Save', exact: true });
const columnRight = () => page.evaluate(() => document.querySelector('[data-slate-editor]')!.getBoundingClientRect().right);
const scrollerTop = () => page.evaluate((selector) => document.querySelector(selector)!.scrollTop, SCROLLER);
const scrollBy = (dy: number) => page.evaluate(([selector, dy]) => void (document.querySelector(selector as string)!.scrollTop += dy as number), [SCROLLER, dy]);
const boxes = (cards: Locator) => cards.evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect().toJSON() as DOMRect));

/** Waits until `card` sits beside the highlight of `text`: level with its first line, right of the lesson column. */
async function expectBeside(card: Locator, text: string) {
  const read = async () => ({ card: await card.boundingBox(), top: await highlightTop(page, text), column: await columnRight() });
  await pollUntil(
    page,
    read,
    ({ card, top, column }) => card !== null && Math.abs(card.y - top) <= BESIDE_PX && card.x >= column,
    `the card of "${text}" beside its highlight`,
    3_000,
  );
}

describe('writing a note', () => {
  it('is saved from the toolbar and shown beside its highlight after a reload (Chinese, light Markdown)', async () => {
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    await selectForHighlight(page, SENTENCE);
    await selectionToolbar(page).getByRole('button', { name: 'Add note', exact: true }).click();
    await noteTextbox(page).pressSequentially('超时≠失败，**重点**：先问操作是否幂等');
    await saveButton().click();
    await waitForNoteStored(page);

    await openLesson(page, LESSON);
    await waitForPainted(page, [{ name: YELLOW, text: SENTENCE }]);
    const card = noteCards(page, '超时≠失败，重点：先问操作是否幂等');
    await card.waitFor({ state: 'visible' });
    expect(await card.locator('strong').textContent(), '**重点** is shown in bold, without the asterisks').toBe('重点');
    // The lesson opens at its top: scroll the highlight into view, as the reader would.
    await scrollBy((await highlightTop(page, SENTENCE)) - 300);
    await expectBeside(card, SENTENCE);
    expect(await visiblePoints(card), 'the card is on screen, not covered').toBe(9);
  });

  it('autosaves after a pause in typing; Esc closes the editor and keeps the note', async () => {
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    await selectForHighlight(page, SENTENCE);
    await selectionToolbar(page).getByRole('button', { name: 'Add note', exact: true }).click();
    await noteTextbox(page).pressSequentially('先写下来再说');
    // No Save: the editor reports the autosave by itself within a second or so.
    await page.getByRole('status').filter({ hasText: /^Saved$/ }).waitFor({ state: 'visible', timeout: 2_500 });

    await openLesson(page, LESSON);
    await noteCards(page, '先写下来再说').click();
    await noteTextbox(page).press('End');
    await noteTextbox(page).pressSequentially('，再补一句');
    await noteTextbox(page).press('Escape');
    await noteTextbox(page).waitFor({ state: 'hidden' });
    await noteCards(page, '先写下来再说，再补一句').waitFor({ state: 'visible' });

    await openLesson(page, LESSON);
    await noteCards(page, '先写下来再说，再补一句').waitFor({ state: 'visible' });
  });

  it('typing l, h, j, k and → in the editor writes text and leaves the lesson alone', async () => {
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    await selectForHighlight(page, SENTENCE);
    await selectionToolbar(page).getByRole('button', { name: 'Add note', exact: true }).click();
    const editor = noteTextbox(page);
    await pollUntil(page, () => editor.evaluate((box) => box.getRootNode() instanceof ShadowRoot && (box.getRootNode() as ShadowRoot).activeElement === box), Boolean, 'the editor to take the focus');
    const before = { path: await pathname(page), top: await scrollerTop(), seen: (await pageLog(page)).length };

    for (const key of ['l', 'h', 'j', 'k', 'ArrowRight']) await page.keyboard.press(key);
    const lesson = async () => ({ path: await pathname(page), top: await scrollerTop(), log: (await pageLog(page)).slice(before.seen) });
    await holdsFor(
      page,
      lesson,
      ({ path, top, log }) => path === before.path && top === before.top && !log.some((entry) => /^(shortcut|switch):/.test(entry)),
      'the same lesson, at the same scroll position, with no shortcut run',
      600,
    );
    expect(await editor.inputValue(), 'the letters are in the editor').toBe('lhjk');
  });

  it('refuses a note over 10,000 characters, saying so, and keeps the saved one whole', async () => {
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    await addNote(page, SENTENCE, '先记一个短的');
    await noteCards(page, '先记一个短的').click();
    await noteTextbox(page).fill('长'.repeat(10_001));
    await page.getByRole('alert').filter({ hasText: '10,000' }).waitFor({ state: 'visible' });
    expect(await saveButton().isDisabled(), 'Save is disabled').toBe(true);

    await openLesson(page, LESSON);
    await noteCards(page, '先记一个短的').waitFor({ state: 'visible' });
    expect(await noteCards(page).allTextContents(), 'the saved note, neither replaced nor truncated').toEqual(['先记一个短的']);
  });

  it('shows hostile note text as text, and runs none of it', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>[x](javascript:window.__pwned=3)';
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    await addNote(page, SENTENCE, hostile, { fill: true });
    await openLesson(page, LESSON);
    const card = noteCards(page, '<img src=x onerror="window.__pwned=1">');
    await card.waitFor({ state: 'visible' });
    expect(await card.textContent()).toContain('<script>window.__pwned=2</script>');
    await card.hover();

    await holdsFor(page, () => page.evaluate(() => (window as { __pwned?: unknown }).__pwned), (value) => value === undefined, 'window.__pwned to stay undefined', 800);
    const injected = await page.evaluate(() => {
      const root = document.querySelector('lesson-highlighter-ui')!.shadowRoot!;
      return root.querySelectorAll('img, script, a[href^="javascript" i]').length;
    });
    expect(injected, 'no img, script or javascript: link in our UI').toBe(0);
  });
});

describe('cards in the margin', () => {
  it('follow their highlight when the lesson scrolls inside its container, and are clipped with it', async () => {
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    await addNote(page, SENTENCE, '跟着滚动');
    const card = noteCards(page, '跟着滚动');
    await expectBeside(card, SENTENCE);

    const windowScroll = await page.evaluate(() => scrollY);
    const start = await highlightTop(page, SENTENCE);
    await scrollBy(150);
    await pollUntil(page, () => highlightTop(page, SENTENCE), (top) => Math.abs(top - (start - 150)) < 2, 'the highlight to move up with the container');
    expect(await page.evaluate(() => scrollY), 'the window itself did not scroll').toBe(windowScroll);
    await expectBeside(card, SENTENCE);
    expect(await visiblePoints(card), 'the card is on screen').toBe(9);

    // Just above the container's top edge: the highlight is hidden, and so is the card, even where it overlaps the top bar.
    const clipTop = await page.evaluate((selector) => document.querySelector(selector)!.getBoundingClientRect().top, SCROLLER);
    const cardHeight = (await card.boundingBox())!.height;
    await scrollBy((await highlightTop(page, SENTENCE)) - clipTop + cardHeight + 10);
    await pollUntil(page, async () => (await card.boundingBox())!.y + cardHeight, (bottom) => bottom < clipTop, 'the card to move above the container');
    expect(await visiblePoints(card), 'no part of the card is visible').toBe(0);
    await scrollBy(-400);
    await pollUntil(page, () => visiblePoints(card), (points) => points === 9, 'the card to come back into view');
  });

  it('of far-apart highlights each appear beside their highlight when the reader scrolls there', async () => {
    const far = '最后留一个思考题。';
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    await addNote(page, SENTENCE, '开头的笔记');
    await addNote(page, far, '结尾的笔记');
    await openLesson(page, LESSON);
    await noteCards(page, '开头的笔记').waitFor({ state: 'visible' });

    // Cards far from the screen are only rendered once the reader scrolls near them.
    await scrollBy((await highlightTop(page, far)) - 300);
    await expectBeside(noteCards(page, '结尾的笔记'), far);
    await scrollBy(-(await scrollerTop()));
    await expectBeside(noteCards(page, '开头的笔记'), SENTENCE);
  });

  it('for close highlights do not overlap, and keep the document order', async () => {
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    const notes = ['第一条：亲历的故事', '第二条：**扣款**服务', '第三条：被扣了两次'];
    for (const [index, text] of NEIGHBOURS.entries()) await addNote(page, text, notes[index]!);
    const cards = noteCards(page);
    await pollUntil(page, () => cards.count(), (count) => count === 3, 'three cards');
    await expectBeside(noteCards(page, '第一条'), NEIGHBOURS[0]!);

    const apartInOrder = (rects: DOMRect[]) => rects.every((rect, i) => i === 0 || rects[i - 1]!.bottom <= rect.top);
    const read = async () => {
      const [first, second, third] = await Promise.all(['第一条', '第二条：扣款服务', '第三条'].map((text) => boxes(noteCards(page, text))));
      return [first![0]!, second![0]!, third![0]!];
    };
    await pollUntil(page, read, apartInOrder, 'cards one below the other, in document order', 3_000);
    await page.screenshot({ path: `${SHOTS}/desktop-three-cards.png` });

    await page.emulateMedia({ colorScheme: 'dark' });
    try {
      await page.screenshot({ path: `${SHOTS}/desktop-dark-os-white-site.png` });
      await page.evaluate(() => (window as unknown as { __fixture: { setTheme(name: string): void } }).__fixture.setTheme('dark'));
      await page.screenshot({ path: `${SHOTS}/desktop-dark.png` });
    } finally {
      await page.evaluate(() => (window as unknown as { __fixture: { setTheme(name: string): void } }).__fixture.setTheme('white'));
      await page.emulateMedia({ colorScheme: 'light' });
    }
  });

  it('emphasise their highlight while the pointer is over them', async () => {
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    await addNote(page, SENTENCE, '悬停看看');
    const card = noteCards(page, '悬停看看');
    await expectBeside(card, SENTENCE);
    const box = (await card.boundingBox())!;
    const emphasised = (texts: string[]) => compact(texts.join('')) === compact(SENTENCE);

    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    await pollUntil(page, () => focusedTexts(page), emphasised, 'the highlight emphasised', 2_000);
    // The pointer wanders over the card: the emphasis stays.
    await page.mouse.move(box.x + box.width / 2 + 20, box.y + box.height / 2 + 4, { steps: 4 });
    await holdsFor(page, () => focusedTexts(page), emphasised, 'the highlight to stay emphasised while on the card', 500);

    await page.mouse.move(100, 600, { steps: 4 });
    await pollUntil(page, () => focusedTexts(page), (texts) => texts.length === 0, 'no emphasis after leaving the card', 2_000);
  });
});

describe("a highlight's note from its menu", () => {
  it('"Edit note" changes the text, and Save shows it in the card', async () => {
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    await addNote(page, SENTENCE, '旧的笔记');
    await clickHighlight(page, SENTENCE);
    await highlightMenu(page).getByRole('button', { name: 'Edit note', exact: true }).click();
    expect(await noteTextbox(page).inputValue()).toBe('旧的笔记');
    await noteTextbox(page).fill('新的笔记');
    await saveButton().click();
    await pollUntil(page, () => noteCards(page).allTextContents(), (texts) => texts.join() === '新的笔记', 'the card to show the new text', 3_000);

    await openLesson(page, LESSON);
    await noteCards(page, '新的笔记').waitFor({ state: 'visible' });
  });

  it('"Delete note" keeps the highlight; deleting the highlight takes its card, and Undo brings both back', async () => {
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    await addNote(page, SENTENCE, '要删掉的笔记');
    await noteCards(page, '要删掉的笔记').click();
    await page.getByRole('button', { name: 'Delete note', exact: true }).click();
    await pollUntil(page, () => noteCards(page).count(), (count) => count === 0, 'the card to go');
    await waitForPainted(page, [{ name: YELLOW, text: SENTENCE }]);

    // The menu offers "Add note" again; a new note, then the highlight itself is deleted.
    await clickHighlight(page, SENTENCE);
    await highlightMenu(page).getByRole('button', { name: 'Add note', exact: true }).click();
    await noteTextbox(page).pressSequentially('第二次的笔记');
    await noteTextbox(page).press('Escape');
    await noteCards(page, '第二次的笔记').waitFor({ state: 'visible' });
    await clickHighlight(page, SENTENCE);
    await highlightMenu(page).getByRole('button', { name: 'Delete', exact: true }).click();
    await waitForPainted(page, []);
    await pollUntil(page, () => noteCards(page).count(), (count) => count === 0, 'the card to go with its highlight');

    await page.getByRole('status').filter({ hasText: 'Highlight deleted' }).getByRole('button', { name: 'Undo', exact: true }).click();
    await waitForPainted(page, [{ name: YELLOW, text: SENTENCE }]);
    await expectBeside(noteCards(page, '第二次的笔记'), SENTENCE);
  });
});

describe('the lesson note', () => {
  it('is written from "Lesson note", comes back after a reload, and is not a card', async () => {
    const note = '本讲要点：超时 ≠ 失败，重试要幂等';
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    await page.getByRole('button', { name: 'Lesson note', exact: true }).click();
    const panel = page.getByRole('dialog', { name: 'Lesson note' });
    await noteTextbox(panel).pressSequentially(note);
    await saveButton(panel).click();
    await waitForNoteStored(page);

    await openLesson(page, LESSON);
    await page.getByRole('button', { name: 'Lesson note', exact: true }).click();
    expect(await noteTextbox(page.getByRole('dialog', { name: 'Lesson note' })).inputValue()).toBe(note);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Lesson note' }).waitFor({ state: 'hidden' });
    expect(await noteCards(page).count(), 'no card for the lesson note').toBe(0);
    expect(await page.getByRole('region', { name: 'Notes in the margin' }).textContent()).not.toContain('本讲要点');
  });
});

describe('the mobile layout (390×844, the window scrolls)', () => {
  it('shows a "Show note" marker beside the line; it opens a panel that leaves the highlight visible', async () => {
    const text = '有了幂等键，重试就从“可能造成重复”变成了“最多执行一次，但可以放心地多问几次”。';
    const note = '手机上写的笔记';
    const mobile = await browser.context.newPage();
    try {
      await mobile.setViewportSize({ width: 390, height: 844 });
      await openLesson(mobile, LESSON, site.lessonUrl(LESSON));
      expect(await pageLog(mobile)).toContain('layout:mobile');
      await addNote(mobile, text, note);
      await mobile.getByRole('dialog').getByRole('button', { name: 'Close', exact: true }).click();
      await mobile.getByRole('dialog').waitFor({ state: 'hidden' });

      const marker = mobile.getByRole('button', { name: 'Show note', exact: true });
      await marker.waitFor({ state: 'visible' });
      await pollUntil(
        mobile,
        async () => ({ marker: await marker.boundingBox(), top: await highlightTop(mobile, text) }),
        ({ marker, top }) => marker !== null && Math.abs(marker.y - top) <= BESIDE_PX,
        'the marker level with its highlight',
        3_000,
      );
      expect(await visiblePoints(marker), 'the marker is on screen, not covered').toBeGreaterThan(0);
      await marker.click();
      const panel = mobile.getByRole('dialog').filter({ hasText: note });
      await panel.waitFor({ state: 'visible' });
      /** Lines of the highlight (its only one on the page) hidden under the panel or off screen. */
      const hiddenLines = async () => {
        const sheet = (await panel.boundingBox())!;
        return mobile.evaluate((sheetTop) => {
          const lines: DOMRect[] = [];
          CSS.highlights.forEach((highlight, name) => {
            if (name.endsWith('-focus')) return;
            for (const range of highlight) lines.push(...(range as Range).getClientRects());
          });
          return lines.length === 0 ? -1 : lines.filter((line) => line.bottom > sheetTop || line.top < 0).length;
        }, sheet.y);
      };
      await pollUntil(mobile, hiddenLines, (hidden) => hidden === 0, 'every line of the highlight above the panel, on screen', 3_000);
      await mobile.screenshot({ path: `${SHOTS}/mobile-panel.png` });
    } finally {
      await mobile.close();
    }
  });
});

describe('a highlight that can no longer be found', () => {
  it('keeps its note in the "Unplaced" list instead of a card', async () => {
    const { removedPassage } = EDITION2_CHANGES;
    const note = '三十秒雪崩的教训';
    try {
      await openLesson(page, LESSON, site.lessonUrl(LESSON));
      await addNote(page, removedPassage, note);
      await noteCards(page, note).waitFor({ state: 'visible' });

      site.setEdition(LESSON, 2);
      await openLesson(page, LESSON);
      const unplaced = page.getByRole('button', { name: /^Unplaced/ });
      await unplaced.waitFor({ state: 'visible' });
      expect(compact((await unplaced.textContent()) ?? '')).toBe('Unplaced1');
      expect(await noteCards(page).count(), 'no card for it').toBe(0);

      await unplaced.click();
      const dialog = page.getByRole('dialog', { name: 'Highlights not found on this page' });
      await dialog.waitFor({ state: 'visible' });
      const listed = compact((await dialog.textContent()) ?? '');
      expect(listed).toContain(compact(removedPassage));
      expect(listed).toContain(note);
    } finally {
      site.setEdition(LESSON, 1);
    }
  });
});
