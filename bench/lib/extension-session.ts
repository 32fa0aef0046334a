/**
 * The built extension under measurement: seeding highlights into its real
 * database, and timing a lesson opening from outside, with no product change.
 *
 * The timing probe is a main-world init script: a MutationObserver notes when
 * the lesson body appears; then a 1 ms timer loop watches `CSS.highlights`
 * (shared by the page and our isolated world) and notes when the number of
 * painted ranges changes, and the start of the next frame after each change.
 */
import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from '../../tests/e2e/harness';
import { COLUMN } from '../../tests/fixtures/lesson-site/lessons.mjs';
import type { LessonSite } from '../../tests/fixtures/lesson-site/server.mjs';
import { rowsOf } from '../../storage/annotation-rows';
import { DB_NAME } from '../../storage/db';
import { HIGHLIGHT_COLORS, LESSON_SITE, type Annotation, type AnnotationTarget } from '../../storage/model';
import type { GeneratedLesson } from '../generate-lesson';
import { createRandom } from '../generate/random';

interface ProbeChange {
  at: number;
  count: number;
  frame: number | null;
}

interface Probe {
  body: number | null;
  changes: ProbeChange[];
}

/**
 * Installed with `context.addInitScript({ content })`: runs before the page's
 * own scripts on every load. Plain script text, not a function: tsx wraps
 * named inner functions in a `__name` helper that does not exist in the page.
 */
export const PAINT_PROBE_SCRIPT = `(() => {
  const probe = { body: null, changes: [] };
  window.__paintProbe = probe;
  let last = 0;
  function painted() {
    let count = 0;
    CSS.highlights.forEach((highlight, name) => {
      if (name.startsWith('lesson-highlight') && !name.endsWith('-focus')) count += highlight.size;
    });
    return count;
  }
  function poll() {
    const count = painted();
    if (count !== last) {
      last = count;
      const change = { at: performance.now(), count, frame: null };
      probe.changes.push(change);
      requestAnimationFrame(() => { change.frame = performance.now(); });
    }
    if (performance.now() - probe.body < 20000) setTimeout(poll, 1);
  }
  new MutationObserver((records, observer) => {
    const body = document.querySelector('[class*="Index_articleContent_"] [data-slate-editor="true"]');
    if (!body || !body.textContent.trim()) return;
    probe.body = performance.now();
    observer.disconnect();
    poll();
  }).observe(document, { childList: true, subtree: true });
})();`;

/** Milliseconds from the lesson body appearing to the frame that shows `count` painted ranges. */
export async function timeLessonOpening(page: Page, url: string, count: number): Promise<{ painted: number; registered: number }> {
  await page.goto(url);
  await page.waitForFunction(
    (count) => {
      const probe = (window as unknown as { __paintProbe?: Probe }).__paintProbe;
      return probe?.changes.some((change) => change.count >= count && change.frame !== null) ?? false;
    },
    count,
    { timeout: 20_000, polling: 50 },
  );
  return page.evaluate((count) => {
    const probe = (window as unknown as { __paintProbe: Probe }).__paintProbe;
    const change = probe.changes.find((c) => c.count >= count)!;
    return { painted: change.frame! - probe.body!, registered: change.at - probe.body! };
  }, count);
}

/** Highlight records as the background stores them, for the given targets. */
export function annotationRecords(lesson: GeneratedLesson, site: LessonSite, targets: AnnotationTarget[]): Annotation[] {
  const random = createRandom(Number(lesson.spec.id));
  const now = Date.UTC(2026, 0, 1);
  return targets.map((target, i) => ({
    id: uuid(random),
    lesson: { site: LESSON_SITE, lessonId: lesson.spec.id, url: site.lessonUrl(lesson.spec.id), lessonTitle: lesson.title, courseTitle: COLUMN.title },
    target,
    color: HIGHLIGHT_COLORS[i % HIGHLIGHT_COLORS.length]!,
    note: '',
    tags: [],
    createdAt: now + i,
    updatedAt: now + i,
    deletedAt: null,
    anchorStatus: 'anchored',
  }));
}

/**
 * Replaces every stored highlight by `records`, writing the extension's
 * IndexedDB from its service worker (the database must exist: open a lesson
 * first, so the background has opened it).
 */
export async function seedAnnotations(browser: ExtensionBrowser, records: Annotation[]): Promise<void> {
  const worker = browser.context.serviceWorkers()[0] ?? (await browser.context.waitForEvent('serviceworker'));
  await worker.evaluate(
    async ({ name, rows }) => {
      const databases = await indexedDB.databases();
      if (!databases.some((database) => database.name === name)) throw new Error(`no ${name} database yet`);
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      try {
        await new Promise<void>((resolve, reject) => {
          const transaction = db.transaction('lessonRows', 'readwrite');
          const store = transaction.objectStore('lessonRows');
          store.clear();
          for (const row of rows) store.put(row);
          transaction.oncomplete = () => resolve();
          transaction.onerror = () => reject(transaction.error);
        });
      } finally {
        db.close();
      }
    },
    { name: DB_NAME, rows: rowsOf(records) },
  );
}

/** A version-4 UUID from the seeded generator (the storage layer validates ids as UUIDs). */
function uuid(random: ReturnType<typeof createRandom>): string {
  const hex = Array.from({ length: 32 }, () => random.int(0, 15).toString(16));
  hex[12] = '4';
  hex[16] = (8 + random.int(0, 3)).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
