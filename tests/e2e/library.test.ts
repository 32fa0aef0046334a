/**
 * The notes library (issue #4), `library.html`: a seeded library of 1,200
 * annotations plus one real highlight on the fixture lesson. Navigation by
 * course, search, paging, the keyboard (arrows, Enter opens, Delete deletes
 * with undo) and the JSON-LD export.
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { LessonSite } from '../fixtures/lesson-site/server.mjs';
import { seedLibrary, writeLibrary } from '../fixtures/review/library-seed';
import {
  highlightText,
  openLesson,
  pollUntil,
  resetHighlights,
  waitForHighlights,
  type ExtensionBrowser,
  useLessonSession,
} from './harness';

const LESSON = '100001';
const QUOTE = '三方各自的判断都“合理”，合在一起却是一个错误的结果。';
const SEEDED = 1200;

let site: LessonSite;
let browser: ExtensionBrowser;
let lesson: Page;
let library: Page;

const search = () => library.getByRole('searchbox', { name: 'Search notes' });
/** Annotations in the list (the side navigation has list items too). */
const items = () => library.getByRole('main').getByRole('listitem');

const session = useLessonSession({ freshPages: true });
beforeAll(() => void ({ site, browser } = session));

beforeEach(async () => {
  library = await browser.context.newPage();
  await library.goto(`chrome-extension://${browser.extensionId}/library.html`);
  await writeLibrary(library, seedLibrary({ annotations: SEEDED }));
  lesson = await browser.context.newPage();
  await openLesson(lesson, LESSON, site.lessonUrl(LESSON));
  await highlightText(lesson, QUOTE, 'Green');
  await waitForHighlights(lesson, [QUOTE]);
  await library.bringToFront();
  await library.reload();
  await items().first().waitFor();
});

describe('the library', () => {
  it('pages a long list: a first page at once, more as the reader scrolls to the end', async () => {
    const first = await items().count();
    expect(first).toBeGreaterThan(10);
    expect(first).toBeLessThan(SEEDED);
    await library.locator('.list-scroll').evaluate((list) => list.scrollTo(0, list.scrollHeight));
    await expect.poll(() => items().count()).toBeGreaterThan(first);
  });

  it('narrows to a course from the side navigation, then to one of its lessons', async () => {
    const nav = library.getByRole('navigation', { name: 'Courses' });
    await nav.getByRole('button', { name: /^Go 语言核心 36 讲/ }).click();
    await expect.poll(() => library.getByRole('heading', { level: 2, name: 'Go 语言核心 36 讲' }).count()).toBe(1);
    const lessonButton = nav.getByRole('button', { name: /^01 \|/ });
    await lessonButton.click();
    expect(await lessonButton.getAttribute('aria-current')).toBe('page');
    const titles = await library.locator('.lesson-title').allInnerTexts();
    expect(titles.length).toBe(1);
    expect(titles[0]).toMatch(/^01 \|/);
  });

  it('searches Chinese fragments as the reader types, with no false matches', async () => {
    await search().fill('业务单号');
    // Every item shown holds the fragment (the list before the search holds others too).
    await expect
      .poll(async () => {
        const texts = await items().allInnerTexts();
        return texts.length > 0 && texts.every((text) => text.includes('业务单号'));
      })
      .toBe(true);
    await search().fill('业务单号不能用');
    await expect.poll(() => items().count()).toBe(0);
  });

  it('is usable by keyboard: arrows move, Enter opens the lesson at the highlight, Delete deletes with undo', async () => {
    await search().fill('三方各自');
    await expect.poll(() => items().count()).toBe(1);
    await search().press('ArrowDown');
    expect(
      await items()
        .first()
        .evaluate((element) => element === document.activeElement),
    ).toBe(true);
    await library.keyboard.press('Enter');
    await pollUntil(
      lesson,
      () => lesson.evaluate(() => (CSS.highlights.get('lesson-highlight-focus')?.size ?? 0) > 0),
      (flashing) => flashing,
      'the highlight flashing in the lesson',
    );

    await library.bringToFront();
    await search().fill('');
    await search().press('ArrowDown');
    await library.keyboard.press('ArrowDown');
    const second = await library.evaluate(() => (document.activeElement as HTMLElement).dataset.annotationId);
    expect(second).toBeTruthy();
    await library.keyboard.press('Delete');
    await expect.poll(() => library.locator(`[data-annotation-id="${second}"]`).count()).toBe(0);
    await library.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => library.locator(`[data-annotation-id="${second}"]`).count()).toBe(1);
  });

  it('exports everything as one W3C AnnotationCollection', async () => {
    await library.getByRole('button', { name: 'Export' }).click();
    const download = library.waitForEvent('download');
    await library.getByRole('menuitem', { name: /JSON-LD/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.jsonld$/);
    const collection = JSON.parse(await readFile((await file.path())!, 'utf8'));
    expect(collection['@context']).toBe('http://www.w3.org/ns/anno.jsonld');
    expect(collection.type).toBe('AnnotationCollection');
    const highlights = collection.first.items.filter((item: { target: unknown }) => typeof item.target === 'object');
    expect(highlights).toHaveLength(SEEDED + 1);
  });

  it('restores its own export into an emptied library, changes nothing on a second import, and refuses a broken file', async () => {
    await library.getByRole('button', { name: 'Export' }).click();
    const download = library.waitForEvent('download');
    await library.getByRole('menuitem', { name: /JSON-LD/ }).click();
    const exported = (await (await download).path())!;
    await resetHighlights(browser);
    await library.reload();
    await expect.poll(() => items().count()).toBe(0);

    const fileInput = library.locator('input[type="file"]');
    await fileInput.setInputFiles(exported);
    // The toast, not the list's "Loading…" status that the refresh after an import may show at the same moment.
    const toast = library.getByRole('status').filter({ hasText: /^Imported / });
    await expect.poll(() => toast.textContent()).toMatch(/^Imported [\d,]+ annotations; [\d,]+ were new or changed\./);
    await search().fill('三方各自的判断');
    await expect.poll(() => items().count()).toBe(1);

    await fileInput.setInputFiles(exported);
    await expect.poll(() => toast.textContent()).toMatch(/; 0 were new or changed\./);

    await fileInput.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"type": "AnnotationCollection", "first": ') });
    await expect.poll(() => library.getByRole('alert').textContent()).toMatch(/JSON|file/i);
    await expect.poll(() => items().count()).toBe(1);
  });
});
