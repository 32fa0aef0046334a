/**
 * The margin-notes bench's view of a lesson page (issue #3), from the main
 * world and with no product change: a probe that marks every change to the
 * note cards in the trace, waiting until the cards are placed and still,
 * where a card is on screen, and a scroll driver.
 *
 * Page-side code is plain script text: tsx wraps named functions (including
 * arrow functions assigned to consts) in a `__name` helper the page lacks.
 */
import type { Page } from 'playwright-core';

/** Our UI's shadow host (page/ui-host.ts `UI_HOST_TAG`; not imported: that module pulls in the Preact UI). */
const UI_HOST_TAG = 'lesson-highlighter-ui';

/** The lesson's scroll container on desktop (Simplebar's). */
export const SCROLLER = '.simplebar-content-wrapper';

/**
 * Installed with `context.addInitScript({ content })`. Watches our open
 * shadow root; after each batch of mutations that adds, removes or moves a
 * card (its inline `top`), sets a user-timing mark "lh-notes <cards> <moved>".
 * A MutationObserver runs at the microtask checkpoint right after the script
 * that mutated, so the mark falls inside that script's task in the trace.
 * Reading inline styles forces no layout.
 */
export const NOTES_PROBE_SCRIPT = `(() => {
  const probe = { count: 0, last: 0, changes: 0 };
  window.__notesProbe = probe;
  let tops = new Map();
  function watch(shadow) {
    new MutationObserver((records) => {
      const relevant = records.some((r) => r.type === 'childList' || (r.target.dataset && r.target.dataset.noteCard !== undefined));
      if (!relevant) return;
      const cards = shadow.querySelectorAll('[data-note-card]');
      const next = new Map();
      let moved = 0;
      for (const card of cards) {
        const id = card.dataset.noteCard;
        next.set(id, card.style.top);
        if (tops.get(id) !== card.style.top) moved++;
      }
      tops = next;
      probe.count = cards.length;
      probe.last = performance.now();
      probe.changes++;
      performance.mark('lh-notes ' + cards.length + ' ' + moved);
    }).observe(shadow, { childList: true, subtree: true, attributes: true, attributeFilter: ['style'] });
  }
  function findHost() {
    const host = document.querySelector('${UI_HOST_TAG}');
    if (host && host.shadowRoot) return watch(host.shadowRoot);
    setTimeout(findHost, 10);
  }
  findHost();
})();`;

interface ProbeState {
  count: number;
  last: number;
  changes: number;
}

/** A mark the probe set: how many cards there were, and how many moved (or appeared). */
export function parseMark(name: string): { cards: number; moved: number } | null {
  const match = /^lh-notes (\d+) (\d+)$/.exec(name);
  return match ? { cards: Number(match[1]), moved: Number(match[2]) } : null;
}

/**
 * Waits until at least one card is shown and none has changed for `quietMs`;
 * answers how many are shown. Only the cards near the screen are rendered,
 * so the count is what the margin settled on, not the number of notes.
 */
export async function waitForStillCards(page: Page, quietMs: number, timeoutMs = 30_000): Promise<number> {
  try {
    await page.waitForFunction(
      (quietMs) => {
        const probe = (window as unknown as { __notesProbe?: ProbeState }).__notesProbe;
        return probe !== undefined && probe.count > 0 && performance.now() - probe.last >= quietMs;
      },
      quietMs,
      { timeout: timeoutMs, polling: 50 },
    );
  } catch (error) {
    throw new Error('notes: no note cards settled in the margin', { cause: error });
  }
  return page.evaluate(() => (window as unknown as { __notesProbe: ProbeState }).__notesProbe.count);
}

/** Probe changes so far (to tell whether something moved the cards since). */
export function probeChanges(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __notesProbe: ProbeState }).__notesProbe.changes);
}

export interface CardsOnScreen {
  /** `margin-cards` or `margin-markers`. */
  mode: string;
  cards: number;
  /** Viewport top of the first card, and the lesson's scroll offset. */
  firstCardTop: number;
  scrollTop: number;
  maxScrollTop: number;
  cardWidth: number;
}

/** Where the cards are now (read once, between measurements). */
export function cardsOnScreen(page: Page): Promise<CardsOnScreen> {
  return page.evaluate(
    ({ tag, scroller }) => {
      const shadow = document.querySelector(tag)?.shadowRoot;
      const clip = shadow?.querySelector('.margin-clip');
      const cards = shadow ? [...shadow.querySelectorAll<HTMLElement>('[data-note-card]')] : [];
      const container = document.querySelector(scroller);
      if (!clip || !container) throw new Error('notes: no margin or no scroll container on the page');
      const first = cards[0]?.getBoundingClientRect();
      return {
        mode: [...clip.classList].find((name) => name.startsWith('margin-') && name !== 'margin-clip') ?? '',
        cards: cards.length,
        firstCardTop: first?.top ?? NaN,
        scrollTop: container.scrollTop,
        maxScrollTop: container.scrollHeight - container.clientHeight,
        cardWidth: first?.width ?? 0,
      };
    },
    { tag: UI_HOST_TAG, scroller: SCROLLER },
  );
}

/** Scrolls the lesson to `top` at once. */
export async function scrollLessonTo(page: Page, top: number): Promise<void> {
  await page.evaluate(({ scroller, top }) => (document.querySelector(scroller)!.scrollTop = top), { scroller: SCROLLER, top });
}

/**
 * Scrolls the lesson by `step` px once per animation frame, `frames` times,
 * resolving after the last. Each step is written in a task of its own right
 * after a frame (requestAnimationFrame, then setTimeout 0), as a wheel or
 * trackpad scroll arrives between frames: the next frame dispatches the scroll
 * event and runs the page's and our handlers with no bench script in between
 * (a write inside the frame would flush pending style before our callback
 * and hide what our read costs).
 */
export async function driveScroll(page: Page, frames: number, step: number): Promise<void> {
  await page.evaluate(`new Promise((done) => {
    const container = document.querySelector(${JSON.stringify(SCROLLER)});
    let left = ${frames};
    function afterFrame() {
      if (left-- === 0) return requestAnimationFrame(() => setTimeout(done, 0));
      container.scrollTop += ${step};
      requestAnimationFrame(() => setTimeout(afterFrame, 0));
    }
    requestAnimationFrame(() => setTimeout(afterFrame, 0));
  })`);
}
