/**
 * Server sync end to end (issue #5): two browser profiles (two user-data
 * directories) set up through the real options page against one
 * CouchDB-compatible server. A highlight with a note made in profile A shows
 * up in profile B's open lesson and popup; a deletion in B leaves A; edits A
 * makes while the server is down are kept, the failure is said in words, and
 * they reach B once the server is back. A lesson's page-level note written
 * in A shows in B's lesson-note panel after both sync (lesson notes travel
 * with the highlights).
 *
 * What starts a sync (storage/sync/couch-schedule.ts): local edits are sent
 * together by an alarm 30 s after the first one, which the first test sits
 * through; an opened lesson syncs at most once a minute, a failure retries
 * after a minute or more, and the periodic alarm runs every 15 minutes.
 * Waiting for those would take minutes, so elsewhere a profile syncs through
 * the options page's "Sync now", the reader's own way to sync at once. What
 * arrives is shown in the profile's open lesson tab without a reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { startCouchServer, type CouchTestServer } from '../fixtures/couch/server';
import { startLessonSite, type LessonSite } from '../fixtures/lesson-site/server.mjs';
import {
  addNote,
  clickHighlight,
  highlightMenu,
  launchWithExtension,
  noteCards,
  noteTextbox,
  openLesson,
  pollUntil,
  waitForHighlights,
  waitForNoteStored,
  type ExtensionBrowser,
} from './harness';

const LESSON = '100001';
/** Three sentences near the top of the lesson, so their cards are all rendered at once. */
const DELETED = '几乎每个写过远程调用的工程师都处理过超时';
const EDITED = '三方各自的判断都“合理”，合在一起却是一个错误的结果。';
const OFFLINE = '某天晚上，监控显示有几十个用户被扣了两次钱。';
const DELETED_NOTE = '超时不等于失败';
const EDITED_NOTE = '三方视角：服务、调用方、用户';
const EDITED_NOTE_LATER = '三方视角：服务、调用方、用户——服务器停机时改的';
const OFFLINE_NOTE = '重复扣款的根源是重试不幂等';
const LESSON_NOTE = '本讲要点：超时不等于失败；重试之前先做幂等';
/** The edit alarm's 30 s, and room for Chrome to fire it late and for the sync itself. */
const EDIT_ALARM_PATIENCE_MS = 60_000;

/** One browser profile: its lesson tab and its options page, both kept open. */
interface Profile {
  browser: ExtensionBrowser;
  lesson: Page;
  options: Page;
}

/** The server card of the options page's status panel, as the reader reads it. */
interface ServerStatusView {
  /** "On" or "Off". */
  chip: string;
  /** The "Last synced" time (its `datetime`), or null while it says "Never". */
  lastSyncedAt: number | null;
  /** "Changes waiting". */
  pending: string;
  /** The "Last problem:" line, or null when there is none. */
  problem: string | null;
}

let site: LessonSite;
let couch: CouchTestServer;
let database: string;
let browsers: ExtensionBrowser[] = [];
let a: Profile;
let b: Profile;

beforeAll(async () => {
  [site, couch] = await Promise.all([startLessonSite({ renderDelayMs: 150 }), startCouchServer()]);
  // As on a real CouchDB, the server's administrator creates the database; the readers only use it.
  database = couch.freshDatabaseName();
  await couch.createDatabase(database);
  // Two user-data directories: two profiles that share nothing but the server.
  browsers = await Promise.all([launchWithExtension(), launchWithExtension()]);
  a = await setUpProfile(browsers[0]!);
  b = await setUpProfile(browsers[1]!);
});

afterAll(async () => {
  await Promise.all(browsers.map((browser) => browser.close()));
  await Promise.all([site?.close(), couch?.close()]);
});

/** Opens the lesson, then sets the server up on the options page as a reader does. */
async function setUpProfile(browser: ExtensionBrowser): Promise<Profile> {
  const lesson = await browser.context.newPage();
  await openLesson(lesson, LESSON, site.lessonUrl(LESSON));
  const options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
  const form = serverForm(options);
  await form.getByLabel('Server URL', { exact: true }).fill(couch.url);
  await form.getByLabel('Database', { exact: true }).fill(database);
  await form.getByLabel('User name', { exact: true }).fill(couch.member.username);
  await form.getByLabel('Password', { exact: true }).fill(couch.member.password);

  await form.getByRole('button', { name: 'Test connection', exact: true }).click();
  await pollUntil(options, () => formMessage(options), (text) => text !== '', 'the connection test to answer');
  expect(await formMessage(options)).toContain(`Connected to`);
  expect(await formMessage(options)).toContain(`The database “${database}” is ready.`);

  const since = Date.now();
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await pollUntil(options, () => formMessage(options), (text) => text === 'Saved.', 'the settings to be saved');
  // Saving syncs at once: the status panel says so, with nothing waiting and no problem.
  const status = await waitForServerStatus(options, (view) => synced(view, since), 'the first sync after saving');
  expect(status.chip).toBe('On');
  return { browser, lesson, options };
}

/** The sync server's form (the options page has other panels with buttons of their own). */
function serverForm(options: Page): Locator {
  return options.locator('form.server-form');
}

/** The server form's status line under its buttons. */
function formMessage(options: Page): Promise<string> {
  return serverForm(options).getByRole('status').innerText();
}

/** "Sync now", in the status panel's server card. */
function syncNowButton(options: Page): Locator {
  return options.locator('article[data-way="server"]').getByRole('button', { name: 'Sync now', exact: true });
}

/** Reads the server card of the status panel. */
function serverStatus(options: Page): Promise<ServerStatusView> {
  return options.evaluate(() => {
    const card = document.querySelector('article[data-way="server"]');
    if (!card) throw new Error('The options page shows no "Sync server" status card');
    const fact = (label: string) => {
      const term = [...card.querySelectorAll('dt')].find((dt) => dt.textContent === label);
      return term?.nextElementSibling ?? null;
    };
    const time = fact('Last synced')?.querySelector('time');
    return {
      chip: card.querySelector('.chip')?.textContent ?? '',
      lastSyncedAt: time ? Date.parse(time.dateTime) : null,
      pending: fact('Changes waiting')?.textContent ?? '',
      problem: card.querySelector('.way-error')?.textContent ?? null,
    };
  });
}

function waitForServerStatus(
  options: Page,
  accept: (view: ServerStatusView) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<ServerStatusView> {
  return pollUntil(options, () => serverStatus(options), accept, what, timeoutMs);
}

/** A sync that finished after `since` and left nothing behind. */
function synced(view: ServerStatusView, since: number): boolean {
  return view.lastSyncedAt !== null && view.lastSyncedAt >= since && view.pending === '0' && view.problem === null;
}

/** Clicks "Sync now" and waits until the status panel reports a complete sync. */
async function syncNow(profile: Profile, what: string): Promise<void> {
  const since = Date.now();
  await syncNowButton(profile.options).click();
  await waitForServerStatus(profile.options, (view) => synced(view, since), what);
}

/** The texts of the popup's items (the whole library), once it lists `count` of them. */
async function popupItems(profile: Profile, count: number): Promise<string[]> {
  const popup = await profile.browser.context.newPage();
  try {
    await popup.goto(`chrome-extension://${profile.browser.extensionId}/popup.html`);
    const items = () => popup.getByRole('listitem').allInnerTexts();
    return await pollUntil(popup, items, (texts) => texts.length === count, `the popup to list ${count} highlights`);
  } finally {
    await popup.close();
  }
}

/** Waits until the lesson's note cards show exactly `expected` (any order). */
async function waitForCards(page: Page, expected: string[]): Promise<void> {
  const want = [...expected].sort().join('\n');
  const cards = async () => (await noteCards(page).allInnerTexts()).map((text) => text.trim()).sort().join('\n');
  await pollUntil(page, cards, (have) => have === want, `the note cards ${JSON.stringify(expected)}`);
}

/** The lesson-note panel's text, read by opening the panel and closing it again (it is read when opened). */
async function lessonNotePanelText(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Lesson note', exact: true }).click();
  const panel = page.getByRole('dialog', { name: 'Lesson note' });
  const text = await noteTextbox(panel).inputValue();
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'hidden' });
  return text;
}

// The tests tell one story and run in order: each starts from what the one before left on both profiles.
describe('two profiles synced through one server', () => {
  it('a highlight with a note made in A appears in B’s open lesson and in B’s popup', async () => {
    await a.lesson.bringToFront();
    await addNote(a.lesson, DELETED, DELETED_NOTE, { fill: true });
    await waitForNoteStored(a.lesson);
    await addNote(a.lesson, EDITED, EDITED_NOTE, { fill: true });
    await waitForNoteStored(a.lesson);
    await waitForHighlights(a.lesson, [DELETED, EDITED]);
    // A's reader does nothing more: the edits go out together once the edit alarm fires (30 s after the first).
    const edited = Date.now();
    await waitForServerStatus(a.options, (view) => synced(view, edited), 'A’s edits to be sent by the edit alarm', EDIT_ALARM_PATIENCE_MS);

    // B's lesson has been open all along and is empty until B syncs.
    await waitForHighlights(b.lesson, []);
    await syncNow(b, 'B to receive A’s highlights');
    await waitForHighlights(b.lesson, [DELETED, EDITED]);
    await waitForCards(b.lesson, [DELETED_NOTE, EDITED_NOTE]);

    const items = await popupItems(b, 2);
    expect(items.find((text) => text.includes(DELETED))).toContain(DELETED_NOTE);
    expect(items.find((text) => text.includes(EDITED))).toContain(EDITED_NOTE);
  }, 90_000);

  it('a highlight deleted in B disappears from A’s open lesson', async () => {
    await b.lesson.bringToFront();
    await clickHighlight(b.lesson, DELETED);
    await highlightMenu(b.lesson).getByRole('button', { name: 'Delete', exact: true }).click();
    await waitForHighlights(b.lesson, [EDITED]);
    await syncNow(b, 'B to send the deletion');

    await syncNow(a, 'A to receive the deletion');
    await waitForHighlights(a.lesson, [EDITED]);
    await waitForCards(a.lesson, [EDITED_NOTE]);
  });

  it('edits made in A while the server is down are kept, the failure is said, and they reach B once it is back', async () => {
    await couch.stop();
    await a.lesson.bringToFront();
    await addNote(a.lesson, OFFLINE, OFFLINE_NOTE, { fill: true });
    await waitForNoteStored(a.lesson);
    await clickHighlight(a.lesson, EDITED);
    await highlightMenu(a.lesson).getByRole('button', { name: 'Edit note', exact: true }).click();
    await noteTextbox(a.lesson).fill(EDITED_NOTE_LATER);
    await a.lesson.getByRole('button', { name: 'Save', exact: true }).click();
    await waitForCards(a.lesson, [EDITED_NOTE_LATER, OFFLINE_NOTE]);

    // The reader asks for a sync: the panel says why it failed, and that both edits still wait.
    const since = Date.now();
    await syncNowButton(a.options).click();
    const failed = await waitForServerStatus(
      a.options,
      (view) => view.problem !== null && view.lastSyncedAt !== null && view.lastSyncedAt < since,
      'A to report the server down',
    );
    expect(failed.problem).toBe(`Last problem: Cannot reach the server (${couch.url}). Sync will try again.`);
    expect(failed.pending).toBe('2');
    // Nothing was lost on A: after a reload the lesson still shows both edits.
    await openLesson(a.lesson, LESSON);
    await waitForHighlights(a.lesson, [EDITED, OFFLINE]);
    await waitForCards(a.lesson, [EDITED_NOTE_LATER, OFFLINE_NOTE]);

    // The same database comes back (the fixture keeps its data across a restart).
    await couch.start();
    await syncNow(a, 'A to send its edits once the server is back');
    await syncNow(b, 'B to receive A’s edits');
    await waitForHighlights(b.lesson, [EDITED, OFFLINE]);
    await waitForCards(b.lesson, [EDITED_NOTE_LATER, OFFLINE_NOTE]);
    const items = await popupItems(b, 2);
    expect(items.find((text) => text.includes(EDITED))).toContain(EDITED_NOTE_LATER);
    expect(items.find((text) => text.includes(OFFLINE))).toContain(OFFLINE_NOTE);
  });

  it('a lesson note written in A appears in B’s lesson-note panel after “Sync now”', async () => {
    await a.lesson.bringToFront();
    await a.lesson.getByRole('button', { name: 'Lesson note', exact: true }).click();
    const panel = a.lesson.getByRole('dialog', { name: 'Lesson note' });
    await noteTextbox(panel).fill(LESSON_NOTE);
    await panel.getByRole('button', { name: 'Save', exact: true }).click();
    await waitForNoteStored(a.lesson);

    await syncNow(a, 'A to send its lesson note');
    await syncNow(b, 'B to receive A’s lesson note');
    await b.lesson.bringToFront();
    await pollUntil(b.lesson, () => lessonNotePanelText(b.lesson), (text) => text === LESSON_NOTE, 'B’s lesson-note panel to show A’s note');
    // Still there after a reload: it is in B's database, not only on the page.
    await openLesson(b.lesson, LESSON);
    expect(await lessonNotePanelText(b.lesson)).toBe(LESSON_NOTE);
  });
});
