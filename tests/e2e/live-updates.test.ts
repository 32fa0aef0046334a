/**
 * What one tab or the popup changes, every other tab of the lesson shows at
 * once, without a reload.
 */
import { beforeAll, describe, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { LessonSite } from '../fixtures/lesson-site/server.mjs';
import {
  highlightText,
  openLesson,
  waitForHighlights,
  type ExtensionBrowser,
  useLessonSession,
} from './harness';

const LESSON = '100001';
const QUOTE = '几乎每个写过远程调用的工程师都处理过超时';

let site: LessonSite;
let browser: ExtensionBrowser;

const session = useLessonSession({ freshPages: true });
beforeAll(() => void ({ site, browser } = session));

async function lessonTab(): Promise<Page> {
  const page = await browser.context.newPage();
  await openLesson(page, LESSON, site.lessonUrl(LESSON));
  return page;
}

describe('two tabs of one lesson, and the popup', () => {
  it('a highlight made in one tab appears in the other without a reload, and a deletion in the popup leaves both', async () => {
    const first = await lessonTab();
    const second = await lessonTab();
    const navigations: string[] = [];
    second.on('framenavigated', (frame) => navigations.push(frame.url()));

    await first.bringToFront();
    await highlightText(first, QUOTE, 'Blue');
    await waitForHighlights(second, [QUOTE]);

    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await popup.getByRole('listitem').filter({ hasText: QUOTE }).getByRole('button', { name: 'Delete' }).click();
    await waitForHighlights(first, []);
    await waitForHighlights(second, []);
    if (navigations.length > 0) throw new Error(`The second tab reloaded: ${navigations.join(', ')}`);
  });
});
