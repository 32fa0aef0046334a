/**
 * Conflict versions of a note (issue #5), end to end: two JSON files, as two
 * other profiles would export them, each carry a concurrent edit of the same
 * note (and of the lesson's page-level note). Imported through the library's
 * "Import…", the later text becomes the note and the other is offered under
 * it as "1 other version" — on the lesson page and in the popup — and
 * "Use this version" swaps the two texts, losing neither.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { formatStamp } from '../../storage/sync/hlc';
import {
  addNote,
  noteTextbox,
  openLesson,
  pollUntil,
  useLessonSession,
  type ExtensionBrowser,
} from './harness';
import type { LessonSite } from '../fixtures/lesson-site/server.mjs';

const LESSON = '100001';
const SENTENCE = '三方各自的判断都“合理”，合在一起却是一个错误的结果。';
const ORIGINAL = '最初的笔记';
const AT_HOME = '家里写的：超时**不等于**失败';
/** AT_HOME as its rendered Markdown reads (the page, popup and library all render notes). */
const AT_HOME_SHOWN = '家里写的：超时不等于失败';
const AT_WORK = '公司写的：先问操作是否幂等';
/** Typed at the end of the shown note while the other version waits. */
const ADDED = '，再确认重试有上限';
const LESSON_AT_HOME = '本讲（家里）：重试要有预算';
const LESSON_AT_WORK = '本讲（公司）：幂等键绑定业务单号';
/** Where the screenshots of the disclosure go, to be looked at. */
/** Screenshots to look at (test-results/ is not committed). */
const SHOTS = 'test-results/screenshots';

const session = useLessonSession();
let site: LessonSite;
let browser: ExtensionBrowser;
let lesson: Page;
let files: string;

beforeAll(async () => {
  ({ site, browser, page: lesson } = session);
  files = await mkdtemp(join(tmpdir(), 'lh-conflicts-'));
});

afterAll(async () => {
  await rm(files, { recursive: true, force: true });
});

beforeEach(async () => {
  for (const page of browser.context.pages()) if (page !== lesson) await page.close();
  await lesson.emulateMedia({ colorScheme: 'light' });
});

/** One item of an export, loosely typed: the test edits what two other profiles would have written. */
interface ExportItem {
  id: string;
  target: unknown;
  body?: Array<{ value: string; purpose: string; [field: string]: unknown }>;
  lessonHighlighter: { lesson: { url: string }; notes: Array<{ text: string; stamp: string; seen: Record<string, number> }> };
  [field: string]: unknown;
}

/** The library's JSON-LD export, as the reader downloads it. */
async function exportLibrary(library: Page): Promise<{ first: { items: ExportItem[] } }> {
  await library.getByRole('button', { name: 'Export' }).click();
  const download = library.waitForEvent('download');
  await library.getByRole('menuitem', { name: /JSON-LD/ }).click();
  return JSON.parse(await readFile((await (await download).path())!, 'utf8'));
}

/**
 * The export as profile `replica` would write it after editing the
 * highlight's note to `note` and the lesson's note to `lessonNote`, each on
 * top of the versions in the export (so the local version is superseded,
 * and the two files' edits are concurrent with each other).
 */
function editedElsewhere(exported: { first: { items: ExportItem[] } }, replica: string, wall: number, note: string, lessonNote: string) {
  const copy = structuredClone(exported);
  const stamp = formatStamp(wall, 0, replica);
  const highlight = copy.first.items.find((item) => item.body?.some((body) => body.value === ORIGINAL))!;
  const [before] = highlight.lessonHighlighter.notes;
  highlight.lessonHighlighter.notes = [{ text: note, stamp, seen: { ...before!.seen, [replica]: 1 } }];
  highlight.body = [{ ...highlight.body![0]!, value: note }];
  // This lesson had no page-level note here: the other profile wrote the first one.
  copy.first.items.push({
    id: `urn:lesson-highlighter:lesson-note:${LESSON}`,
    type: 'Annotation',
    motivation: 'commenting',
    created: new Date(wall).toISOString(),
    modified: new Date(wall).toISOString(),
    body: [{ type: 'TextualBody', value: lessonNote, format: 'text/plain', purpose: 'commenting' }],
    target: highlight.lessonHighlighter.lesson.url,
    lessonHighlighter: { lesson: highlight.lessonHighlighter.lesson, notes: [{ text: lessonNote, stamp, seen: { [replica]: 1 } }] },
  });
  return copy;
}

/** Imports `file` through the library's "Import…" and waits for its confirmation. */
async function importFile(library: Page, name: string, content: unknown): Promise<void> {
  const path = join(files, name);
  await writeFile(path, JSON.stringify(content));
  await library.locator('input[type="file"]').setInputFiles(path);
  await library.getByRole('status').filter({ hasText: /^Imported / }).waitFor();
}

/** The margin card of the highlight (its text may change, so found by being the only one). */
function card(): Locator {
  return lesson.locator('[data-note-card]');
}

/** What the card shows: its note, and the disclosure's words and texts. */
async function cardState() {
  return {
    note: (await card().locator('.card-body').innerText()).trim(),
    toggle: (await card().locator('.versions-toggle').allInnerTexts()).map((text) => text.trim()),
    versions: (await card().locator('.version .note-markdown').allInnerTexts()).map((text) => text.trim()),
  };
}

/** Makes the conflict: a note written here, then two files with concurrent edits of it imported in the library. */
async function importConflict(): Promise<Page> {
  await openLesson(lesson, LESSON, site.lessonUrl(LESSON));
  await addNote(lesson, SENTENCE, ORIGINAL);
  await pollUntil(lesson, () => card().count(), (count) => count === 1, 'the note card');
  const library = await browser.context.newPage();
  await library.goto(`chrome-extension://${browser.extensionId}/library.html`);
  const exported = await exportLibrary(library);
  const now = Date.now();
  await importFile(library, 'home.jsonld', editedElsewhere(exported, 'homeprofile1', now - 60_000, AT_HOME, LESSON_AT_HOME));
  await importFile(library, 'work.jsonld', editedElsewhere(exported, 'workprofile1', now - 30_000, AT_WORK, LESSON_AT_WORK));
  return library;
}

/** The browser's id of the tab showing `page`. */
async function tabIdOf(page: Page): Promise<number> {
  const url = page.url();
  const id = await browser.serviceWorker.evaluate(
    async (url) => (await (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<Array<{ id?: number; url?: string }>> } } }).chrome.tabs.query({})).find((tab) => tab.url === url)?.id,
    url,
  );
  if (id === undefined) throw new Error(`No tab shows ${url}`);
  return id;
}

describe('a note edited at the same time on two other profiles', () => {
  it('shows the later text with "1 other version" on the lesson page; using the other swaps them, and the popup shows the same', async () => {
    await importConflict();
    await lesson.bringToFront();

    // The open lesson learns of the import without a reload.
    const imported = await pollUntil(lesson, cardState, (state) => state.note.startsWith('公司写的'), 'the later text on the card');
    expect(imported).toEqual({ note: AT_WORK, toggle: ['1 other version'], versions: [] });
    const toggle = card().getByRole('button', { name: '1 other version' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');

    // Keyboard: Tab reaches the disclosure and Enter opens it.
    await toggle.focus();
    await lesson.keyboard.press('Enter');
    await pollUntil(lesson, cardState, (state) => state.versions.length === 1, 'the open disclosure');
    expect(await cardState()).toEqual({ note: AT_WORK, toggle: ['1 other version'], versions: ['家里写的：超时不等于失败'] });
    expect(await card().locator('.version strong').innerText()).toBe('不等于');
    await card().screenshot({ path: `${SHOTS}/card-open-light.png` });
    await lesson.emulateMedia({ colorScheme: 'dark' });
    await card().screenshot({ path: `${SHOTS}/card-open-dark.png` });
    await lesson.emulateMedia({ colorScheme: 'light' });

    await card().getByRole('button', { name: 'Use this version' }).click();
    const swapped = await pollUntil(lesson, cardState, (state) => state.note.startsWith('家里写的'), 'the chosen text on the card');
    expect(swapped).toEqual({ note: '家里写的：超时不等于失败', toggle: ['1 other version'], versions: [AT_WORK] });

    // The popup over this tab: the same note and the same other version, and it swaps back.
    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html?tab=${await tabIdOf(lesson)}`);
    const item = popup.getByRole('listitem').filter({ hasText: SENTENCE });
    await pollUntil(popup, () => item.locator('.note').allInnerTexts(), (notes) => notes[0] === AT_HOME_SHOWN, 'the note in the popup');
    await item.getByRole('button', { name: '1 other version' }).click();
    expect(await item.locator('.version-note').allInnerTexts()).toEqual([AT_WORK]);
    await popup.screenshot({ path: `${SHOTS}/popup-open.png` });
    await item.getByRole('button', { name: 'Use this version' }).click();
    await pollUntil(popup, () => item.locator('.note').allInnerTexts(), (notes) => notes[0] === AT_WORK, 'the swapped note in the popup');
    expect(await item.locator('.version-note').allInnerTexts()).toEqual([AT_HOME_SHOWN]);

    // And the lesson tab follows the popup's choice.
    await pollUntil(lesson, cardState, (state) => state.note === AT_WORK, 'the lesson tab to follow the popup');

    // Editing the note (its editor hides the disclosure) replaces only the shown text: the other version stays…
    await card().locator('.card-body').click();
    const editor = noteTextbox(lesson);
    await editor.waitFor({ state: 'visible' });
    await editor.press('End');
    await editor.pressSequentially(ADDED);
    await editor.press('Escape');
    await editor.waitFor({ state: 'hidden' });
    const edited = await pollUntil(lesson, cardState, (state) => state.note === AT_WORK + ADDED, 'the edited note');
    expect(edited.toggle).toEqual(['1 other version']);
    await card().getByRole('button', { name: '1 other version' }).click();
    expect((await cardState()).versions).toEqual(['家里写的：超时不等于失败']);

    // …until the reader lets it go.
    await card().getByRole('button', { name: 'Keep only the current note' }).click();
    const alone = await pollUntil(lesson, cardState, (state) => state.toggle.length === 0, 'the other version dismissed');
    expect(alone.note).toBe(AT_WORK + ADDED);
  });

  it('offers the other version in the bottom sheet of the mobile layout', async () => {
    await importConflict();
    const mobile = await browser.context.newPage();
    try {
      await mobile.setViewportSize({ width: 390, height: 844 });
      await openLesson(mobile, LESSON, site.lessonUrl(LESSON));
      await mobile.getByRole('button', { name: 'Show note', exact: true }).click();
      const sheet = mobile.getByRole('dialog', { name: 'Note' });
      const shown = () => sheet.locator('[role="note"] > .note-markdown').innerText();
      await pollUntil(mobile, shown, (text) => text === AT_WORK, 'the later text in the sheet');

      await sheet.getByRole('button', { name: '1 other version' }).click();
      await sheet.screenshot({ path: `${SHOTS}/sheet-open.png` });
      await sheet.getByRole('button', { name: 'Use this version' }).click();

      await pollUntil(mobile, shown, (text) => text === '家里写的：超时不等于失败', 'the chosen text in the sheet');
      expect(await sheet.locator('.version .note-markdown').allInnerTexts()).toEqual([AT_WORK]);
    } finally {
      await mobile.close();
    }
  });

  it("keeps both texts of the lesson's page-level note too, and swaps them in its panel", async () => {
    await importConflict();
    await lesson.bringToFront();
    await lesson.getByRole('button', { name: 'Lesson note' }).click();
    const panel = lesson.getByRole('dialog', { name: 'Lesson note' });
    const editor = panel.getByRole('textbox', { name: 'Note', exact: true });
    await pollUntil(lesson, () => editor.inputValue(), (text) => text === LESSON_AT_WORK, 'the later lesson note');

    await panel.getByRole('button', { name: '1 other version' }).click();
    expect(await panel.locator('.version .note-markdown').allInnerTexts()).toEqual([LESSON_AT_HOME]);
    await panel.screenshot({ path: `${SHOTS}/lesson-panel-open.png` });
    await panel.getByRole('button', { name: 'Use this version' }).click();

    await pollUntil(lesson, () => editor.inputValue(), (text) => text === LESSON_AT_HOME, 'the chosen lesson note in the editor');
    await pollUntil(lesson, () => panel.locator('.version .note-markdown').allInnerTexts(), (texts) => texts.join() === LESSON_AT_WORK, 'the replaced lesson note as a version');
    // Stored, not only shown: a reload brings the same back.
    await openLesson(lesson, LESSON);
    await lesson.getByRole('button', { name: 'Lesson note' }).click();
    await pollUntil(lesson, () => editor.inputValue(), (text) => text === LESSON_AT_HOME, 'the chosen lesson note after a reload');
  });
});
