/**
 * Hosts our in-page UI in a shadow root, so the site's CSS cannot restyle it
 * and its text stays out of the lesson. Key events from inside never reach
 * the page: the site's single-key shortcuts listen on `document`.
 */
import { h, render } from 'preact';
import { PageUi } from '../components/PageUi';
import type { Strings } from '../components/strings';
import type { PageUi as PageUiPort } from './lesson-controller';
import type { PageUiActions, PageUiState } from './page-ui-state';

export const UI_HOST_TAG = 'lesson-highlighter-ui';
const ISOLATED_EVENTS = ['keydown', 'keyup', 'keypress', 'input', 'beforeinput', 'copy', 'paste', 'cut'];

/** The mounted UI: render states into it, and remove it when done. */
export interface UiHost extends PageUiPort {
  readonly host: HTMLElement;
  setActions(actions: PageUiActions): void;
  destroy(): void;
}

/** Creates the shadow host on `doc` and returns a renderer for {@link PageUiState}. */
export function mountUiHost(doc: Document, strings: Strings, css: string): UiHost {
  const host = doc.createElement(UI_HOST_TAG);
  const shadow = host.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = css;
  const container = doc.createElement('div');
  shadow.append(style, container);
  for (const type of ISOLATED_EVENTS) host.addEventListener(type, (event) => event.stopPropagation());
  doc.documentElement.append(host);

  let actions: PageUiActions | null = null;
  return {
    host,
    setActions(next) {
      actions = next;
    },
    render(state: PageUiState) {
      if (actions) render(h(PageUi, { state, strings, actions }), container);
    },
    contains(node: Node) {
      return node === host || host.contains(node) || shadow.contains(node);
    },
    destroy() {
      render(null, container);
      host.remove();
    },
  };
}
