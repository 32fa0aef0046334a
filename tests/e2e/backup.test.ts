/**
 * Automatic backups, persistent storage and usage (issue #8), in the build
 * with test hooks (the `downloads` permission granted at install). Chromium
 * saves downloads to the profile's `download.default_directory`, written
 * into the profile before launch; Playwright's own download handling (which
 * renames every download, extensions' included, to a GUID in a temporary
 * folder) is switched back to the browser's with the DevTools protocol's
 * `Browser.setDownloadBehavior`.
 *
 * Turning backups on in the options page writes a dated JSON backup into
 * `Downloads/lesson-highlighter-backups/`; "Back up now" writes the next one
 * after a change and says so when nothing changed; with 2 kept, the third
 * removes the oldest and leaves other files alone; a backup restores into a
 * fresh profile through the library's Import; the options page shows the
 * space used and what the library holds.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLessonSite, type LessonSite } from '../fixtures/lesson-site/server.mjs';
import {
  addNote,
  highlightText,
  launchWithExtension,
  noteCards,
  openLesson,
  pollUntil,
  resetHighlights,
  waitForHighlights,
  type ExtensionBrowser,
} from './harness';

/** The extension APIs these tests use inside the service worker. */
declare const chrome: {
  storage: { local: { set(items: Record<string, unknown>): Promise<void>; remove(keys: string[]): Promise<void> } };
  downloads: { search(query: object): Promise<Array<{ id: number; filename: string }>> };
};

const LESSON = '100001';
const SENTENCE = '三方各自的判断都“合理”，合在一起却是一个错误的结果。';
const NOTE = '备份里要有这条笔记：先问是否幂等';
/** Sentences highlighted one by one, so that each backup has something new. */
const MORE = [
  '先讲一个我亲历过的故事。',
  '几年前，我所在的团队负责一个支付相关的服务，调用方通过 HTTP 请求我们完成扣款。',
  '某天晚上，监控显示有几十个用户被扣了两次钱。',
];
const PASSWORD = 'sync-password-7f3a-never-in-backups';
const BACKUP_NAME = /^lesson-highlighter-(\d{4})-(\d{2})-(\d{2})-(\d{2})(\d{2})( \(\d+\))?\.json$/;

let site: LessonSite;
let browser: ExtensionBrowser;
let profileDir: string;
let downloadsDir: string;
let lesson: Page;
let options: Page;

const backupDir = () => join(downloadsDir, 'lesson-highlighter-backups');

/** A profile whose downloads go to its own folder, without asking where. */
async function profileWithDownloads(): Promise<{ profile: string; downloads: string }> {
  const profile = await mkdtemp(join(tmpdir(), 'lh-backup-'));
  const downloads = join(profile, 'Downloads');
  await mkdir(join(profile, 'Default'), { recursive: true });
  await mkdir(downloads);
  const preferences = { download: { default_directory: downloads, prompt_for_download: false, directory_upgrade: true } };
  await writeFile(join(profile, 'Default', 'Preferences'), JSON.stringify(preferences));
  return { profile, downloads };
}

beforeAll(async () => {
  site = await startLessonSite({ renderDelayMs: 150 });
  ({ profile: profileDir, downloads: downloadsDir } = await profileWithDownloads());
  browser = await launchWithExtension({ userDataDir: profileDir });
  const page = await browser.context.newPage();
  // Playwright saves every download of its context as a GUID-named file; give them back to the browser.
  await (await browser.context.newCDPSession(page)).send('Browser.setDownloadBehavior', { behavior: 'default' });
  await page.close();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
});

beforeEach(async () => {
  await resetHighlights(browser);
  // Backups off and forgotten, the sync server's settings (with a password) in place, an empty backup folder.
  await browser.serviceWorker.evaluate(async (password) => {
    await chrome.storage.local.remove(['backup:settings', 'backup:state']);
    await chrome.storage.local.set({
      'serverSync:settings': { url: 'https://couch.example.com', database: 'lesson-highlighter', username: 'me', password, enabled: false },
    });
  }, PASSWORD);
  await rm(backupDir(), { recursive: true, force: true });
  for (const page of browser.context.pages()) await page.close();
  lesson = await browser.context.newPage();
  await openLesson(lesson, LESSON, site.lessonUrl(LESSON));
  options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
});

const backupSection = () => options.getByRole('region', { name: 'Automatic backup' });

/** The `.json` files in the backup folder, sorted by name. */
async function backupFiles(): Promise<string[]> {
  if (!existsSync(backupDir())) return [];
  return (await readdir(backupDir())).filter((name) => name.endsWith('.json')).sort();
}

/** Waits until the backup folder holds `count` files and the status names the newest one; answers the folder. */
async function waitForBackups(count: number): Promise<string[]> {
  const files = await pollUntil(options, backupFiles, (names) => names.length === count, `${count} backup files`, 20_000);
  const { name } = await newestBackup();
  await pollUntil(options, () => backupSection().innerText(), (text) => text.includes(name), `the status naming ${name}`);
  return files;
}

/**
 * The download id and file name of the backup the browser wrote last (names
 * repeat across tests within a minute, so the id tells them apart).
 */
async function newestBackup(): Promise<{ id: number; name: string }> {
  const items = await browser.serviceWorker.evaluate(() => chrome.downloads.search({ orderBy: ['-startTime'] }));
  const newest = items.find((item) => item.filename.includes('lesson-highlighter-backups'));
  if (!newest) throw new Error('The browser lists no backup download');
  return { id: newest.id, name: newest.filename.split('/').pop()! };
}

/**
 * The page the reader looks at. A tab in the background gets no animation
 * frames, and our selection toolbar waits for one: bring the page to the front first.
 */
async function inFront(page: Page): Promise<Page> {
  await page.bringToFront();
  return page;
}

async function turnOnBackups(): Promise<void> {
  await (await inFront(options)).getByRole('switch', { name: 'Back up automatically' }).check();
}

async function backUpNow(): Promise<void> {
  await (await inFront(options)).getByRole('button', { name: 'Back up now' }).click();
}

describe('automatic backup', () => {
  it('turning it on writes a dated JSON backup; "Back up now" skips an unchanged library and writes after a change', async () => {
    await addNote(await inFront(lesson), SENTENCE, NOTE);
    await waitForHighlights(lesson, [SENTENCE]);
    const before = new Date();
    before.setSeconds(0, 0);

    await turnOnBackups();
    const [first] = await waitForBackups(1);
    const after = new Date();

    // The name carries the local date and minute of the backup.
    const [, year, month, day, hour, minute] = BACKUP_NAME.exec(first!) ?? [];
    expect(first, 'a backup file name with the date').toMatch(BACKUP_NAME);
    const named = new Date(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute));
    expect(named.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(named.getTime()).toBeLessThanOrEqual(after.getTime());
    const text = await readFile(join(backupDir(), first!), 'utf8');
    const collection = JSON.parse(text);
    expect(collection.type).toBe('AnnotationCollection');
    expect(text).toContain(NOTE);
    expect(text, 'the sync password never reaches a backup').not.toContain(PASSWORD);

    await backUpNow();
    await pollUntil(options, () => backupSection().innerText(), (status) => status.includes(`Nothing changed since ${first}, so no new file was written.`), 'the unchanged status');
    expect(await backupFiles()).toEqual([first]);

    await highlightText(await inFront(lesson), MORE[0]!);
    await waitForHighlights(lesson, [SENTENCE, MORE[0]!]);
    await backUpNow();
    expect(await waitForBackups(2)).toContain(first);
  });

  it('with 2 kept, the third backup removes the oldest, and no file it did not make', async () => {
    // Named exactly like a backup, in the same folder, but put there by someone else.
    await mkdir(backupDir(), { recursive: true });
    const stranger = 'lesson-highlighter-2020-01-01-0000.json';
    await writeFile(join(backupDir(), stranger), '{"mine": "not the extension’s"}');
    await (await inFront(options)).getByRole('spinbutton', { name: 'Backups to keep' }).fill('2');
    await options.getByRole('spinbutton', { name: 'Backups to keep' }).blur();

    await highlightText(await inFront(lesson), MORE[0]!);
    await turnOnBackups();
    // The stranger's file and our first backup.
    await waitForBackups(2);
    const oldest = await newestBackup();
    await highlightText(await inFront(lesson), MORE[1]!);
    await backUpNow();
    await waitForBackups(3);
    const second = await newestBackup();
    await highlightText(await inFront(lesson), MORE[2]!);
    await backUpNow();
    const third = await pollUntil(options, newestBackup, (newest) => newest.id !== second.id, 'the third backup');

    const files = await pollUntil(options, backupFiles, (names) => !names.includes(oldest.name) && names.includes(third.name), 'the oldest backup removed');
    expect(files.sort()).toEqual([stranger, second.name, third.name].sort());
    expect(await readFile(join(backupDir(), stranger), 'utf8')).toBe('{"mine": "not the extension’s"}');
    // Gone from the browser's list of downloads as well; the two kept are still listed.
    const listed = await browser.serviceWorker.evaluate(() => chrome.downloads.search({}));
    expect(listed.map((item) => item.id)).not.toContain(oldest.id);
    expect(listed.map((item) => item.id)).toEqual(expect.arrayContaining([second.id, third.id]));
  });

  it('a backup restores into a fresh profile through the library’s Import', async () => {
    await addNote(await inFront(lesson), SENTENCE, NOTE);
    await highlightText(await inFront(lesson), MORE[0]!, 'Blue');
    await waitForHighlights(lesson, [SENTENCE, MORE[0]!]);
    await turnOnBackups();
    const [file] = await waitForBackups(1);

    const fresh = await launchWithExtension();
    try {
      const library = await fresh.context.newPage();
      await library.goto(`chrome-extension://${fresh.extensionId}/library.html`);
      await library.locator('input[type="file"]').setInputFiles(join(backupDir(), file!));
      // The toast, not the list's own "Loading…" status, which the import's refresh may show at the same moment.
      const toast = library.getByRole('status').filter({ hasText: /^Imported / });
      await pollUntil(library, () => toast.innerText(), (text) => /^Imported 2 annotations; 2 were new or changed\./.test(text), 'the import to finish');

      const restored = await fresh.context.newPage();
      await openLesson(restored, LESSON, site.lessonUrl(LESSON));
      await waitForHighlights(restored, [SENTENCE, MORE[0]!]);
      await noteCards(restored, NOTE).waitFor({ state: 'visible' });
    } finally {
      await fresh.close();
    }
  });
});

describe('storage', () => {
  it('shows the space the extension uses, whether it is kept, and how many highlights and notes there are', async () => {
    await addNote(await inFront(lesson), SENTENCE, NOTE);
    await highlightText(await inFront(lesson), MORE[0]!);
    await waitForHighlights(lesson, [SENTENCE, MORE[0]!]);
    await options.reload();

    const section = options.getByRole('region', { name: 'Data in this browser' });
    const line = await pollUntil(options, () => section.innerText(), (text) => text.includes('Highlights: 2 · Notes: 1'), 'the counts');
    // Headless Chromium does not grant persist(), but unlimitedStorage keeps the data from eviction.
    expect(line).toMatch(/Storage: [\d.]+ (KB|MB) used · (persistent|kept even when the disk runs low \(unlimited storage\))/);
    // The database counts toward the usage of the origin the options page shares with the worker.
    const report = await browser.serviceWorker.evaluate(async () => ({ usage: (await navigator.storage.estimate()).usage ?? 0 }));
    expect(report.usage).toBeGreaterThan(0);
  });
});
