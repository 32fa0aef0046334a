/**
 * End-to-end harness: the extension built with test hooks
 * (.output/test/chrome-mv3, scripts/build-test.mjs) in Debian's
 * Chromium, driven by playwright-core, against the local imitation of the
 * lesson page. `time.geekbang.org` resolves to 127.0.0.1, so the extension's
 * real match pattern is exercised.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startLessonSite, type LessonSite } from '../fixtures/lesson-site/server.mjs';
import { chromium, type BrowserContext, type Locator, type Page, type Worker } from 'playwright-core';

/**
 * The build with test hooks (its page UI's shadow root is open, run-time
 * permissions granted); `LH_EXTENSION_DIR` points elsewhere (e.g. a copy
 * while another build runs).
 */
export const EXTENSION_DIR = resolve(process.env.LH_EXTENSION_DIR ?? '.output/test/chrome-mv3');
/** The production build, exactly what a reader installs (`npm run build`). */
export const PRODUCTION_EXTENSION_DIR = resolve(process.env.LH_PRODUCTION_EXTENSION_DIR ?? '.output/chrome-mv3');
const CHROMIUM_PATHS = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'];

/**
 * Chromium's flags for every test and bench browser: headless on a shared
 * machine, nothing fetched from the network, and time.geekbang.org served
 * by the local imitation of the site.
 */
/**
 * The script files a lesson page gets from the built extension in `dir`: the
 * content scripts its manifest lists, and the lesson code they import
 * (`lesson.js`, web-accessible), which runs in the same isolated world.
 */
export async function lessonPageScripts(dir: string): Promise<string[]> {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { content_scripts?: Array<{ js?: string[] }> };
  const listed = (manifest.content_scripts ?? []).flatMap((entry) => entry.js ?? []);
  if (listed.length === 0) throw new Error(`no content script in ${dir}/manifest.json`);
  return [...listed, 'lesson.js'].map((file) => join(dir, file));
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP time.geekbang.org 127.0.0.1',
] as const;

/** A running browser profile with the extension loaded. */
export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  serviceWorker: Worker;
  userDataDir: string;
  close(options?: { keepProfile?: boolean }): Promise<void>;
}

export interface LaunchOptions {
  /** Reuse a profile (to test what survives a browser restart). */
  userDataDir?: string;
  viewport?: { width: number; height: number };
  locale?: string;
  /** Another build (default {@link EXTENSION_DIR}). */
  extensionDir?: string;
}

/** Starts Chromium with the built extension and waits for its service worker. */
export async function launchWithExtension(options: LaunchOptions = {}): Promise<ExtensionBrowser> {
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    const command = extensionDir === PRODUCTION_EXTENSION_DIR ? 'npm run build' : 'npm run build:test';
    throw new Error(`No built extension at ${extensionDir}: run "${command}" first.`);
  }
  const executablePath = CHROMIUM_PATHS.find((path) => existsSync(path));
  if (!executablePath) throw new Error('Debian chromium is not installed: apt-get install -y chromium');
  const userDataDir = options.userDataDir ?? (await mkdtemp(join(tmpdir(), 'lh-e2e-')));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    viewport: options.viewport ?? { width: 1440, height: 900 },
    locale: options.locale ?? 'en-US',
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      ...CHROMIUM_ARGS,
      `--lang=${options.locale ?? 'en-US'}`,
    ],
  });
  const serviceWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(serviceWorker.url()).host;
  return {
    context,
    extensionId,
    serviceWorker,
    userDataDir,
    async close({ keepProfile = false } = {}) {
      await context.close();
      if (!keepProfile && !options.userDataDir) await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** A painted highlight as the page sees it: its registry name and text. */
export interface PaintedHighlight {
  name: string;
  text: string;
}

/** Every highlight painted through `CSS.highlights` (the public test contract). */
export async function paintedHighlights(page: Page): Promise<PaintedHighlight[]> {
  const painted = await page.evaluate(collectPainted);
  return painted.map(({ name, text }) => ({ name, text }));
}

/** Waits until the painted highlights' texts equal `expected` (in any order). */
export async function waitForHighlights(page: Page, expected: string[], timeoutMs = 10_000): Promise<PaintedHighlight[]> {
  const want = [...expected].map(squash).sort();
  const deadline = Date.now() + timeoutMs;
  let last: PaintedHighlight[] = [];
  while (Date.now() < deadline) {
    last = await paintedHighlights(page);
    const have = last.map((h) => squash(h.text)).sort();
    if (JSON.stringify(have) === JSON.stringify(want)) return last;
    await page.waitForTimeout(100);
  }
  throw new Error(`Expected highlights ${JSON.stringify(want)}, page shows ${JSON.stringify(last.map((h) => h.text))}`);
}

/** Collapses whitespace, as the anchoring text does. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Where the lesson's selectable text lives (desktop and mobile layouts). */
export const LESSON_TEXT_ROOTS = '[class*="Index_articleContent_"], [class*="Index_articleColumn_"]';

/** What {@link textSelectionPoints} looks for: the `occurrence`-th `text` inside `root`. */
export interface TextQuery {
  text: string;
  root: string;
  occurrence: number;
}

/** Viewport points on the first and last character of a text, for a mouse drag. */
export interface SelectionPoints {
  start: { x: number; y: number };
  end: { x: number; y: number };
}

/**
 * Runs in the page (passed whole to `page.evaluate`, so it uses nothing from
 * outside; shared with the Firefox harness): scrolls the text into view and
 * returns where a drag across it starts and ends.
 */
export function textSelectionPoints({ text, root, occurrence }: TextQuery): SelectionPoints {
  const container = document.querySelector(root);
  if (!container) throw new Error(`No element ${root}`);
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  const chars: Array<{ node: Text; offset: number }> = [];
  let flat = '';
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    const hidden = node.parentElement?.closest('button, [class*="lineNumber" i], [aria-hidden="true"]');
    if (hidden) continue;
    for (let i = 0; i < node.data.length; i++) {
      if (/\s/.test(node.data[i]!)) continue;
      chars.push({ node, offset: i });
      flat += node.data[i];
    }
  }
  const needle = text.replace(/\s+/g, '');
  let at = -1;
  for (let n = 0; n <= occurrence; n++) at = flat.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`Text not found on page: ${text}`);
  const rectOf = (index: number) => {
    const { node, offset } = chars[index]!;
    const range = document.createRange();
    range.setStart(node, offset);
    range.setEnd(node, offset + 1);
    return range.getBoundingClientRect();
  };
  chars[at]!.node.parentElement?.scrollIntoView({ block: 'center' });
  const first = rectOf(at);
  const last = rectOf(at + needle.length - 1);
  return {
    start: { x: first.left + 1, y: first.top + first.height / 2 },
    end: { x: last.right - 1, y: last.top + last.height / 2 },
  };
}

/**
 * Selects the `occurrence`-th appearance of `text` inside `rootSelector` by
 * dragging the mouse across it, as a reader would. The text may span inline
 * elements and blocks; whitespace is matched loosely.
 */
export async function selectTextByMouse(page: Page, text: string, options: { root?: string; occurrence?: number } = {}): Promise<void> {
  const points = await page.evaluate(textSelectionPoints, {
    text,
    root: options.root ?? LESSON_TEXT_ROOTS,
    occurrence: options.occurrence ?? 0,
  });
  await page.mouse.move(points.start.x, points.start.y);
  await page.mouse.down();
  await page.mouse.move((points.start.x + points.end.x) / 2, (points.start.y + points.end.y) / 2, { steps: 4 });
  await page.mouse.move(points.end.x, points.end.y, { steps: 4 });
  await page.mouse.up();
}

/** Clicks the middle of the first painted highlight whose text contains `text`. */
export async function clickHighlight(page: Page, text: string): Promise<void> {
  const painted = await page.evaluate(collectPainted);
  const target = painted.find((highlight) => highlight.text.replace(/\s+/g, '').includes(text.replace(/\s+/g, '')));
  if (!target?.firstRect) throw new Error(`No painted highlight contains ${text}`);
  const rect = target.firstRect;
  await page.mouse.click(rect.left + Math.min(rect.width / 2, 20), rect.top + rect.height / 2);
}

/**
 * A painted highlight with where it sits. One highlight may be painted as
 * several ranges (split around line numbers); `CSS.highlights` does not say
 * which ranges belong together, so same-color ranges separated only by
 * whitespace or non-text (gutters, buttons) are taken as one highlight. Two
 * distinct same-color highlights that touch or overlap would be read as one.
 */
export interface PlacedHighlight extends PaintedHighlight {
  /** Viewport top of the highlight (its first line). */
  top: number;
  /** Every range is in the live document and holds text (not a node the page threw away). */
  connected: boolean;
  /** Text of the block (paragraph, line, comment) the highlight starts in. */
  blockText: string;
  /** The first visible rectangle of the highlight, viewport coordinates. */
  firstRect: { left: number; top: number; width: number; height: number } | null;
  /** How many ranges paint it. */
  rangeCount: number;
}

/**
 * Runs in the page (passed whole to `page.evaluate`, so it uses nothing from
 * outside; shared with the Firefox harness): our `CSS.highlights` entries,
 * grouped into highlights.
 */
export function collectPainted(): PlacedHighlight[] {
  const NOT_TEXT = 'button, [contenteditable="false"], [aria-hidden="true"], [class*="lineNumber" i], [class*="line-number" i]';
  /** True when the document between two boundary points holds no lesson character. */
  const onlyGapBetween = (from: Range, to: Range): boolean => {
    if (to.compareBoundaryPoints(Range.START_TO_END, from) <= 0) return true; // touching or overlapping
    const gap = document.createRange();
    gap.setStart(from.endContainer, from.endOffset);
    gap.setEnd(to.startContainer, to.startOffset);
    const root = gap.commonAncestorContainer;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = root.nodeType === Node.TEXT_NODE ? (root as Text) : (walker.nextNode() as Text | null); node; node = walker.nextNode() as Text | null) {
      if (!gap.intersectsNode(node) || node.parentElement?.closest(NOT_TEXT)) continue;
      const start = node === gap.startContainer ? gap.startOffset : 0;
      const end = node === gap.endContainer ? gap.endOffset : node.data.length;
      if (/\S/.test(node.data.slice(start, end).replace(/\uFEFF/g, ''))) return false;
      if (root === node) break;
    }
    return true;
  };
  const groups: Array<{ name: string; ranges: Range[] }> = [];
  CSS.highlights.forEach((highlight, name) => {
    if (!name.startsWith('lesson-highlight') || name.endsWith('-focus')) return;
    const ranges = [...highlight].map((item) => item as Range);
    ranges.sort((a, b) => a.compareBoundaryPoints(Range.START_TO_START, b));
    for (const range of ranges) {
      const last = groups[groups.length - 1];
      const lastRange = last?.ranges[last.ranges.length - 1];
      if (last && last.name === name && lastRange && range.toString() !== '' && lastRange.toString() !== '' && onlyGapBetween(lastRange, range)) {
        last.ranges.push(range);
      } else {
        groups.push({ name, ranges: [range] });
      }
    }
  });
  return groups.map(({ name, ranges }) => {
    const first = ranges[0]!;
    const start = first.startContainer;
    const element = start instanceof Element ? start : start.parentElement;
    const block = element?.closest('[data-slate-object="block"], p, li, h1, h2, h3, [class*="CommentItem_content_"]');
    const rect = ranges.flatMap((range) => [...range.getClientRects()]).find((box) => box.width > 0 && box.height > 0);
    return {
      name,
      text: ranges.map((range) => range.toString()).join(''),
      top: first.getBoundingClientRect().top,
      connected: ranges.every((range) => range.startContainer.isConnected && range.endContainer.isConnected && !range.collapsed),
      blockText: block?.textContent ?? '',
      firstRect: rect ? { left: rect.left, top: rect.top, width: rect.width, height: rect.height } : null,
      rangeCount: ranges.length,
    };
  });
}

// ---------------------------------------------------------------------------
// Helpers for the core suites (highlight, navigation, edited lessons, page
// coexistence). They only use what a reader (or the page) can see: the page's
// DOM, `CSS.highlights`, and our toolbar through its accessible roles.
// ---------------------------------------------------------------------------

/** Text with all whitespace removed: how painted text is compared (blocks add none, code adds tabs). */
export function compact(text: string): string {
  return text.replace(/\s+/g, '');
}

/** Name of the extension's IndexedDB database (storage/db.ts). */
const DB_NAME = 'lesson-highlighter';

/**
 * Forgets every stored highlight, so a test starts from an empty library.
 * Clears the table from the service worker with plain IndexedDB (Dexie keeps
 * its own connection open; clearing a store needs no version change).
 */
export async function resetHighlights(browser: ExtensionBrowser): Promise<void> {
  const worker = browser.context.serviceWorkers()[0] ?? (await browser.context.waitForEvent('serviceworker'));
  // A browser sync pass that read the database before it was cleared may
  // still write what it read to storage.sync, and the next pass would merge
  // it back (absence is never a deletion): clear again until the sync area
  // and the database have both stayed empty for a moment.
  for (let attempt = 0; attempt < 10; attempt++) {
    const wasEmpty = await worker.evaluate(clearSyncAndDatabase, DB_NAME);
    if (wasEmpty && attempt > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error('resetHighlights: the database kept filling up again');
}

/** Empties storage.sync and every store of the database `name`; answers whether both held no highlights already. Runs in the service worker. */
async function clearSyncAndDatabase(name: string): Promise<boolean> {
  const sync = (globalThis as unknown as { chrome: { storage: { sync: { get(): Promise<object>; clear(): Promise<void> } } } }).chrome.storage.sync;
  let empty = Object.keys(await sync.get()).length === 0;
  await sync.clear();
  const databases = await indexedDB.databases();
  if (!databases.some((database) => database.name === name)) return empty;
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    for (const store of db.objectStoreNames) {
      await new Promise<void>((resolve, reject) => {
        const transaction = db.transaction(store, 'readwrite');
        const count = transaction.objectStore(store).count();
        count.onsuccess = () => {
          // The sync state (replica id, clock, counter) is cleared too, but is not what comes back.
          if (count.result > 0 && store !== 'meta') empty = false;
          transaction.objectStore(store).clear();
        };
        transaction.oncomplete = () => resolve();
        transaction.onerror = () => reject(transaction.error);
      });
    }
  } finally {
    db.close();
  }
  return empty;
}

/** The page's record of what it did (`window.__fixture.log`), e.g. 'render:100001'. */
export function pageLog(page: Page): Promise<string[]> {
  return page.evaluate(() => [...(window as unknown as { __fixture: { log: string[] } }).__fixture.log]);
}

/** Waits until the page's log has `entry` (its own hooks, e.g. 'comments:100001'). */
export async function waitForPageLog(page: Page, entry: string, timeoutMs = 10_000): Promise<void> {
  await page.waitForFunction(
    (entry) => (window as unknown as { __fixture?: { log: string[] } }).__fixture?.log.includes(entry) ?? false,
    entry,
    { timeout: timeoutMs, polling: 50 },
  );
}

/**
 * Opens (or reloads, when `url` is omitted) a lesson and waits until the page
 * has rendered it completely: body, title and 精选留言 comments.
 */
export async function openLesson(page: Page, lessonId: string, url?: string): Promise<void> {
  if (url) await page.goto(url);
  else await page.reload();
  await waitForPageLog(page, `comments:${lessonId}`);
}

/** Our selection toolbar (role toolbar "Highlight"), found through the shadow root. */
export function selectionToolbar(page: Page) {
  return page.getByRole('toolbar', { name: 'Highlight', exact: true });
}

/** The menu of a clicked highlight (role toolbar "Edit highlight"). */
export function highlightMenu(page: Page) {
  return page.getByRole('toolbar', { name: 'Edit highlight', exact: true });
}

export type ColorName = 'Yellow' | 'Green' | 'Blue' | 'Pink' | 'Purple';

/**
 * Selects `text` with the mouse and waits for our toolbar. The content script
 * starts listening only once the lesson has rendered and gives no signal that
 * it is ready, so a selection made in that instant is made again (a reader
 * would do the same); the toolbar must appear by the third try.
 */
export async function selectForHighlight(
  page: Page,
  text: string,
  options: { root?: string; occurrence?: number } = {},
): Promise<void> {
  const toolbar = selectionToolbar(page);
  for (let attempt = 1; ; attempt++) {
    await selectTextByMouse(page, text, options);
    try {
      await toolbar.waitFor({ state: 'visible', timeout: 2_000 });
      return;
    } catch (error) {
      if (attempt >= 3) throw new Error(`No "Highlight" toolbar after selecting: ${text}`, { cause: error });
    }
  }
}

/** Selects `text`, clicks `color` in our toolbar, and waits until the toolbar closes. */
export async function highlightText(
  page: Page,
  text: string,
  color: ColorName = 'Yellow',
  options: { root?: string; occurrence?: number } = {},
): Promise<void> {
  await selectForHighlight(page, text, options);
  await selectionToolbar(page).getByRole('button', { name: color, exact: true }).click();
  await selectionToolbar(page).waitFor({ state: 'hidden' });
}

/** Every painted highlight, with where it sits (see {@link PlacedHighlight}). */
export function placedHighlights(page: Page): Promise<PlacedHighlight[]> {
  return page.evaluate(collectPainted);
}

/**
 * Waits until the painted highlights are exactly `expected`, as name and text
 * (whitespace ignored), e.g. `[{ name: 'lesson-highlight-blue', text }]`.
 */
export async function waitForPainted(
  page: Page,
  expected: Array<{ name: string; text: string }>,
  timeoutMs = 10_000,
): Promise<PaintedHighlight[]> {
  const key = (items: Array<{ name: string; text: string }>) =>
    JSON.stringify(items.map((item) => `${item.name}|${compact(item.text)}`).sort());
  const want = key(expected);
  const deadline = Date.now() + timeoutMs;
  let last: PaintedHighlight[] = [];
  while (Date.now() < deadline) {
    last = await paintedHighlights(page);
    if (key(last) === want) return last;
    await page.waitForTimeout(100);
  }
  throw new Error(`Expected painted ${want}, page shows ${key(last)}`);
}

/** Polls `read` until `accept` holds (returns its last value), or throws with the last value seen. */
export async function pollUntil<T>(
  page: Page,
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!accept(last)) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    await page.waitForTimeout(100);
    last = await read();
  }
  return last;
}

/**
 * Checks that `accept` keeps holding for `durationMs` (polling): how a test
 * asserts that something does NOT happen (no toolbar, no switch).
 */
export async function holdsFor<T>(
  page: Page,
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  durationMs = 800,
): Promise<void> {
  const deadline = Date.now() + durationMs;
  do {
    const value = await read();
    if (!accept(value)) throw new Error(`Expected ${what}, but saw: ${JSON.stringify(value)}`);
    await page.waitForTimeout(50);
  } while (Date.now() < deadline);
}

/** The current lesson path (`location.pathname`) as the page sees it. */
export function pathname(page: Page): Promise<string> {
  return page.evaluate(() => location.pathname);
}

// ---------------------------------------------------------------------------
// Helpers for the margin-notes suite: the note editor and the cards, through
// their accessible roles, and what of them the reader can actually see.
// ---------------------------------------------------------------------------

/** The note editor's text box (role textbox "Note"), in a card or a panel. */
export function noteTextbox(page: Page | Locator): Locator {
  return page.getByRole('textbox', { name: 'Note', exact: true });
}

/** Notes shown on the page (role note: margin cards, or the note in a panel), optionally those containing `text`. */
export function noteCards(page: Page, text?: string): Locator {
  const notes = page.getByRole('note');
  return text === undefined ? notes : notes.filter({ hasText: text });
}

/**
 * Selects `text`, picks "Add note" in our toolbar, writes `note` (typed key
 * by key, or pasted in one go with `fill`) and closes the editor with Esc,
 * which saves what was written.
 */
export async function addNote(
  page: Page,
  text: string,
  note: string,
  options: { occurrence?: number; fill?: boolean } = {},
): Promise<void> {
  await selectForHighlight(page, text, { occurrence: options.occurrence });
  await selectionToolbar(page).getByRole('button', { name: 'Add note', exact: true }).click();
  const editor = noteTextbox(page);
  await editor.waitFor({ state: 'visible' });
  if (options.fill) await editor.fill(note);
  else await editor.pressSequentially(note);
  await editor.press('Escape');
  await editor.waitFor({ state: 'hidden' });
}

/** Waits until the open note is stored: the editor says "Saved", or it has closed. */
export async function waitForNoteStored(page: Page, timeoutMs = 5_000): Promise<void> {
  const saved = page.getByRole('status').filter({ hasText: /^Saved$/ }).first();
  await pollUntil(
    page,
    async () => (await noteTextbox(page).count()) === 0 || (await saved.isVisible()),
    Boolean,
    'the note to be saved',
    timeoutMs,
  );
}

/** Viewport top of the first line of the painted highlight that contains `text`. */
export async function highlightTop(page: Page, text: string): Promise<number> {
  const target = (await placedHighlights(page)).find((highlight) => compact(highlight.text).includes(compact(text)));
  if (!target?.firstRect) throw new Error(`No painted highlight contains ${text}`);
  return target.firstRect.top;
}

/**
 * How many of nine points spread over an element show that element to the
 * reader (`elementFromPoint` in its own document or shadow root): 0 when it
 * is clipped away, covered or off screen.
 */
export function visiblePoints(locator: Locator): Promise<number> {
  return locator.evaluate((element) => {
    const root = element.getRootNode() as Document | ShadowRoot;
    const rect = element.getBoundingClientRect();
    let seen = 0;
    for (const fx of [0.1, 0.5, 0.9]) {
      for (const fy of [0.1, 0.5, 0.9]) {
        const hit = root.elementFromPoint(rect.left + rect.width * fx, rect.top + rect.height * fy);
        if (hit && element.contains(hit)) seen++;
      }
    }
    return seen;
  });
}

/** Texts of the ranges in our emphasis highlight (`lesson-highlight-focus`): what hovering a note lights up. */
export function focusedTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => [...(CSS.highlights.get('lesson-highlight-focus') ?? [])].map((range) => (range as Range).toString()));
}

/** The lesson site, a browser with the extension, and one page, as a test file shares them. */
export interface LessonSession {
  site: LessonSite;
  browser: ExtensionBrowser;
  page: Page;
}

/**
 * Registers the usual hooks of an end-to-end file: start the lesson site and
 * a browser with one page before all tests, clear every highlight before each
 * test, close both after. The returned object is filled in by `beforeAll`.
 * With `freshPages`, every page is closed before each test too (the test opens
 * its own lesson, popup or library tabs; `session.page` is not used then).
 */
export function useLessonSession(options: { renderDelayMs?: number; freshPages?: boolean } = {}): LessonSession {
  const session = {} as LessonSession;
  beforeAll(async () => {
    session.site = await startLessonSite({ renderDelayMs: options.renderDelayMs ?? 150 });
    session.browser = await launchWithExtension();
    session.page = await session.browser.context.newPage();
  });
  afterAll(async () => {
    await session.browser?.close();
    await session.site?.close();
  });
  beforeEach(async () => {
    await resetHighlights(session.browser);
    if (options.freshPages) for (const page of session.browser.context.pages()) await page.close();
  });
  return session;
}
