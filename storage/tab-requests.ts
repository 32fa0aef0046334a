/**
 * The requests that need the browser's tabs (issue #4): opening an annotation
 * in its lesson, handing a waiting reveal to a lesson that just started, and
 * keeping the toolbar badge equal to the lesson's highlight count. The
 * browser is reached through {@link TabsPort}, so this is tested with a fake;
 * `entrypoints/background/tabs-port.ts` implements it with `browser.*`.
 */
import { parseLessonUrl } from '../page/lesson-url';
import { getLiveAnnotation } from './annotations';
import type { LessonHighlighterDb } from './db';
import { answerRequest, describeError, type ResponseValue } from './handlers';
import { countLessonHighlights } from './library-queries';
import { logWarning } from './logger';
import { isTabRequest, parseRequest } from './protocol';
import type { ContentMessage, Request, ResponseValues, Result, TabRequestType } from './protocol';

/** A browser tab as far as these requests care. */
export interface TabInfo {
  id: number;
  url: string;
  windowId: number;
}

/** The browser, as these requests use it. */
export interface TabsPort {
  /** Open tabs on lesson pages (the host permission lets us see their URLs). */
  lessonTabs(): Promise<TabInfo[]>;
  /** Makes the tab the active one and raises its window. */
  focusTab(tab: TabInfo): Promise<void>;
  /** Opens `url` in a new active tab; answers its id. */
  openTab(url: string): Promise<number>;
  /** Sends a message to the content script in the tab; answers whether it was received. */
  sendToTab(tabId: number, message: ContentMessage): Promise<boolean>;
  /** Sets the toolbar badge of one tab ('' hides it). */
  setBadge(tabId: number, text: string): Promise<void>;
  /** Reveals waiting for a tab, kept where a stopped service worker finds them again. */
  pendingReveals: PendingReveals;
}

/** Highlights waiting to be revealed, per tab. */
export interface PendingReveals {
  put(tabId: number, reveal: PendingReveal): Promise<void>;
  /** Answers and forgets the tab's waiting reveal. */
  take(tabId: number): Promise<PendingReveal | null>;
}

/** A highlight a tab should reveal once its lesson has started. */
export interface PendingReveal {
  annotationId: string;
  /** When it was asked for (ms); an old request is dropped rather than surprising the reader later. */
  requestedAt: number;
}

/** A reveal asked for longer ago than this is stale: the reader has moved on. */
export const PENDING_REVEAL_TTL_MS = 2 * 60_000;

/** Who sent the request: the tab of a content script, or nothing for our pages. */
export interface RequestSender {
  tabId?: number;
}

/** A request that needs the tabs API. */
type AnyTabRequest = Extract<Request, { type: TabRequestType }>;
type TabRequest<K extends TabRequestType> = Extract<AnyTabRequest, { type: K }>;
type TabHandler<K extends TabRequestType> = (
  port: TabsPort,
  db: LessonHighlighterDb,
  request: TabRequest<K>,
  sender: RequestSender,
) => Promise<ResponseValues[K]>;

const tabHandlers: { [K in TabRequestType]: TabHandler<K> } = {
  openAnnotation: (port, db, { id }) => openAnnotation(port, db, id),
  takePendingReveal: (port, _db, _request, sender) => takePendingReveal(port, sender),
};

/**
 * Answers any message for the background: validates it, answers it from the
 * database or with the tabs, and afterwards brings the badge up to date.
 * Never throws.
 */
export async function answerMessage(
  port: TabsPort,
  db: LessonHighlighterDb,
  message: unknown,
  sender: RequestSender,
): Promise<Result<ResponseValue>> {
  const parsed = parseRequest(message);
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  if (isTabRequest(request)) return answerTabRequest(port, db, request, sender);
  const result = await answerRequest(db, request);
  if (result.ok) {
    // The answer does not wait for the badge; a badge that failed to update is not the sender's problem.
    void refreshBadges(port, db, request, sender.tabId).catch((error: unknown) =>
      logWarning('Could not update the toolbar badge', error),
    );
  }
  return result;
}

async function refreshBadges(port: TabsPort, db: LessonHighlighterDb, request: Request, senderTab?: number) {
  const lessonId = await lessonAffectedBy(db, request);
  if (lessonId !== null) await updateLessonBadges(port, db, lessonId, senderTab);
}

/** Answers a validated tab request; never throws. */
export async function answerTabRequest<K extends TabRequestType>(
  port: TabsPort,
  db: LessonHighlighterDb,
  request: TabRequest<K> & { type: K },
  sender: RequestSender,
): Promise<Result<ResponseValues[K]>> {
  const handler: TabHandler<K> = tabHandlers[request.type];
  try {
    return { ok: true, value: await handler(port, db, request, sender) };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}

/**
 * Shows annotation `id`: focuses a tab on its lesson or opens one, then asks
 * that tab to reveal it. The request is also parked for the tab, since a tab
 * that is still loading has no content script to receive it yet.
 */
export async function openAnnotation(
  port: TabsPort,
  db: LessonHighlighterDb,
  id: string,
  now: number = Date.now(),
): Promise<{ tabId: number }> {
  const annotation = await getLiveAnnotation(db, id);
  const tab = await findLessonTab(port, annotation.lesson.lessonId);
  let tabId: number;
  if (tab) {
    await port.focusTab(tab);
    tabId = tab.id;
  } else {
    tabId = await port.openTab(lessonUrlToOpen(annotation.lesson.url, annotation.lesson.lessonId));
  }
  await port.pendingReveals.put(tabId, { annotationId: id, requestedAt: now });
  const delivered = await port.sendToTab(tabId, { type: 'revealAnnotation', id });
  // The running lesson took it (it waits itself if still rendering): nothing to park.
  if (delivered) await port.pendingReveals.take(tabId);
  return { tabId };
}

/**
 * The stored URL when it is a lesson page of the site, else the lesson's
 * canonical https URL: records stored before URLs were checked (or damaged)
 * must never make "Open" load a `javascript:`/`data:` URL or another site.
 */
export function lessonUrlToOpen(stored: string, lessonId: string): string {
  const lesson = parseLessonUrl(stored);
  const protocol = URL.canParse(stored) ? new URL(stored).protocol : '';
  if (lesson && lesson.lessonId === lessonId && (protocol === 'https:' || protocol === 'http:')) return stored;
  return `https://time.geekbang.org/column/article/${encodeURIComponent(lessonId)}`;
}

/** The reveal waiting for the sender's tab, if any and not stale; it is forgotten either way. */
export async function takePendingReveal(
  port: TabsPort,
  sender: RequestSender,
  now: number = Date.now(),
): Promise<string | null> {
  if (sender.tabId === undefined) return null;
  const pending = await port.pendingReveals.take(sender.tabId);
  if (!pending || now - pending.requestedAt > PENDING_REVEAL_TTL_MS) return null;
  return pending.annotationId;
}

/** The first open tab showing lesson `lessonId`, if any. */
async function findLessonTab(port: TabsPort, lessonId: string): Promise<TabInfo | undefined> {
  const tabs = await port.lessonTabs();
  return tabs.find((tab) => parseLessonUrl(tab.url)?.lessonId === lessonId);
}

/**
 * Sets the badge of every tab showing `lessonId` (and of `alsoTabId`, the
 * content script that just asked) to the lesson's live highlight count.
 */
export async function updateLessonBadges(
  port: TabsPort,
  db: LessonHighlighterDb,
  lessonId: string,
  alsoTabId?: number,
): Promise<void> {
  const count = await countLessonHighlights(db, lessonId);
  const tabs = await port.lessonTabs();
  const tabIds = new Set(tabs.filter((tab) => parseLessonUrl(tab.url)?.lessonId === lessonId).map((tab) => tab.id));
  if (alsoTabId !== undefined) tabIds.add(alsoTabId);
  const text = count === 0 ? '' : count > 999 ? '999+' : String(count);
  await Promise.all([...tabIds].map((tabId) => port.setBadge(tabId, text)));
}

/**
 * The lesson whose highlight count may have changed once `request` has been
 * answered, or null: listing a lesson (its page just opened), creating,
 * deleting or restoring a highlight.
 */
export async function lessonAffectedBy(db: LessonHighlighterDb, request: Request): Promise<string | null> {
  switch (request.type) {
    case 'listLessonAnnotations':
      return request.lessonId;
    case 'createAnnotation':
      return request.draft.lesson.lessonId;
    case 'deleteAnnotation':
    case 'restoreAnnotation':
      return (await db.annotations.get(request.id))?.lesson.lessonId ?? null;
    default:
      return null;
  }
}
