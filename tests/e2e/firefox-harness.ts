/**
 * Firefox end-to-end harness (issue #7): the Firefox build
 * (.output/test/firefox-mv3, built with test hooks: scripts/build-test.mjs) in Debian's `firefox-esr`, driven over WebDriver BiDi
 * by puppeteer-core and installed as a temporary add-on (BiDi
 * `webExtension.install`), against the local imitation of the lesson site.
 * Firefox resolves `time.geekbang.org` to loopback (`network.dns.localDomains`),
 * so the add-on's real match pattern is exercised. Nothing downloads a
 * browser: without firefox-esr the tests fail and say how to install it.
 *
 * Our in-page UI is found inside its shadow root by role and label, as the
 * Chromium harness does with accessible roles.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { GECKO_ID } from '../../firefox-manifest';
import type { LessonSite } from '../fixtures/lesson-site/server.mjs';
import {
  collectPainted,
  compact,
  LESSON_TEXT_ROOTS,
  textSelectionPoints,
  type PaintedHighlight,
  type PlacedHighlight,
} from './harness';

/** The Firefox build; `LH_FIREFOX_EXTENSION_DIR` points elsewhere (e.g. a copy while another build runs). */
export const FIREFOX_EXTENSION_DIR = resolve(process.env.LH_FIREFOX_EXTENSION_DIR ?? '.output/test/firefox-mv3');
/** Where Debian's packages put Firefox. */
const FIREFOX_PATHS = ['/usr/bin/firefox-esr', '/usr/lib/firefox-esr/firefox-esr', '/usr/bin/firefox'];
/**
 * The moz-extension UUID our add-on gets in the test profile: Firefox picks a
 * random one per profile unless `extensions.webextensions.uuids` names it, and
 * the popup's URL needs it.
 */
export const EXTENSION_UUID = '5f0c8d1e-7a2b-4c3d-9e8f-1a2b3c4d5e6f';
const EXTENSION_ORIGIN = `moz-extension://${EXTENSION_UUID}`;
/** Our UI's host element (page/ui-host.ts `UI_HOST_TAG`; not imported, as that module brings the UI with it). */
const UI_HOST = 'lesson-highlighter-ui';

/** A running Firefox with the add-on installed. */
export interface FirefoxWithExtension {
  browser: Browser;
  /** What `webExtension.install` answered: the add-on id. */
  addonId: string;
  /** An extension page kept open to reach the extension's APIs (as the Chromium tests use the service worker). */
  extensionPage: Page;
  close(): Promise<void>;
}

/** The Firefox binary (`FIREFOX_PATH`, else Debian's), or an error that says how to get one: nothing here downloads a browser. */
function firefoxPath(): string {
  const chosen = process.env.FIREFOX_PATH;
  if (chosen) {
    if (!existsSync(chosen)) throw new Error(`FIREFOX_PATH is ${chosen}, which does not exist.`);
    return chosen;
  }
  const found = FIREFOX_PATHS.find((path) => existsSync(path));
  if (!found) throw new Error('Firefox is not installed: apt-get install -y firefox-esr (.ci/run installs it), or set FIREFOX_PATH.');
  return found;
}

/** Starts Firefox, installs the built add-on temporarily and opens one extension page. */
export async function launchFirefoxWithExtension(site: LessonSite): Promise<FirefoxWithExtension> {
  if (!existsSync(join(FIREFOX_EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No Firefox build at ${FIREFOX_EXTENSION_DIR}: run "npm run build:test:firefox" first.`);
  }
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    defaultViewport: { width: 1440, height: 900 },
    // Lets BiDi navigate a tab to a moz-extension:// page (the popup); without
    // it only web pages may be opened.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'network.dns.localDomains': 'time.geekbang.org',
      // The site listens on a random port; make sure Firefox's list of unsafe ports never blocks it.
      'network.security.ports.banned.override': String(site.port),
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
      'intl.locale.requested': 'en-US',
    },
  });
  try {
    const addonId = await browser.installExtension(FIREFOX_EXTENSION_DIR);
    const extensionPage = await openExtensionPage(browser, '/library.html');
    return { browser, addonId, extensionPage, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/**
 * Opens one of the add-on's pages (e.g. '/popup.html?tab=3') in a new tab.
 * Firefox loads extension pages in the extension process, and BiDi reports
 * no navigation for that switch, so `goto` would wait in vain: it is started
 * without waiting, and the page's own document is waited for instead.
 */
export async function openExtensionPage(browser: Browser, path: string): Promise<Page> {
  const page = await browser.newPage();
  const url = `${EXTENSION_ORIGIN}${path}`;
  // The navigation happens; only its report never comes, so the timeout this ends in is no news.
  page.goto(url).catch(() => undefined);
  await pollFor(
    () => page.evaluate(() => (document.readyState === 'complete' ? location.href : '')).catch(() => ''),
    (href) => href === url,
    `${url} to load`,
  );
  return page;
}

/** The extension APIs our extension pages see as the global `browser`. */
interface TabsApi {
  browser: { tabs: { query(query: object): Promise<Array<{ id?: number; url?: string }>> } };
}

/** The browser's id of the tab showing `page`, found by URL through the extension's tabs API. */
export async function tabIdOf(firefox: FirefoxWithExtension, page: Page): Promise<number> {
  const url = page.url();
  const id = await firefox.extensionPage.evaluate(async (url) => {
    const { browser } = globalThis as unknown as TabsApi;
    return (await browser.tabs.query({})).find((tab) => tab.url === url)?.id ?? null;
  }, url);
  if (id === null) throw new Error(`No tab shows ${url}`);
  return id;
}

/** Opens (or reloads, when `url` is omitted) a lesson and waits until the page has rendered it and its comments. */
export async function openLesson(page: Page, lessonId: string, url?: string): Promise<void> {
  if (url) await page.goto(url);
  else await page.reload();
  await page.waitForFunction(
    (entry) => (window as unknown as { __fixture?: { log: string[] } }).__fixture?.log.includes(entry) ?? false,
    { timeout: 10_000, polling: 50 },
    `comments:${lessonId}`,
  );
}

/** Polls `read` until `accept` holds, or throws with the last value seen. */
export async function pollFor<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!accept(last)) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    await new Promise((done) => setTimeout(done, 100));
    last = await read();
  }
  return last;
}

// ---------------------------------------------------------------------------
// Our in-page UI, inside the shadow root of <lesson-highlighter-ui>.
// ---------------------------------------------------------------------------

/** An element of our UI: `selector` inside our shadow root, and (when given) with exactly this text or label. */
export interface UiQuery {
  selector: string;
  name?: string;
}

/**
 * Runs in the page (passed whole to `waitForFunction`): the first visible
 * element of our UI that matches `query`, or null; with `gone`, whether
 * there is none.
 */
function findUi({ host, selector, name, gone }: UiQuery & { host: string; gone: boolean }): Element | boolean | null {
  const root = document.querySelector(host)?.shadowRoot;
  const matches = [...(root?.querySelectorAll(selector) ?? [])].filter(
    (element) => name === undefined || element.getAttribute('aria-label') === name || element.textContent?.trim() === name,
  );
  const found = matches.find((element) => element.checkVisibility()) ?? null;
  return gone ? found === null : found;
}

/** Waits until an element of our UI matching `query` is visible, and returns it. */
export async function waitForUi(page: Page, query: UiQuery, timeoutMs = 5_000): Promise<ElementHandle<Element>> {
  const handle = await page.waitForFunction(findUi, { timeout: timeoutMs, polling: 50 }, { host: UI_HOST, gone: false, ...query });
  const element = handle.asElement();
  if (!element) throw new Error(`Not an element: ${JSON.stringify(query)}`);
  return element as ElementHandle<Element>;
}

/** Waits until no visible element of our UI matches `query`. */
export async function waitForUiGone(page: Page, query: UiQuery, timeoutMs = 5_000): Promise<void> {
  await page.waitForFunction(findUi, { timeout: timeoutMs, polling: 50 }, { host: UI_HOST, gone: true, ...query });
}

/** Our selection toolbar (role toolbar "Highlight"). */
export const SELECTION_TOOLBAR: UiQuery = { selector: '[role="toolbar"][aria-label="Highlight"]' };

/** A button of the selection toolbar, by its label ("Yellow", "Add note"). */
export const toolbarButton = (name: string): UiQuery => ({ selector: '[role="toolbar"][aria-label="Highlight"] button', name });

/**
 * Selects `text` in the lesson by dragging the mouse across it, as a reader
 * would, and waits for our toolbar. The content script gives no signal that
 * it is listening, so a selection made too early is made again.
 */
export async function selectForHighlight(page: Page, text: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const points = await page.evaluate(textSelectionPoints, { text, root: LESSON_TEXT_ROOTS, occurrence: 0 });
    await page.mouse.move(points.start.x, points.start.y);
    await page.mouse.down();
    await page.mouse.move((points.start.x + points.end.x) / 2, (points.start.y + points.end.y) / 2, { steps: 4 });
    await page.mouse.move(points.end.x, points.end.y, { steps: 4 });
    await page.mouse.up();
    try {
      await waitForUi(page, SELECTION_TOOLBAR, 2_000);
      return;
    } catch (error) {
      if (attempt >= 3) throw new Error(`No "Highlight" toolbar after selecting: ${text}`, { cause: error });
    }
  }
}

// ---------------------------------------------------------------------------
// Painted highlights, as the page (and the reader) sees them.
// ---------------------------------------------------------------------------

/** Every painted highlight, with where it sits. */
export function placedHighlights(page: Page): Promise<PlacedHighlight[]> {
  return page.evaluate(collectPainted);
}

/** Waits until the painted highlights are exactly `expected`, as registry name and text (whitespace ignored). */
export async function waitForPainted(page: Page, expected: PaintedHighlight[], timeoutMs = 10_000): Promise<PlacedHighlight[]> {
  const key = (items: PaintedHighlight[]) => JSON.stringify(items.map((item) => `${item.name}|${compact(item.text)}`).sort());
  return pollFor(() => placedHighlights(page), (painted) => key(painted) === key(expected), `painted ${key(expected)}`, timeoutMs);
}

/** Scrolls the lesson (inside its own scroll container) so the highlight containing `text` sits near the top. */
export async function scrollHighlightIntoView(page: Page, text: string): Promise<void> {
  const target = (await placedHighlights(page)).find((highlight) => compact(highlight.text).includes(compact(text)));
  if (!target?.firstRect) throw new Error(`No painted highlight contains ${text}`);
  await page.evaluate((dy) => {
    const scroller = document.querySelector('.simplebar-content-wrapper');
    if (scroller) scroller.scrollTop += dy;
    else window.scrollBy(0, dy);
  }, target.firstRect.top - 300);
  await pollFor(
    async () => (await placedHighlights(page)).find((highlight) => compact(highlight.text).includes(compact(text)))?.firstRect?.top ?? -1,
    (top) => Math.abs(top - 300) < 4,
    `the highlight of "${text}" to scroll into view`,
  );
}

/** An RGB color. */
export type Rgb = [number, number, number];

/**
 * The color the reader sees behind the first line of the highlight that
 * contains `text`: the most frequent pixel of a screenshot of that line
 * (the glyphs are the minority). Proves paint, not just registration.
 */
export async function paintedBackground(page: Page, text: string): Promise<Rgb> {
  const target = (await placedHighlights(page)).find((highlight) => compact(highlight.text).includes(compact(text)));
  const rect = target?.firstRect;
  if (!rect) throw new Error(`No painted highlight contains ${text}`);
  const png = await page.screenshot({
    clip: { x: rect.left, y: rect.top, width: Math.max(1, rect.width), height: Math.max(1, rect.height) },
    encoding: 'base64',
  });
  // Decoded in the page: Node has no image decoder, the browser has one.
  return page.evaluate(async (png) => {
    const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${png}`)).blob());
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d')!;
    context.drawImage(bitmap, 0, 0);
    const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
    const counts = new Map<number, number>();
    for (let i = 0; i < data.length; i += 4) {
      const rgb = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
      counts.set(rgb, (counts.get(rgb) ?? 0) + 1);
    }
    const [mode] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    return [(mode >> 16) & 255, (mode >> 8) & 255, mode & 255] as [number, number, number];
  }, png);
}

/** What a translucent `rgba()` color looks like over white. */
export function overWhite(rgba: string): Rgb {
  const [r, g, b, a] = rgba.match(/[\d.]+/g)!.map(Number) as [number, number, number, number];
  return [r, g, b].map((channel) => Math.round(a * channel + (1 - a) * 255)) as Rgb;
}
