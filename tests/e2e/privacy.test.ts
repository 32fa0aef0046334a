/**
 * Notes are not readable by the lesson page (issue #8). This suite runs the
 * **production** build — what a reader installs — where our page UI sits in
 * a closed shadow root. The reader highlights a sentence and writes a note
 * through that UI (driven from outside the page through the DevTools
 * protocol, which sees closed roots; Playwright's locators do not), while a
 * page-world script imitates a session-replay recorder: it records every DOM
 * mutation, attribute, message and shadow root it can reach from the start.
 * Neither it nor a search run afterwards finds the note, the annotation's id
 * or any other trace of what the reader wrote.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLessonSite, type LessonSite } from '../fixtures/lesson-site/server.mjs';
import {
  EXTENSION_DIR,
  PRODUCTION_EXTENSION_DIR,
  launchWithExtension,
  lessonPageScripts,
  openLesson,
  pollUntil,
  selectTextByMouse,
  waitForHighlights,
  type ExtensionBrowser,
} from './harness';

const LESSON = '100001';
const SENTENCE = '三方各自的判断都“合理”，合在一起却是一个错误的结果。';
/** Written by the reader; appears nowhere in the lesson. */
const NOTE = '私密笔记 secret-note-7f3a：复盘时要先问谁拍板';
const UI_HOST = 'LESSON-HIGHLIGHTER-UI';

/**
 * What a session-replay or analytics script does, installed before any other
 * script of the page: records added nodes, text and attribute changes, every
 * shadow root created in the page's world, and every window message.
 */
const RECORDER_SCRIPT = `(() => {
  const log = [];
  window.__replayLog = log;
  const attachShadow = Element.prototype.attachShadow;
  const roots = [];
  window.__replayRoots = roots;
  Element.prototype.attachShadow = function (init) {
    const root = attachShadow.call(this, init);
    roots.push(root);
    return root;
  };
  const record = (node) => {
    if (node.nodeType === 1) log.push(node.outerHTML);
    else log.push(String(node.textContent));
  };
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === 'childList') m.addedNodes.forEach(record);
      else if (m.type === 'characterData') log.push(String(m.target.textContent));
      else log.push(m.attributeName + '=' + String(m.target.getAttribute(m.attributeName)));
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  window.addEventListener('message', (event) => {
    try { log.push('message:' + JSON.stringify(event.data)); } catch { log.push('message:<unserialisable>'); }
  });
})();`;

/** Everything the page's own scripts can read of the document and its registries, as text. */
function pageReadableText(): { text: string; hostShadowRoot: boolean; replayRoots: number; highlightNames: string[] } {
  const parts: string[] = [document.documentElement.outerHTML];
  // Open shadow roots anywhere in the page, as recorders walk them.
  const walk = (root: ParentNode) => {
    for (const element of root.querySelectorAll('*')) {
      if (element.shadowRoot) {
        parts.push(element.shadowRoot.innerHTML);
        walk(element.shadowRoot);
      }
    }
  };
  walk(document);
  const win = window as unknown as { __replayLog: string[]; __replayRoots: ShadowRoot[] };
  for (const root of win.__replayRoots) parts.push(root.innerHTML);
  parts.push(...win.__replayLog);
  parts.push(document.body.innerText, JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage }), document.cookie);
  const highlightNames: string[] = [];
  for (const [name, highlight] of CSS.highlights) {
    highlightNames.push(name);
    for (const range of highlight) parts.push(name, range.toString());
  }
  const host = document.querySelector('lesson-highlighter-ui');
  return { text: parts.join('\n'), hostShadowRoot: host?.shadowRoot != null, replayRoots: win.__replayRoots.length, highlightNames };
}

interface CdpNode {
  nodeId: number;
  nodeName: string;
  children?: CdpNode[];
  shadowRoots?: CdpNode[];
}

/** Our UI's (closed) shadow root as the DevTools protocol sees it. */
async function closedUiRoot(cdp: CDPSession): Promise<CdpNode | null> {
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: CdpNode };
  const find = (node: CdpNode): CdpNode | null => {
    if (node.nodeName === UI_HOST) return node.shadowRoots?.[0] ?? null;
    for (const child of node.children ?? []) {
      const found = find(child);
      if (found) return found;
    }
    return null;
  };
  return find(root);
}

/** The markup inside our closed UI (DevTools' view, not the page's). */
async function closedUiHtml(cdp: CDPSession): Promise<string> {
  const root = await closedUiRoot(cdp);
  if (!root) return '';
  const { outerHTML } = (await cdp.send('DOM.getOuterHTML', { nodeId: root.nodeId })) as { outerHTML: string };
  return outerHTML;
}

/** Clicks the first element inside our closed UI that matches `selector` and contains `text`. */
async function clickInClosedUi(page: Page, cdp: CDPSession, selector: string, text: string): Promise<void> {
  const point = await pollUntil(
    page,
    async () => {
      const root = await closedUiRoot(cdp);
      if (!root) return null;
      const { nodeIds } = (await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector })) as { nodeIds: number[] };
      for (const nodeId of nodeIds) {
        const { outerHTML } = (await cdp.send('DOM.getOuterHTML', { nodeId })) as { outerHTML: string };
        if (!outerHTML.includes(text)) continue;
        const { model } = (await cdp.send('DOM.getBoxModel', { nodeId })) as { model: { content: number[] } };
        const [x1, y1, , , x3, y3] = model.content as [number, number, number, number, number, number];
        return { x: (x1 + x3) / 2, y: (y1 + y3) / 2 };
      }
      return null;
    },
    (found) => found !== null,
    `"${text}" in our UI`,
  );
  await page.mouse.click(point!.x, point!.y);
}

/**
 * Selects `text` and waits for our toolbar inside the closed root. As in the
 * harness's `selectForHighlight`, a selection made before the content script
 * listens is made again (up to three times), but never while the toolbar may
 * still be on its way: each try waits a few seconds first.
 */
async function selectForHighlightInClosedUi(page: Page, cdp: CDPSession, text: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await selectTextByMouse(page, text);
    try {
      await pollUntil(page, async () => (await closedUiHtml(cdp)).includes('role="toolbar"'), Boolean, 'our toolbar after selecting', 4_000);
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

let site: LessonSite;
let browser: ExtensionBrowser;

beforeAll(async () => {
  site = await startLessonSite({ renderDelayMs: 150 });
  browser = await launchWithExtension({ extensionDir: PRODUCTION_EXTENSION_DIR });
  await browser.context.addInitScript({ content: RECORDER_SCRIPT });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('production build: the lesson page cannot read what the reader wrote', () => {
  it('ships a closed shadow root and none of the test hooks', async () => {
    const production = await builtFiles(PRODUCTION_EXTENSION_DIR);
    const testBuild = await builtFiles(EXTENSION_DIR);
    // Booleans, not the bundles: a failure should not print 80 KB of code.
    expect(production.content.includes('attachShadow({mode:`closed`})'), 'production: closed root').toBe(true);
    expect(/mode:\s*[`'"]open/.test(production.content), 'production: no open root').toBe(false);
    // The comparison proves the check looks at the right thing.
    expect(testBuild.content.includes('attachShadow({mode:`open`})'), 'test build: open root').toBe(true);
    expect(production.manifest.permissions).not.toContain('downloads');
    expect(production.manifest.host_permissions).toEqual(['*://time.geekbang.org/*']);
    expect(testBuild.manifest.host_permissions).toContain('http://127.0.0.1/*');
  });

  it('a replay recorder and a search of the page find no note, no id, only the painted passage', async () => {
    const page = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(page);
    await openLesson(page, LESSON, site.lessonUrl(LESSON));

    // The reader's journey, through the closed UI: select, "Add note", type, Esc.
    await selectForHighlightInClosedUi(page, cdp, SENTENCE);
    await clickInClosedUi(page, cdp, 'button', 'Add note');
    await pollUntil(page, async () => (await closedUiHtml(cdp)).includes('<textarea'), Boolean, 'the note editor');
    await page.keyboard.type(NOTE);
    await page.keyboard.press('Escape');
    await waitForHighlights(page, [SENTENCE]);
    // The card really shows the note (inside the closed root)…
    await pollUntil(page, async () => (await closedUiHtml(cdp)).includes(NOTE) && !(await closedUiHtml(cdp)).includes('<textarea'), Boolean, 'the note card');
    const id = await storedAnnotationId(browser);

    // …and it survives a reload, so the page had every chance to look.
    await openLesson(page, LESSON);
    await waitForHighlights(page, [SENTENCE]);
    await pollUntil(page, async () => (await closedUiHtml(cdp)).includes(NOTE), Boolean, 'the note card after a reload');

    const seen = await page.evaluate(pageReadableText);
    expect(seen.hostShadowRoot).toBe(false);
    expect(seen.replayRoots).toBe(0);
    expect(seen.text).not.toContain('secret-note-7f3a');
    expect(seen.text).not.toContain('私密笔记');
    expect(seen.text).not.toContain(id);
    expect(seen.text).not.toContain('data-note-card');
    // What the page can learn: which passage is painted, in which colour (README "Privacy").
    expect(seen.highlightNames).toEqual(expect.arrayContaining(['lesson-highlight-yellow']));
    expect(seen.highlightNames.join()).not.toContain(id);
    await page.close();
  });
});

interface BuiltFiles {
  content: string;
  manifest: { permissions?: string[]; host_permissions?: string[] };
}

/** The code a lesson page gets: the content script (a loader) and the lesson code it imports. */
async function builtFiles(dir: string): Promise<BuiltFiles> {
  const files = await lessonPageScripts(dir);
  const content = (await Promise.all(files.map((file) => readFile(file, 'utf8')))).join('\n');
  return { content, manifest: JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) };
}

/** The id of the one stored annotation, read in the extension's own origin. */
async function storedAnnotationId(extension: ExtensionBrowser): Promise<string> {
  const ids = await extension.serviceWorker.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('lesson-highlighter');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('lessonRows').objectStore('lessonRows').getAll();
          request.onsuccess = () => resolve(request.result.flatMap((row: { ids: string[] }) => row.ids));
          request.onerror = () => reject(request.error);
        };
      }),
  );
  expect(ids).toHaveLength(1);
  return ids[0]!;
}
