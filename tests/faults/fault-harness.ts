/**
 * How the fault tests break things and look at what is left: stop the
 * extension's service worker through the DevTools protocol, SIGKILL the whole
 * browser, send requests from an extension page as the popup does, read the
 * extension's IndexedDB raw (not through the code under test), and read what
 * the lesson page paints.
 */
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Request } from '../../storage/protocol';
import { compact, type ExtensionBrowser } from '../e2e/harness';
import type { DatabaseDump } from './record-shape';

/** The extension APIs used inside our extension pages. */
declare const chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } };

/** Name of the extension's IndexedDB database (storage/db.ts). */
const DB_NAME = 'lesson-highlighter';

/** What a request got back: acknowledged (a reply with ok), or not, with why. */
export type Outcome = { acknowledged: true; value: unknown } | { acknowledged: false; reason: string };

/** Opens one of our extension pages, which may message the background as the popup does. */
export async function openExtensionPage(browser: ExtensionBrowser, path = 'popup.html'): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/${path}`);
  return page;
}

/**
 * Sends one request from `page` with `chrome.runtime.sendMessage`, as the
 * popup does. A failed send (the worker was stopped under it) or an answer
 * without ok is not acknowledged. Rejects only when the page itself is gone.
 */
export function sendFromPage(page: Page, request: Request): Promise<Outcome> {
  return page.evaluate(async (request) => {
    try {
      const reply = (await chrome.runtime.sendMessage(request)) as { ok?: boolean; value?: unknown; error?: string } | undefined;
      if (reply?.ok === true) return { acknowledged: true as const, value: reply.value };
      return { acknowledged: false as const, reason: reply?.error ?? 'no answer' };
    } catch (error) {
      return { acknowledged: false as const, reason: String(error) };
    }
  }, request);
}

/** Stops the extension's service worker on demand, as the browser may at any moment. */
export interface WorkerStopper {
  /**
   * Stops it (`ServiceWorker.stopAllWorkers`) and waits until it has stopped.
   * Answers whether it was running (or starting) — only then was a fault injected.
   */
  stop(): Promise<boolean>;
}

/**
 * A DevTools session on one of our extension pages, watching the worker's
 * running status. Playwright's persistent contexts have no browser-level CDP
 * session (`context.browser()` is null), but a page session's ServiceWorker
 * domain reaches every worker of the profile's storage partition, ours included.
 */
export async function workerStopper(page: Page, extensionId: string): Promise<WorkerStopper> {
  const session = await page.context().newCDPSession(page);
  const prefix = `chrome-extension://${extensionId}/`;
  let status = 'unknown';
  // Counted, not just read: a message waiting for the worker starts it again at once.
  let stops = 0;
  session.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const version of versions) {
      if (!version.scriptURL.startsWith(prefix)) continue;
      if (version.runningStatus === 'stopped' && status !== 'stopped') stops += 1;
      status = version.runningStatus;
    }
  });
  await session.send('ServiceWorker.enable');
  return {
    async stop() {
      const wasRunning = status === 'running' || status === 'starting';
      const before = stops;
      await session.send('ServiceWorker.stopAllWorkers');
      const deadline = Date.now() + 5_000;
      while (wasRunning && stops === before) {
        if (Date.now() > deadline) throw new Error(`The service worker did not stop (status ${status})`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return wasRunning;
    },
  };
}

/**
 * The browser's process id, from the profile's `SingletonLock` symlink
 * (`<host>-<pid>`): Playwright does not expose the process of a persistent context.
 */
export function browserPid(userDataDir: string): number {
  const target = readlinkSync(join(userDataDir, 'SingletonLock'));
  const pid = Number(target.slice(target.lastIndexOf('-') + 1));
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`Cannot read a process id from SingletonLock → ${target}`);
  return pid;
}

/**
 * SIGKILLs the whole browser — its process group, which Playwright starts
 * Chromium as the leader of, so renderers and utility processes die at the
 * same instant — and waits until Playwright has noticed.
 */
export async function killBrowser(browser: ExtensionBrowser): Promise<void> {
  const pid = browserPid(browser.userDataDir);
  const closed = new Promise<void>((resolve) => browser.context.once('close', () => resolve()));
  try {
    process.kill(-pid, 'SIGKILL');
  } catch (error) {
    // Not a group leader (a launcher script in between): kill the browser process itself.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    process.kill(pid, 'SIGKILL');
  }
  await closed;
}

/**
 * The extension's database read raw, in one read-only transaction, from one
 * of our extension pages (same origin as the worker). Never creates it: a
 * database opened here before the worker made it would have no stores.
 */
export function readDatabase(page: Page): Promise<DatabaseDump> {
  return page.evaluate(async (name): Promise<DatabaseDump> => {
    const empty: DatabaseDump = { lessonRows: [], annotations: [], lessonNotes: [], meta: [] };
    if (!(await indexedDB.databases()).some((database) => database.name === name)) return empty;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onupgradeneeded = () => request.transaction?.abort();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      const stores = (['lessonRows', 'lessonNotes', 'meta'] as const).filter((store) => db.objectStoreNames.contains(store));
      if (stores.length === 0) return empty;
      const transaction = db.transaction(stores, 'readonly');
      const read = (store: string) =>
        new Promise<unknown[]>((resolve, reject) => {
          if (!stores.includes(store as (typeof stores)[number])) return resolve([]);
          const request = transaction.objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      const [lessonRows, lessonNotes, meta] = await Promise.all([read('lessonRows'), read('lessonNotes'), read('meta')]);
      const annotations = lessonRows.flatMap((row) => ((row as { records?: unknown }).records instanceof Array ? (row as { records: unknown[] }).records : []));
      return { lessonRows, annotations, lessonNotes, meta: meta as DatabaseDump['meta'] };
    } finally {
      db.close();
    }
  }, DB_NAME);
}

/**
 * What the lesson page paints, one entry per range: `<color>|<text without
 * whitespace>`, sorted. Unlike the harness's grouping, two highlights on the
 * same text count twice, so every stored highlight must show.
 */
export function paintedRanges(page: Page): Promise<string[]> {
  return page
    .evaluate(() => {
      const painted: Array<[string, string]> = [];
      CSS.highlights.forEach((highlight, name) => {
        const color = /^lesson-highlight-(yellow|green|blue|pink|purple)$/.exec(name)?.[1];
        if (color) for (const range of highlight) painted.push([color, (range as Range).toString()]);
      });
      return painted;
    })
    .then((painted) => painted.map(([color, text]) => `${color}|${compact(text)}`).sort());
}

/** The `paintedRanges` entries the live annotations of `lessonId` in `dump` should produce. */
export function expectedPaint(dump: DatabaseDump, lessonId: string): string[] {
  return (dump.annotations as Array<{ lesson: { lessonId: string }; deletedAt: number | null; color: string; target: { quote: { exact: string } } }>)
    .filter((record) => record.lesson.lessonId === lessonId && record.deletedAt === null)
    .map((record) => `${record.color}|${compact(record.target.quote.exact)}`)
    .sort();
}

/** A seeded random generator, so a failing run can be replayed with its seed. */
export { mulberry32 as seededRandom } from '../fixtures/random';

/** The seed of this run: `LH_FAULT_SEED`, or a fresh one (printed by the tests so it can be replayed). */
export function runSeed(): number {
  const given = Number(process.env.LH_FAULT_SEED);
  return Number.isInteger(given) && given > 0 ? given : Math.floor(Math.random() * 2 ** 31) + 1;
}
