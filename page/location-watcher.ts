/**
 * Tells when the page's URL changes without a page load. The site switches
 * lessons with `history.replaceState` from its own (main-world) scripts, which
 * a content script cannot patch; the Navigation API reports those changes to
 * every world. Where it is missing, a mutation observer notices the re-render
 * that follows every switch.
 */

/** Calls `onChange(href)` after each same-document URL change, until `signal` aborts. */
export function watchLocation(win: Window, onChange: (href: string) => void, signal: AbortSignal): void {
  let last = win.location.href;
  const check = () => {
    const href = win.location.href;
    if (href === last) return;
    last = href;
    onChange(href);
  };
  win.addEventListener('popstate', check, { signal });
  win.addEventListener('hashchange', check, { signal });
  const navigation = (win as Window & { navigation?: EventTarget }).navigation;
  if (navigation) {
    navigation.addEventListener('currententrychange', check, { signal });
    return;
  }
  const observer = new MutationObserver(check);
  observer.observe(win.document.documentElement, { childList: true, subtree: true });
  signal.addEventListener('abort', () => observer.disconnect());
}
