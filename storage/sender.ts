/**
 * Decides whose messages the background answers. Plain TypeScript with no
 * extension APIs, so it is tested without a browser.
 */
import { LESSON_SITE } from './model';

/** The parts of `runtime.MessageSender` the decision uses. */
export interface MessageSenderLike {
  /** Id of the sending extension. */
  id?: string;
  /** URL of the sending page or frame. */
  url?: string;
  /** Set only when the message comes from a tab (a content script). */
  tab?: unknown;
}

/**
 * True only for our own extension: the sender's extension id is ours AND it is
 * either one of our pages (popup, library: same origin as `extensionOrigin`,
 * e.g. `chrome-extension://<id>/`) or our content script in a tab on the
 * lesson site (`http(s)://time.geekbang.org`, any port).
 */
export function isTrustedSender(
  sender: MessageSenderLike,
  extensionId: string,
  extensionOrigin: string,
): boolean {
  if (!extensionId || sender.id !== extensionId) return false;
  const url = parseUrl(sender.url);
  const ours = parseUrl(extensionOrigin);
  if (!url || !ours) return false;
  // Compare parsed scheme and host, never a string prefix:
  // `chrome-extension://<id>evil/` starts with `chrome-extension://<id>`.
  if (url.protocol === ours.protocol && url.host === ours.host && url.host !== '') return true;
  return sender.tab !== undefined && isLessonSiteUrl(url);
}

/** Whether `url` is a page of the lesson site over http(s). */
function isLessonSiteUrl(url: URL): boolean {
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname === LESSON_SITE;
}

/** The parsed URL, or undefined for a missing or malformed one. */
function parseUrl(text: string | undefined): URL | undefined {
  if (!text) return undefined;
  try {
    return new URL(text);
  } catch {
    // A sender without a parsable URL cannot be placed, so it is not trusted.
    return undefined;
  }
}
