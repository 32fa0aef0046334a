/**
 * Tells when the page's URL changes without a page load. The site switches
 * lessons with `history.replaceState` from its own (main-world) scripts, which
 * a content script cannot patch; the Navigation API reports those changes to
 * every world. Where it is missing, a mutation observer notices the re-render
 * that follows every switch.
 *
 * It answers a stop function rather than taking an AbortSignal: the loader
 * runs this on every page of the site, and an AbortController is one more
 * interface for the isolated world to set up there (~0.5 ms on a first load).
 */

/** Calls `onChange(href)` after each same-document URL change, until the answered function is called. */
export function watchLocation(win: Window, onChange: (href: string) => void): () => void {
  let last = win.location.href;
  const check = () => {
    const href = win.location.href;
    if (href === last) return;
    last = href;
    onChange(href);
  };
  win.addEventListener('popstate', check);
  win.addEventListener('hashchange', check);
  const navigation = (win as Window & { navigation?: EventTarget }).navigation;
  const observer = navigation ? null : new MutationObserver(check);
  if (navigation) navigation.addEventListener('currententrychange', check);
  else observer!.observe(win.document.documentElement, { childList: true, subtree: true });
  return () => {
    win.removeEventListener('popstate', check);
    win.removeEventListener('hashchange', check);
    navigation?.removeEventListener('currententrychange', check);
    observer?.disconnect();
  };
}
