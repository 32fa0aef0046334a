/**
 * Hosts our in-page UI in a shadow root, so the site's CSS cannot restyle it
 * and its text stays out of the lesson. Key events from inside never reach
 * the page: the site's single-key shortcuts listen on `document`.
 */
import { h, render } from 'preact';
import { PageUi } from '../components/PageUi';
import type { PanelAnnotation } from '../components/NotePanel';
import type { Strings } from '../components/strings';
import type { PageUi as PageUiPort } from './lesson-controller';
import type { PageUiActions, PageUiState } from './page-ui-state';

export const UI_HOST_TAG = 'lesson-highlighter-ui';
/**
 * Events that stop at our host. Mouse-ups are included: the site reopens its
 * own selection menu on any mouseup while text is selected. Mousedown is not,
 * so the site still closes its menu when the reader clicks into our UI.
 */
const ISOLATED_EVENTS = [
  'keydown', 'keyup', 'keypress', 'input', 'beforeinput', 'copy', 'paste', 'cut',
  'mouseup', 'pointerup', 'click', 'dblclick', 'contextmenu',
];

/** The mounted UI: render states into it, and remove it when done. */
export interface UiHost extends PageUiPort {
  readonly host: HTMLElement;
  /** Connects the UI to the controllers: what its buttons do, and how to look a highlight up. */
  setActions(actions: PageUiActions, annotation: (id: string) => PanelAnnotation | null): void;
  destroy(): void;
}

/** Creates the shadow host on `doc` and returns a renderer for {@link PageUiState}. */
export function mountUiHost(doc: Document, strings: Strings, css: string): UiHost {
  const host = doc.createElement(UI_HOST_TAG);
  // Closed: the lesson page's scripts (session-replay and analytics scripts
  // walk open shadow roots) cannot reach note text. Open only in the build
  // with test hooks, so Playwright can drive the UI (scripts/build-test.mjs).
  const shadow = host.attachShadow({ mode: __LH_TEST_HOOKS__ ? 'open' : 'closed' });
  const style = doc.createElement('style');
  style.textContent = css;
  const container = doc.createElement('div');
  shadow.append(style, container);
  for (const type of ISOLATED_EVENTS) host.addEventListener(type, (event) => event.stopPropagation());
  // Escape anywhere in our UI (a dock button, a panel) closes what is open,
  // unless an inner control (the note editor) already handled it.
  host.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || event.defaultPrevented || !actions) return;
    actions.closePanel();
    actions.dismiss();
  });
  doc.documentElement.append(host);

  let actions: PageUiActions | null = null;
  let annotation: (id: string) => PanelAnnotation | null = () => null;
  return {
    host,
    setActions(nextActions, lookup) {
      actions = nextActions;
      annotation = lookup;
    },
    render(state: PageUiState) {
      if (actions) render(h(PageUi, { state, strings, actions, annotation }), container);
    },
    contains(node: Node) {
      return node === host || host.contains(node) || shadow.contains(node);
    },
    setTheme(theme) {
      // On the site's own white theme, the reader's light/dark preference decides.
      if (theme === 'light') delete host.dataset.theme;
      else host.dataset.theme = theme;
    },
    scrollMargin(offset: number) {
      // One write per frame, outside Preact: scrolling never re-renders cards.
      const layer = shadow.querySelector<HTMLElement>('.margin-layer');
      if (layer) layer.style.transform = `translateY(${offset}px)`;
    },
    measureCards() {
      const heights = new Map<string, number>();
      for (const card of shadow.querySelectorAll<HTMLElement>('[data-note-card]')) {
        heights.set(card.dataset.noteCard!, card.offsetHeight);
      }
      return heights;
    },
    onCardsResized(callback: () => void) {
      const observer = new ResizeObserver(() => callback());
      const observeCards = () => {
        for (const card of shadow.querySelectorAll('[data-note-card]')) observer.observe(card);
      };
      // Cards come and go with renders: observe new ones as they appear.
      const additions = new MutationObserver(observeCards);
      additions.observe(container, { childList: true, subtree: true });
      observeCards();
      return () => {
        observer.disconnect();
        additions.disconnect();
      };
    },
    destroy() {
      render(null, container);
      host.remove();
    },
  };
}
