/** The browser's tabs, windows, badge and session storage, as `storage/tab-requests.ts` uses them. */
import { browser } from 'wxt/browser';
import type { ContentMessage } from '../../storage/protocol';
import type { PendingReveal, PendingReveals, TabInfo, TabsPort } from '../../storage/tab-requests';

/** Lesson pages on any port (the demo and tests serve the site locally). */
const LESSON_TABS = '*://time.geekbang.org/column/article/*';
/** A calm slate, readable in light and dark toolbars. */
const BADGE_COLOR = '#5b6b7f';

/** The real {@link TabsPort}. */
export function createTabsPort(): TabsPort {
  return {
    async lessonTabs() {
      // The host permission is enough to see these tabs' URLs; no "tabs" permission needed.
      const tabs = await browser.tabs.query({ url: LESSON_TABS });
      return tabs.flatMap((tab): TabInfo[] =>
        tab.id !== undefined && tab.url ? [{ id: tab.id, url: tab.url, windowId: tab.windowId ?? -1 }] : [],
      );
    },
    async focusTab(tab) {
      await browser.tabs.update(tab.id, { active: true });
      if (tab.windowId >= 0) await browser.windows.update(tab.windowId, { focused: true });
    },
    async openTab(url) {
      const tab = await browser.tabs.create({ url, active: true });
      if (tab.id === undefined) throw new Error(`The browser opened no tab for ${url}`);
      return tab.id;
    },
    async sendToTab(tabId, message: ContentMessage) {
      try {
        const reply: unknown = await browser.tabs.sendMessage(tabId, message);
        return reply === true;
      } catch {
        // No content script listening yet (the tab is still loading): the parked reveal covers it.
        return false;
      }
    },
    async setBadge(tabId, text) {
      await browser.action.setBadgeBackgroundColor({ tabId, color: BADGE_COLOR });
      await browser.action.setBadgeText({ tabId, text });
    },
    pendingReveals: sessionPendingReveals(),
  };
}

/** Parked reveals in `storage.session`: kept while the worker sleeps, gone when the browser closes. */
function sessionPendingReveals(): PendingReveals {
  const key = (tabId: number) => `pendingReveal:${tabId}`;
  return {
    async put(tabId, reveal) {
      await browser.storage.session.set({ [key(tabId)]: reveal });
    },
    async take(tabId) {
      const stored = await browser.storage.session.get(key(tabId));
      await browser.storage.session.remove(key(tabId));
      return asPendingReveal(stored[key(tabId)]);
    },
  };
}

function asPendingReveal(value: unknown): PendingReveal | null {
  if (typeof value !== 'object' || value === null) return null;
  if (!('annotationId' in value) || !('requestedAt' in value)) return null;
  const { annotationId, requestedAt } = value;
  return typeof annotationId === 'string' && typeof requestedAt === 'number' ? { annotationId, requestedAt } : null;
}
