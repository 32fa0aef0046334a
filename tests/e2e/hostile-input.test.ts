/**
 * Hostile text through every view, and the sync password's secrecy (issue #8).
 *
 * Hostile strings (tests/fixtures/hostile/strings.ts) get in through the
 * real routes: a lesson whose title, paragraphs and comment are hostile, notes
 * typed and pasted in the page's editor, the lesson note, and a JSON file
 * imported in the library. Then every view shows them — the lesson page
 * (cards, menu, toolbar, "Unplaced", the lesson note, the phone layout's
 * panel), the popup, the library, the options page (a sync server's error
 * text), and the Markdown and JSON-LD exports — and each must show them as
 * text: no payload runs (no `window.__pwned`, no call to the beacon), no
 * event-handler attribute or script URL appears in our UI, no Content
 * Security Policy error is reported, and the text itself is there to read.
 * A page script that forges our messages and WXT's events changes nothing.
 *
 * The password set on the options page stays out of `storage.sync`, out of
 * the content script's reach, out of every console line while sync fails,
 * out of the exports, and the production content script does not even name
 * the key it is stored under. Runs the build with test hooks (open shadow
 * root), and reads the production build's content script.
 */
import { readFile } from 'node:fs/promises';
import type { ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLessonSite, type LessonSite } from '../fixtures/lesson-site/server.mjs';
import { startCouchServer, type CouchTestServer } from '../fixtures/couch/server';
import {
  ON_PAGE,
  PLAIN_PASSAGE,
  hostileImportFile,
  hostileLesson,
  liveMarkdown,
  startBeacon,
  unescapeMarkdown,
  type Beacon,
  type HostileImport,
  type HostileLessonText,
} from '../fixtures/hostile/library';
import { PWNED_FLAG, findInjectedMarkup, hostileString, hostileStrings, type HostileString } from '../fixtures/hostile/strings';
import { decodeItem } from '../../storage/sync/browser-sync-codec';
import { isOwnKey } from '../../storage/sync/browser-sync-layout';
import { SERVER_SYNC_KEYS } from '../../storage/sync/couch-kv';
import {
  PRODUCTION_EXTENSION_DIR,
  addNote,
  clickHighlight,
  highlightMenu,
  highlightText,
  holdsFor,
  launchWithExtension,
  lessonPageScripts,
  noteCards,
  noteTextbox,
  openLesson,
  paintedHighlights,
  pollUntil,
  selectForHighlight,
  selectionToolbar,
  waitForHighlights,
  waitForNoteStored,
  type ExtensionBrowser,
} from './harness';

/** The extension APIs these tests call from our own pages and the service worker. */
declare const chrome: {
  runtime: { sendMessage(message: unknown): Promise<unknown> };
  storage: { sync: { get(keys: null): Promise<Record<string, unknown>> } };
  tabs: { query(query: object): Promise<Array<{ id?: number; url?: string }>> };
};

const HOSTILE_LESSON = '100909';
const UI_HOST = 'lesson-highlighter-ui';

let beacon: Beacon;
let corpus: HostileString[];
let site: LessonSite;
let browser: ExtensionBrowser;
let lesson: Page;
let lessonText: HostileLessonText;
let imported: HostileImport;
/** Every console message of every page and of the service worker, as "type: text (url)". */
const consoleLines: string[] = [];

/** The corpus entry's text. */
const text = (name: string) => hostileString(corpus, name).text;
/** Compares like a browser stores it: a lone surrogate becomes U+FFFD on its way through the DOM or a file. */
const wellFormed = (value: string) => value.toWellFormed();

const NOTE_TYPED = () => text('img-onerror');
const NOTE_PASTED = () =>
  ['script-tag', 'svg-attribute-breaker', 'markdown-javascript-link', 'html-link', 'iframe-srcdoc', 'style-breakout', 'css-injection', 'single-quote-breaker', 'template-literal', 'html-entities', 'rtl-zero-width', 'markdown-image']
    .map(text)
    .join('\n\n');
const NOTE_LONG = () => text('ten-thousand-characters');
const LESSON_NOTE = () => [text('markdown-reference-link'), text('markdown-alert-link'), text('deep-markdown'), text('markdown-autolink')].join('\n\n');

function record(message: ConsoleMessage): void {
  consoleLines.push(`${message.type()}: ${message.text()} (${message.location().url})`);
}

/** Console errors a Content Security Policy reported: what an injected inline script or handler causes on our pages. */
function cspErrors(): string[] {
  return consoleLines.filter((line) => /Content Security Policy|Refused to (execute|load|apply|frame)/i.test(line));
}

beforeAll(async () => {
  beacon = await startBeacon();
  corpus = hostileStrings(beacon.origin);
  const built = hostileLesson(corpus, HOSTILE_LESSON);
  lessonText = built.text;
  site = await startLessonSite({ renderDelayMs: 150, extraLessons: [built.lesson] });
  browser = await launchWithExtension();
  browser.context.on('console', record);
  browser.serviceWorker.on('console', record);
  lesson = await browser.context.newPage();
  imported = hostileImportFile(corpus, site.lessonUrl(HOSTILE_LESSON), HOSTILE_LESSON, Date.now());
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await beacon?.close();
});

/** An extension page of ours, opened fresh. */
async function openExtensionPage(path: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/${path}`);
  return page;
}

/** The browser's id of the tab showing `page`. */
async function tabIdOf(page: Page): Promise<number> {
  const url = page.url();
  const id = await browser.serviceWorker.evaluate(async (url) => (await chrome.tabs.query({})).find((tab) => tab.url === url)?.id, url);
  if (id === undefined) throw new Error(`No tab shows ${url}`);
  return id;
}

/** Every live annotation's id, asked from one of our pages as the popup would. */
async function storedIds(page: Page): Promise<string[]> {
  const answer = (await page.evaluate(() => chrome.runtime.sendMessage({ type: 'listAnnotations' }))) as { ok: boolean; value: Array<{ id: string }> };
  if (!answer.ok) throw new Error('listAnnotations failed');
  return answer.value.map((annotation) => annotation.id).sort();
}

/**
 * Nothing ran and nothing was injected in `page`: the flag is unset in its
 * world, the beacon was never called (from anywhere), and no element of our
 * UI carries markup that could run (`uiRoot`: the page UI's shadow host, or
 * null for a whole extension page).
 */
async function expectNothingRan(page: Page, uiRoot: string | null, where: string): Promise<void> {
  expect(await page.evaluate((flag) => (window as unknown as Record<string, unknown>)[flag] ?? null, PWNED_FLAG), `${where}: window.${PWNED_FLAG}`).toBeNull();
  expect(await page.evaluate(findInjectedMarkup, uiRoot), `${where}: markup that could run`).toEqual([]);
  expect(beacon.hits, `${where}: calls to the beacon`).toEqual([]);
  expect(cspErrors(), `${where}: Content Security Policy errors`).toEqual([]);
}

/** The text of our page UI (its shadow root), as the reader can read it. */
function uiText(page: Page): Promise<string> {
  return page.evaluate((host) => document.querySelector(host)?.shadowRoot?.textContent ?? '', UI_HOST);
}

describe('hostile text, brought in through the real routes', () => {
  beforeAll(async () => {
    // The detection works: a payload parsed as HTML on a scratch page sets the flag and calls the
    // beacon. Then the count starts from zero.
    const scratch = await browser.context.newPage();
    await scratch.goto(site.lessonUrl('100001'));
    await scratch.evaluate((html) => document.body.insertAdjacentHTML('beforeend', html), text('img-onerror'));
    await pollUntil(scratch, () => scratch.evaluate((flag) => (window as unknown as Record<string, unknown>)[flag], PWNED_FLAG), (flag) => flag === 1, 'the control payload to set the flag');
    await pollUntil(scratch, async () => beacon.hits.slice(), (hits) => hits.includes('/img-onerror'), 'the beacon to hear the control payload');
    await scratch.close();
    // And on our own pages, the Content Security Policy's report of a blocked inline handler is heard.
    const control = await openExtensionPage('options.html');
    await control.evaluate((html) => document.body.insertAdjacentHTML('beforeend', html), text('img-onerror'));
    await pollUntil(control, async () => cspErrors().length, (count) => count > 0, 'the policy to report the blocked handler');
    await control.close();
    consoleLines.length = 0;
    beacon.hits.length = 0;

    await openLesson(lesson, HOSTILE_LESSON, site.lessonUrl(HOSTILE_LESSON));
    await addNote(lesson, lessonText.passages['img-onerror'], NOTE_TYPED());
    await addNote(lesson, lessonText.passages['svg-attribute-breaker'], NOTE_PASTED(), { fill: true });
    await addNote(lesson, lessonText.passages['markdown-javascript-link'], NOTE_LONG(), { fill: true });
    await highlightText(lesson, lessonText.passages['script-tag'], 'Pink');
    await highlightText(lesson, lessonText.passages['html-entities'], 'Blue');

    await lesson.getByRole('button', { name: 'Lesson note', exact: true }).click();
    const panel = lesson.getByRole('dialog', { name: 'Lesson note' });
    await noteTextbox(panel).fill(LESSON_NOTE());
    await panel.getByRole('button', { name: 'Save', exact: true }).click();
    await waitForNoteStored(lesson);
    if (await panel.isVisible()) await lesson.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });

    const library = await openExtensionPage('library.html');
    await library.locator('input[type="file"]').setInputFiles({ name: 'from-a-stranger.jsonld', mimeType: 'application/ld+json', buffer: Buffer.from(imported.text) });
    const count = imported.orphans.length + imported.elsewhere.length + 1;
    await library.getByRole('status').filter({ hasText: new RegExp(`^Imported ${count} annotations; ${count} were new or changed\\.`) }).waitFor();
    await library.close();
  }, 180_000);

  it('the lesson page paints and lists it as text: cards, menu, toolbar, lesson note, "Unplaced"', async () => {
    await openLesson(lesson, HOSTILE_LESSON);
    await waitForHighlights(lesson, ON_PAGE.map((name) => lessonText.passages[name]));
    for (const note of [NOTE_TYPED(), text('script-tag'), text('html-link')]) {
      await noteCards(lesson, note).first().waitFor({ state: 'visible' });
    }
    const cards = await uiText(lesson);
    expect(cards, 'the typed note, as typed').toContain(NOTE_TYPED());
    expect(cards, 'the long note, whole').toContain(NOTE_LONG());
    for (const name of ['script-tag', 'svg-attribute-breaker', 'markdown-javascript-link', 'iframe-srcdoc', 'style-breakout', 'html-entities']) {
      expect(cards, `${name} in a card`).toContain(text(name));
    }
    await expectNothingRan(lesson, UI_HOST, 'margin cards');

    // The menu of a highlight whose text is markup, and the toolbar over a selection of it.
    await clickHighlight(lesson, lessonText.passages['script-tag']);
    await highlightMenu(lesson).waitFor({ state: 'visible' });
    await expectNothingRan(lesson, UI_HOST, 'the highlight menu');
    await lesson.keyboard.press('Escape');
    await selectForHighlight(lesson, PLAIN_PASSAGE);
    await expectNothingRan(lesson, UI_HOST, 'the selection toolbar');
    await lesson.keyboard.press('Escape');
    await selectionToolbar(lesson).waitFor({ state: 'hidden' });

    await lesson.getByRole('button', { name: 'Lesson note', exact: true }).click();
    const notePanel = lesson.getByRole('dialog', { name: 'Lesson note' });
    expect(await noteTextbox(notePanel).inputValue(), 'the lesson note, exactly').toBe(LESSON_NOTE());
    await expectNothingRan(lesson, UI_HOST, 'the lesson note panel');
    await lesson.keyboard.press('Escape');
    await notePanel.waitFor({ state: 'hidden' });

    const unplacedButton = lesson.getByRole('button', { name: /^Unplaced/ });
    await unplacedButton.click();
    const unplaced = lesson.getByRole('dialog', { name: 'Highlights not found on this page' });
    await unplaced.waitFor({ state: 'visible' });
    const listed = wellFormed((await unplaced.textContent()) ?? '');
    for (const orphan of imported.orphans) {
      expect(listed, `the imported quote ${orphan.target.quote.exact.slice(0, 40)}`).toContain(wellFormed(orphan.target.quote.exact));
    }
    await expectNothingRan(lesson, UI_HOST, 'the "Unplaced" list');
    await lesson.keyboard.press('Escape');
  });

  it('the phone layout shows a hostile note in its bottom panel as text', async () => {
    const phone = await browser.context.newPage();
    try {
      await phone.setViewportSize({ width: 390, height: 844 });
      await openLesson(phone, HOSTILE_LESSON, site.lessonUrl(HOSTILE_LESSON));
      await waitForHighlights(phone, ON_PAGE.map((name) => lessonText.passages[name]));
      await phone.getByRole('button', { name: 'Show note', exact: true }).first().click();
      const panel = phone.getByRole('dialog').filter({ hasText: NOTE_TYPED() });
      await panel.waitFor({ state: 'visible' });
      await expectNothingRan(phone, UI_HOST, 'the phone panel');
    } finally {
      await phone.close();
    }
  });

  it('the popup lists quotes, notes and titles as text, and its search marks inside them', async () => {
    const popup = await openExtensionPage(`popup.html?tab=${await tabIdOf(lesson)}`);
    try {
      await popup.getByRole('listitem').first().waitFor();
      // The popup paints its first items at once and the rest as they arrive: wait for all of them.
      const expected = [NOTE_TYPED(), imported.hostileTitles.lessonTitle, ...imported.elsewhere.map((annotation) => wellFormed(annotation.target.quote.exact))];
      const missing = async () => {
        const body = wellFormed((await popup.textContent('body')) ?? '');
        return expected.filter((piece) => !body.includes(piece));
      };
      await pollUntil(popup, missing, (pieces) => pieces.length === 0, 'the typed note, the hostile lesson title and the imported quotes in the popup');
      await expectNothingRan(popup, null, 'the popup');

      await popup.getByRole('searchbox', { name: 'Search notes' }).fill('onerror');
      await pollUntil(popup, () => popup.locator('mark').allTextContents(), (marks) => marks.length > 0 && marks.every((mark) => mark.toLowerCase() === 'onerror'), 'the search term marked');
      await expectNothingRan(popup, null, 'the popup, searching');
    } finally {
      await popup.close();
    }
  });

  it('the library shows hostile course and lesson titles as text', async () => {
    const library = await openExtensionPage('library.html');
    try {
      await library.getByRole('main').getByRole('listitem').first().waitFor();
      const nav = library.getByRole('navigation', { name: 'Courses' });
      await pollUntil(library, async () => (await nav.textContent()) ?? '', (names) => names.includes(imported.hostileTitles.courseTitle), 'the hostile course in the navigation');
      await nav.getByRole('button', { name: imported.hostileTitles.courseTitle }).first().click();
      await pollUntil(library, async () => (await library.textContent('body')) ?? '', (body) => body.includes(imported.hostileTitles.lessonTitle), 'the hostile lesson title');
      const body = wellFormed((await library.textContent('body')) ?? '');
      expect(body).toContain(wellFormed(imported.lessonNote.note.split('\n\n')[0]!));
      await expectNothingRan(library, null, 'the library');
    } finally {
      await library.close();
    }
  });

  it('exports Markdown that renders the text as text, and JSON-LD that is valid JSON holding it exactly', async () => {
    const library = await openExtensionPage('library.html');
    try {
      await library.getByRole('main').getByRole('listitem').first().waitFor();
      const download = async (item: RegExp) => {
        await library.getByRole('button', { name: 'Export' }).click();
        const started = library.waitForEvent('download');
        await library.getByRole('menuitem', { name: item }).click();
        return readFile((await (await started).path())!, 'utf8');
      };

      const markdown = await download(/Everything as Markdown/);
      expect(liveMarkdown(markdown), 'markup a Markdown app would render live').toEqual([]);
      const shown = wellFormed(unescapeMarkdown(markdown));
      const singleLine = corpus.filter((entry) => !entry.text.includes('\n'));
      for (const entry of singleLine) expect(shown, `${entry.name}, as a quote`).toContain(wellFormed(`导入：${entry.text}`));
      expect(shown, 'the hostile course title').toContain(`# ${imported.hostileTitles.courseTitle}`);
      expect(shown, 'the hostile lesson title, linked to its lesson').toContain(`## [${imported.hostileTitles.lessonTitle}](${imported.hostileTitles.url})`);

      const jsonld = await download(/JSON-LD/);
      const collection = JSON.parse(jsonld) as { first: { items: unknown[] } };
      const strings = new Set<string>();
      const collect = (value: unknown): void => {
        if (typeof value === 'string') strings.add(value);
        else if (value && typeof value === 'object') Object.values(value).forEach(collect);
      };
      collect(collection);
      for (const entry of corpus) expect(strings.has(entry.text), `${entry.name}, exactly, as a note`).toBe(true);
      expect(strings.has(imported.hostileTitles.courseTitle)).toBe(true);
      await expectNothingRan(library, null, 'the library after exporting');
    } finally {
      await library.close();
    }
  });

  it('refuses a file whose lesson address is a data: URL, in words, and changes nothing', async () => {
    const library = await openExtensionPage('library.html');
    try {
      const before = await storedIds(library);
      const url = `data:text/html,<script>${PWNED_FLAG}=1</script>`;
      const poisoned = imported.text.replaceAll(JSON.stringify(imported.hostileTitles.url), JSON.stringify(url));
      await library.locator('input[type="file"]').setInputFiles({ name: 'poisoned.jsonld', mimeType: 'application/ld+json', buffer: Buffer.from(poisoned) });
      await pollUntil(library, async () => (await library.getByRole('alert').allTextContents()).join(' '), (alert) => /url must be an http\(s\) address/.test(alert), 'the refusal in words');
      expect(await storedIds(library)).toEqual(before);
    } finally {
      await library.close();
    }
  });
});

describe('a page that forges our messages and events', () => {
  it('cannot create, read or delete annotations, nor take our UI down', async () => {
    await openLesson(lesson, HOSTILE_LESSON, site.lessonUrl(HOSTILE_LESSON));
    const painted = ON_PAGE.map((name) => lessonText.passages[name]);
    await waitForHighlights(lesson, painted);
    const library = await openExtensionPage('library.html');
    const before = await storedIds(library);
    const victim = before[0]!;

    const heard = await lesson.evaluate(
      async ({ extensionId, victim, lessonId, url }) => {
        const draft = {
          lesson: { site: 'time.geekbang.org', lessonId, url, lessonTitle: 'forged', courseTitle: 'forged' },
          target: { quote: { type: 'TextQuoteSelector', exact: '最后一段', prefix: '', suffix: '' }, position: { type: 'TextPositionSelector', start: 0, end: 4 } },
          color: 'yellow',
        };
        const messages = [
          { type: 'createAnnotation', draft },
          { type: 'deleteAnnotation', id: victim },
          { type: 'updateAnnotation', id: victim, patch: { note: 'forged' } },
          { type: 'listAnnotations' },
          { type: 'listLessonAnnotations', lessonId },
          { type: 'importAnnotations', text: '{}' },
          { type: 'revealAnnotation', id: victim },
          { type: 'annotationsChanged', lessonId: null },
        ];
        // Whatever answers the page might hear back.
        const answers: unknown[] = [];
        window.addEventListener('message', (event) => answers.push(event.data));
        for (const message of messages) {
          window.postMessage(message, '*');
          window.postMessage(JSON.stringify(message), '*');
          window.postMessage({ ...message, wxtMessage: true, id: 1, data: message }, '*');
          document.dispatchEvent(new CustomEvent(message.type, { detail: message }));
          window.dispatchEvent(new CustomEvent(message.type, { detail: message }));
        }
        // WXT's own event names, with our extension id (worst case: the page knows it).
        const started = { contentScriptName: 'content', messageId: 'forged' };
        for (const name of [`${extensionId}:content:wxt:content-script-started`, 'wxt:content-script-started', `${extensionId}:content:wxt:locationchange`]) {
          document.dispatchEvent(new CustomEvent(name, { detail: started }));
          window.dispatchEvent(new CustomEvent(name, { detail: started }));
          window.postMessage({ type: name, ...started }, '*');
        }
        // No externally_connectable: a page has no way to message the extension directly.
        const runtime = (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime;
        await new Promise((resolve) => setTimeout(resolve, 300));
        return { answers: answers.filter((data) => JSON.stringify(data ?? null).includes('"ok"')), canSend: typeof runtime?.sendMessage === 'function' };
      },
      { extensionId: browser.extensionId, victim, lessonId: HOSTILE_LESSON, url: site.lessonUrl(HOSTILE_LESSON) },
    );
    expect(heard.answers, 'no answer reached the page').toEqual([]);
    expect(heard.canSend, 'the page cannot message the extension').toBe(false);

    // Our UI stays: the highlights stay painted and the stored annotations stay as they were.
    await holdsFor(lesson, () => paintedHighlights(lesson), (now) => now.length === painted.length, 'every highlight still painted', 1_000);
    expect(await storedIds(library)).toEqual(before);
    expect(await uiText(lesson), 'the note cards are still there').toContain(NOTE_TYPED());
    // And it still works: the toolbar highlights a new passage, which is stored.
    await highlightText(lesson, PLAIN_PASSAGE, 'Green');
    await waitForHighlights(lesson, [...painted, PLAIN_PASSAGE]);
    await pollUntil(library, () => storedIds(library), (ids) => ids.length === before.length + 1 && before.every((id) => ids.includes(id)), 'the new highlight stored');
    await expectNothingRan(lesson, UI_HOST, 'after the forgeries');
    await library.close();
  });
});

describe('the sync password', () => {
  let couch: CouchTestServer;
  const wrongPassword = `wrong-${crypto.randomUUID()}-密码`;
  /** Every form the two passwords could take in text. */
  const secrets = () =>
    [couch.member.password, wrongPassword].flatMap((password) => [
      password,
      encodeURIComponent(password),
      Buffer.from(`${couch.member.username}:${password}`).toString('base64'),
    ]);
  const leaks = (value: string) => secrets().filter((secret) => value.includes(secret));

  beforeAll(async () => {
    couch = await startCouchServer();
  });
  afterAll(async () => {
    await couch?.close();
  });

  /** Fills the options form and saves it; answers the options page. */
  async function saveSettings(options: Page, database: string, password: string): Promise<void> {
    await options.getByLabel('Server URL', { exact: true }).fill(couch.url);
    await options.getByLabel('Database', { exact: true }).fill(database);
    await options.getByLabel('User name', { exact: true }).fill(couch.member.username);
    await options.getByLabel('Password', { exact: true }).fill(password);
    await options.getByRole('button', { name: 'Save', exact: true }).click();
    await pollUntil(options, () => options.locator('form').getByRole('status').innerText(), (message) => message === 'Saved.', 'the settings saved');
  }

  /** Asks the background to sync now and waits until the options page shows `expected` in the server's status. */
  async function syncAndWaitFor(options: Page, expected: RegExp, what: string): Promise<string> {
    await options.getByRole('button', { name: 'Sync now' }).click();
    return pollUntil(options, async () => (await options.textContent('body')) ?? '', (body) => expected.test(body), what, 20_000);
  }

  it('stays out of storage.sync, the content script, every console line and the exports, while sync fails every way', async () => {
    const database = couch.freshDatabaseName();
    await couch.createDatabase(database);
    const options = await openExtensionPage('options.html');
    // Credentials typed into the URL are refused before anything is stored or sent.
    await options.getByLabel('Server URL', { exact: true }).fill(couch.url.replace('//', `//${couch.member.username}:${encodeURIComponent(wrongPassword)}@`));
    await options.getByLabel('Database', { exact: true }).fill(database);
    await options.getByRole('button', { name: 'Save', exact: true }).click();
    await pollUntil(options, () => options.locator('form').getByRole('status').innerText(), (message) => message !== '', 'the form to answer');
    expect(await options.locator('form').getByRole('status').innerText()).not.toBe('Saved.');
    expect(leaks((await options.textContent('body')) ?? ''), 'the refusal').toEqual([]);
    await saveSettings(options, database, couch.member.password);
    // A highlight with a note, so browser sync and the server carry something.
    await openLesson(lesson, HOSTILE_LESSON, site.lessonUrl(HOSTILE_LESSON));
    await addNote(lesson, lessonText.passages['html-entities'], '密码不该出现在这里');

    // The server fails: an error whose text is itself hostile, then no server at all, then a wrong password.
    couch.injectFault({ match: () => true, fault: { type: 'status', status: 500, body: { error: 'boom', reason: text('img-onerror') } }, times: 1_000 });
    const failing = await syncAndWaitFor(options, /had a problem/, 'the server error in the status');
    expect(failing, "the server's own words, as text").toContain(text('img-onerror'));
    await expectNothingRan(options, null, 'the options page showing a hostile server error');
    const popup = await openExtensionPage('popup.html');
    await expectNothingRan(popup, null, 'the popup with a hostile server error');
    await popup.close();
    couch.clearFaults();
    await couch.stop();
    await syncAndWaitFor(options, /Cannot reach the server/, 'the server unreachable');
    await couch.start();
    await saveSettings(options, database, wrongPassword);
    await syncAndWaitFor(options, /refused the user name or password/, 'the wrong password refused');

    // (a) storage.sync, read from one of our pages: no settings, and none of the password in what it carries.
    const syncItems = await pollUntil(options, () => options.evaluate(() => chrome.storage.sync.get(null)), (items) => Object.keys(items).some(isOwnKey), 'browser sync to write', 20_000);
    expect(Object.keys(syncItems).filter((key) => key.startsWith('serverSync'))).toEqual([]);
    const carried = (await Promise.all(Object.entries(syncItems).filter(([key]) => isOwnKey(key)).map(([, value]) => decodeItem(value)))).map((item) => item.json).join('\n');
    expect(carried, 'browser sync carried the note').toContain('密码不该出现在这里');
    expect(leaks(`${JSON.stringify(syncItems)}\n${carried}`), 'storage.sync').toEqual([]);

    // (b) The content script's own world cannot read storage.local, where the password is kept.
    const cdp = await browser.context.newCDPSession(lesson);
    const worlds: Array<{ id: number; origin: string; auxData?: { type?: string } }> = [];
    cdp.on('Runtime.executionContextCreated', ({ context }) => worlds.push(context));
    await cdp.send('Runtime.enable');
    const ours = worlds.filter((world) => world.origin === `chrome-extension://${browser.extensionId}` && world.auxData?.type === 'isolated').at(-1);
    if (!ours) throw new Error("No world of our content script on the lesson page");
    const readLocal = `chrome.storage.local.get(null).then((items) => JSON.stringify(items), (error) => 'refused: ' + error.message)`;
    const { result } = (await cdp.send('Runtime.evaluate', { expression: readLocal, contextId: ours.id, awaitPromise: true, returnByValue: true })) as { result: { value?: string } };
    expect(result.value, 'what the content script gets from storage.local').toMatch(/^refused: /);
    expect(leaks(result.value ?? ''), 'the content script').toEqual([]);
    const askForSettings = `Promise.all([{ type: 'getServerSettings' }, { type: 'listAnnotations' }, { type: 'countLibrary' }].map((message) => chrome.runtime.sendMessage(message))).then((answers) => JSON.stringify(answers))`;
    const asked = (await cdp.send('Runtime.evaluate', { expression: askForSettings, contextId: ours.id, awaitPromise: true, returnByValue: true })) as { result: { value?: string } };
    expect(asked.result.value, 'the background answered the content script').toContain('"ok":true');
    expect(leaks(asked.result.value ?? ''), "the background's answers to the content script").toEqual([]);
    await cdp.detach();

    // (c) No console line of any page or of the service worker, through all those failures.
    // (Both are listened to: a line each of them prints is heard.)
    await browser.serviceWorker.evaluate(() => console.warn('control line from the service worker'));
    await options.evaluate(() => console.warn('control line from the options page'));
    await pollUntil(options, async () => consoleLines.join('\n'), (lines) => /control line from the service worker/.test(lines) && /control line from the options page/.test(lines), 'the control lines');
    expect(leaks(consoleLines.join('\n')), 'console lines').toEqual([]);

    // (d) The exports.
    const library = await openExtensionPage('library.html');
    await library.getByRole('main').getByRole('listitem').first().waitFor();
    for (const item of [/Everything as Markdown/, /JSON-LD/]) {
      await library.getByRole('button', { name: 'Export' }).click();
      const started = library.waitForEvent('download');
      await library.getByRole('menuitem', { name: item }).click();
      const exported = await readFile((await (await started).path())!, 'utf8');
      expect(exported, `${item} export holds the note`).toContain('密码不该出现在这里');
      expect(leaks(exported), `${item} export`).toEqual([]);
    }
    await library.close();
    await options.close();
  });

  it("is not even named in the production build's content script", async () => {
    // The loader and the lesson code it imports on lesson pages, which runs in the same world.
    const files = await lessonPageScripts(PRODUCTION_EXTENSION_DIR);
    const bundle = (await Promise.all(files.map((file) => readFile(file, 'utf8')))).join('\n');
    for (const key of Object.values(SERVER_SYNC_KEYS)) expect(bundle, `the key ${key}`).not.toContain(key);
    expect(bundle).not.toMatch(/serverSync:/);
  });
});
