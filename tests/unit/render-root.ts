/**
 * A fresh element in the document for each test to render Preact into, and
 * unmounted and removed after it, so no component outlives its test.
 */
import { render } from 'preact';
import { afterEach, beforeEach } from 'vitest';

/** Registers the hooks; `mount.root` is the current test's element. */
export function useRenderRoot(): { readonly root: HTMLElement } {
  let current: HTMLElement | null = null;
  beforeEach(() => {
    current = document.createElement('div');
    document.body.append(current);
  });
  afterEach(() => {
    if (current) {
      render(null, current);
      current.remove();
    }
    current = null;
  });
  return {
    get root() {
      if (!current) throw new Error('useRenderRoot: no element outside a test');
      return current;
    },
  };
}
