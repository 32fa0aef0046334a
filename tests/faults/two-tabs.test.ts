/**
 * Two tabs, one lesson (issue #8): two tabs of the same lesson and the popup
 * edit at once — different highlights, and different fields of the same
 * highlight (its color in one tab, its note in the popup or the other tab).
 * No edit overwrites another, and each tab shows the others' changes
 * without a reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Annotation } from '../../storage/model';
import { startLessonSite, type LessonSite } from '../fixtures/lesson-site/server.mjs';
import {
  clickHighlight,
  compact,
  highlightMenu,
  highlightText,
  launchWithExtension,
  LESSON_TEXT_ROOTS,
  noteCards,
  noteTextbox,
  openLesson,
  pollUntil,
  textSelectionPoints,
  type ColorName,
  type ExtensionBrowser,
} from '../e2e/harness';
import { paintedRanges, readDatabase } from './fault-harness';
import { trackFault } from './ledger';
import { findHalfWritten } from './record-shape';

/** The extension API these tests read inside the service worker. */
declare const chrome: { tabs: { query(query: object): Promise<Array<{ id?: number; url?: string }>> } };

const LESSON = '100001';
/** Each round: tab A highlights `first`, tab B `second`, at the same moment; then both are edited at once. */
const ROUNDS = [
  { first: '第二次请求当然也成功了。', second: '那么，该怎么设定超时呢？' },
  { first: '这里有两个容易被忽略的细节。', second: '最后留一个思考题。' },
];

let site: LessonSite;
let browser: ExtensionBrowser;
let tabA: Page;
let tabB: Page;
let popup: Page;
const reloads: string[] = [];

beforeAll(async () => {
  site = await startLessonSite({ renderDelayMs: 150 });
  browser = await launchWithExtension();
  tabA = await browser.context.newPage();
  tabB = await browser.context.newPage();
  await openLesson(tabA, LESSON, site.lessonUrl(LESSON));
  await openLesson(tabB, LESSON, site.lessonUrl(LESSON));
  for (const [name, tab] of [['A', tabA], ['B', tabB]] as const) {
    tab.on('framenavigated', (frame) => {
      if (frame === tab.mainFrame()) reloads.push(`tab ${name}: ${frame.url()}`);
    });
  }
  popup = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** The browser's id of the tab showing `page`, for the popup's `?tab=` (it is opened as a tab, not over one). */
async function tabIdOf(page: Page): Promise<number> {
  const url = page.url();
  const id = await browser.serviceWorker.evaluate(async (url) => (await chrome.tabs.query({})).find((tab) => tab.url === url)?.id, url);
  if (id === undefined) throw new Error(`No tab shows ${url}`);
  return id;
}

/** Waits until `page` paints `text` in `color` (exactly once) — without being reloaded. */
async function waitForColor(page: Page, text: string, color: ColorName): Promise<void> {
  const want = `${color.toLowerCase()}|${compact(text)}`;
  const ofText = (painted: string[]) => painted.filter((entry) => entry.endsWith(`|${compact(text)}`));
  await pollUntil(page, async () => ofText(await paintedRanges(page)), (have) => have.length === 1 && have[0] === want, `“${text}” painted ${color}`, 15_000);
}

/** Scrolls to the highlight of `text` (cards are rendered near the screen only) and waits for its note card. */
async function waitForNote(page: Page, text: string, note: string): Promise<void> {
  await page.evaluate(textSelectionPoints, { text, root: LESSON_TEXT_ROOTS, occurrence: 0 });
  await noteCards(page, note).first().waitFor({ state: 'visible', timeout: 15_000 });
}

/** Recolors the highlight of `text` through its menu in `page`. */
async function recolor(page: Page, text: string, color: ColorName): Promise<void> {
  await clickHighlight(page, text);
  const menu = highlightMenu(page);
  await menu.waitFor({ state: 'visible' });
  await menu.getByRole('button', { name: color, exact: true }).click();
  await menu.waitFor({ state: 'hidden' });
}

/** Writes a note on the highlight of `text` through its menu, typing key by key (so other edits land meanwhile), and saves it. */
async function writeNoteInTab(page: Page, text: string, note: string): Promise<void> {
  await clickHighlight(page, text);
  await highlightMenu(page).getByRole('button', { name: 'Add note', exact: true }).click();
  const editor = noteTextbox(page);
  await editor.pressSequentially(note);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await editor.waitFor({ state: 'hidden' });
}

/** Writes a note on the highlight of `text` in the popup, and waits until the popup lists it. */
async function writeNoteInPopup(text: string, note: string): Promise<void> {
  const item = popup.getByRole('listitem').filter({ hasText: text });
  await item.getByRole('button', { name: 'Add note' }).click();
  await popup.getByRole('textbox', { name: 'Note' }).fill(note);
  await popup.getByRole('button', { name: 'Save' }).click();
  await pollUntil(popup, () => item.innerText(), (shown) => shown.includes(note), `the popup to list the note “${note}”`);
}

describe('two tabs of one lesson and the popup editing at once', () => {
  it('loses no edit, and each tab shows the others’ changes without a reload', async () => {
    const tally = trackFault('Two tabs of one lesson and the popup editing at once');
    const expected = new Map<string, { color: string; note: string }>();
    for (const [round, { first, second }] of ROUNDS.entries()) {
      // Different highlights, made in the two tabs at the same moment.
      await Promise.all([highlightText(tabA, first, 'Yellow'), highlightText(tabB, second, 'Green')]);
      tally.injected += 1;
      tally.acknowledged += 2;
      await Promise.all([waitForColor(tabB, first, 'Yellow'), waitForColor(tabA, second, 'Green')]);

      // The same highlights' different fields at once: color in tab A, notes in the popup and in tab B.
      await popup.goto(`chrome-extension://${browser.extensionId}/popup.html?tab=${await tabIdOf(tabA)}`);
      await popup.getByRole('listitem').filter({ hasText: first }).waitFor();
      const popupNote = `弹窗里写的笔记 ${round}`;
      const tabNote = `标签页 B 写的笔记 ${round}`;
      await Promise.all([
        (async () => {
          await recolor(tabA, first, 'Blue');
          await recolor(tabA, second, 'Purple');
        })(),
        writeNoteInPopup(first, popupNote),
        writeNoteInTab(tabB, second, tabNote),
      ]);
      tally.injected += 1;
      tally.acknowledged += 4;
      expected.set(first, { color: 'blue', note: popupNote });
      expected.set(second, { color: 'purple', note: tabNote });

      for (const tab of [tabA, tabB]) {
        await waitForColor(tab, first, 'Blue');
        await waitForColor(tab, second, 'Purple');
        await waitForNote(tab, first, popupNote);
        await waitForNote(tab, second, tabNote);
      }
    }

    const dump = await readDatabase(popup);
    const stored = (dump.annotations as Annotation[]).filter((record) => record.deletedAt === null);
    const problems: string[] = [];
    for (const [quote, want] of expected) {
      const record = stored.find((candidate) => candidate.target.quote.exact === quote);
      const have = { color: record?.color, note: record?.note };
      const overwritten = Number(have.color !== want.color) + Number(have.note !== want.note);
      tally.lost += overwritten;
      if (overwritten > 0) problems.push(`“${quote}”: stored ${JSON.stringify(have)}, expected ${JSON.stringify(want)}`);
    }
    const shapes = findHalfWritten(dump);
    tally.halfWritten += shapes.length;
    expect(problems).toEqual([]);
    expect(shapes).toEqual([]);
    expect(stored).toHaveLength(ROUNDS.length * 2);
    expect(reloads, 'neither tab was reloaded').toEqual([]);
  });
});
