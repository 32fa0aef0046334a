/**
 * Write failures keep the text (issue #8). With the build's fault hook, the
 * background's next database writes fail as a full disk does
 * (storage/write-faults.ts). In every editor — a highlight's note on the
 * page, the lesson note, and the popup's note editor — saving then says why
 * in words and keeps the editor open with what was typed; once the disk has
 * room again, saving the same text stores it. Each test adds a row to the
 * fault ledger: a text counts as lost until it is seen stored at the end.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { LessonSite } from '../fixtures/lesson-site/server.mjs';
import { trackFault } from './ledger';
import {
  clickHighlight,
  highlightMenu,
  highlightText,
  noteCards,
  noteTextbox,
  openLesson,
  pollUntil,
  useLessonSession,
  waitForHighlights,
  waitForNoteStored,
  type ExtensionBrowser,
} from '../e2e/harness';

/** The extension APIs these tests use inside the service worker. */
declare const chrome: {
  storage: { local: { set(items: Record<string, unknown>): Promise<void> } };
  tabs: { query(query: object): Promise<Array<{ id?: number; url?: string }>> };
};

const LESSON = '100001';
const SENTENCE = '三方各自的判断都“合理”，合在一起却是一个错误的结果。';
const NOTE = '磁盘满了也不能丢：超时 ≠ 失败';
/** What the reader is told (storage/handlers.ts, after "Not saved:" or "That did not work:"). */
const FULL_DISK = /The browser's storage is full \(is the disk full\?\)\. Free some disk space, then try again\./;
/** The fault hook's storage.local key (storage/write-faults.ts). */
const FAIL_WRITES_KEY = 'testHooks:failWrites';

const session = useLessonSession();
let site: LessonSite;
let browser: ExtensionBrowser;
let page: Page;
beforeAll(() => void ({ site, browser, page } = session));

/** Makes every database write fail (a count far above what a test writes), or none. */
async function failWrites(fail: boolean): Promise<void> {
  await browser.serviceWorker.evaluate(([key, count]) => chrome.storage.local.set({ [key as string]: count }), [FAIL_WRITES_KEY, fail ? 10_000 : 0]);
}

beforeEach(async () => {
  await failWrites(false);
  await openLesson(page, LESSON, site.lessonUrl(LESSON));
});

/** The ledger's name for this fault (rows with the same words add up). */
const WRITE_FAULT = 'Database writes fail as on a full disk (QuotaExceededError) while a note is saved';

/** A ledger row for one editor: one fault, one text, lost until proven stored. */
function trackWriteFault(): { failedSave(): void; stored(): void } {
  const tally = trackFault(WRITE_FAULT);
  Object.assign(tally, { injected: 1, acknowledged: 1, lost: 1 });
  return {
    failedSave: () => void (tally.unacknowledged += 1),
    stored: () => void (tally.lost = 0),
  };
}

const saveButton = (scope: Page | Locator) => scope.getByRole('button', { name: 'Save', exact: true });

/** Waits until the editor in `scope` shows the failure and still holds `text`. */
async function expectKeptWithReason(scope: Page | Locator, text: string): Promise<void> {
  const alert = scope.getByRole('alert').filter({ hasText: FULL_DISK });
  await alert.waitFor({ state: 'visible' });
  expect(await alert.textContent()).toMatch(/^Not saved: /);
  expect(await noteTextbox(scope).inputValue()).toBe(text);
}

describe('on the lesson page', () => {
  it("a highlight's note stays in its editor with the reason, also after Esc, and is stored once there is room", async () => {
    const fault = trackWriteFault();
    await highlightText(page, SENTENCE);
    await waitForHighlights(page, [SENTENCE]);
    await failWrites(true);

    await clickHighlight(page, SENTENCE);
    await highlightMenu(page).getByRole('button', { name: 'Add note', exact: true }).click();
    await noteTextbox(page).pressSequentially(NOTE);
    await saveButton(page).click();
    await expectKeptWithReason(page, NOTE);
    fault.failedSave();
    // Esc would close the editor after a save; after a failed one it must not drop the text.
    await noteTextbox(page).press('Escape');
    await expectKeptWithReason(page, NOTE);

    await failWrites(false);
    await saveButton(page).click();
    await waitForNoteStored(page);
    await openLesson(page, LESSON);
    await noteCards(page, NOTE).waitFor({ state: 'visible' });
    fault.stored();
  });

  it('the lesson note stays in its panel with the reason, and is stored once there is room', async () => {
    const lessonNote = '本讲要点：写失败时内容还在';
    const fault = trackWriteFault();
    await failWrites(true);
    await page.getByRole('button', { name: 'Lesson note', exact: true }).click();
    const panel = page.getByRole('dialog', { name: 'Lesson note' });
    await noteTextbox(panel).pressSequentially(lessonNote);
    await saveButton(panel).click();
    await expectKeptWithReason(panel, lessonNote);
    fault.failedSave();

    await failWrites(false);
    await saveButton(panel).click();
    await waitForNoteStored(page);
    await openLesson(page, LESSON);
    await page.getByRole('button', { name: 'Lesson note', exact: true }).click();
    expect(await noteTextbox(page.getByRole('dialog', { name: 'Lesson note' })).inputValue()).toBe(lessonNote);
    fault.stored();
  });
});

describe('in the popup', () => {
  it('the note editor stays open with the text and the reason, and saves once there is room', async () => {
    const fault = trackWriteFault();
    await highlightText(page, SENTENCE);
    await waitForHighlights(page, [SENTENCE]);
    const tabId = await browser.serviceWorker.evaluate(async (url) => (await chrome.tabs.query({})).find((tab) => tab.url === url)?.id, page.url());
    const popup = await browser.context.newPage();
    try {
      await popup.goto(`chrome-extension://${browser.extensionId}/popup.html?tab=${tabId}`);
      const item = popup.getByRole('listitem').filter({ hasText: SENTENCE });
      await failWrites(true);
      await item.getByRole('button', { name: 'Add note' }).click();
      await popup.getByRole('textbox', { name: 'Note' }).fill(NOTE);
      await popup.getByRole('button', { name: 'Save' }).click();

      const alert = popup.getByRole('alert').filter({ hasText: FULL_DISK });
      await alert.waitFor({ state: 'visible' });
      expect(await alert.textContent()).toContain('That did not work: ');
      expect(await popup.getByRole('textbox', { name: 'Note' }).inputValue()).toBe(NOTE);
      // The failed save leaves Save usable for a retry.
      expect(await popup.getByRole('button', { name: 'Save' }).isEnabled()).toBe(true);
      fault.failedSave();

      await failWrites(false);
      await popup.getByRole('button', { name: 'Save' }).click();
      await popup.getByRole('textbox', { name: 'Note' }).waitFor({ state: 'hidden' });
      await pollUntil(popup, () => item.innerText(), (text) => text.includes(NOTE), 'the note in the list');
      // Stored, not just shown: a fresh popup lists it too.
      await popup.reload();
      await pollUntil(popup, () => popup.getByRole('listitem').filter({ hasText: SENTENCE }).innerText(), (text) => text.includes(NOTE), 'the note after a reload');
      fault.stored();
    } finally {
      await popup.close();
    }
  });
});
