import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { openDb, type LessonHighlighterDb } from '../../storage/db';
import { handleRequest } from '../../storage/handlers';
import type { Annotation, LessonNote } from '../../storage/model';
import { contentMessageSchema, parseRequest, type ContentMessage, type Result } from '../../storage/protocol';
import {
  answerMessage,
  PENDING_REVEAL_TTL_MS,
  takePendingReveal,
  type PendingReveal,
  type TabInfo,
  type TabsPort,
} from '../../storage/tab-requests';
import { NOW, RAFT, SAMPLE_ANNOTATIONS, SAMPLE_NOTES, TIMEOUTS } from '../fixtures/export/sample-library';

const FIRST = SAMPLE_ANNOTATIONS[0]!;

/** A browser with some tabs, recording what the background did to it. */
class FakeTabs implements TabsPort {
  focused: number[] = [];
  opened: string[] = [];
  sent: Array<{ tabId: number; message: ContentMessage }> = [];
  badges = new Map<number, string>();
  parked = new Map<number, PendingReveal>();
  /** Tabs whose content script answers (a loaded lesson). */
  listening = new Set<number>();
  nextId = 100;

  constructor(public tabs: TabInfo[] = []) {}

  lessonTabs = async () => this.tabs;
  focusTab = async (tab: TabInfo) => void this.focused.push(tab.id);
  openTab = async (url: string) => {
    this.opened.push(url);
    const id = this.nextId++;
    this.tabs.push({ id, url, windowId: 1 });
    return id;
  };
  sendToTab = async (tabId: number, message: ContentMessage) => {
    this.sent.push({ tabId, message });
    return this.listening.has(tabId);
  };
  setBadge = async (tabId: number, text: string) => void this.badges.set(tabId, text);
  pendingReveals = {
    put: async (tabId: number, reveal: PendingReveal) => void this.parked.set(tabId, reveal),
    take: async (tabId: number) => {
      const reveal = this.parked.get(tabId) ?? null;
      this.parked.delete(tabId);
      return reveal;
    },
  };
}

function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got: ${result.error}`);
  return result.value;
}

function errorOf(result: Result<unknown>): string {
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

let db: LessonHighlighterDb;

beforeEach(async () => {
  db = openDb(`test-${crypto.randomUUID()}`);
  await db.annotations.bulkPut(SAMPLE_ANNOTATIONS);
  await db.lessonNotes.bulkPut([
    ...SAMPLE_NOTES,
    { ...SAMPLE_NOTES[0]!, lessonId: RAFT.lessonId, lesson: RAFT, note: '  ' } satisfies LessonNote,
  ]);
});

afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

describe('listing everything for the popup and library', () => {
  test('answers every live annotation, most recently updated first; deleted ones are left out', async () => {
    await db.annotations.update(SAMPLE_ANNOTATIONS[1]!.id, { deletedAt: NOW });
    const listed = valueOf(await handleRequest(db, { type: 'listAnnotations' })) as Annotation[];
    expect(listed.map((a) => a.id.slice(-1))).toEqual(['1', '3', '4', '5']);
  });

  test('answers only the first ones with a limit (the first paint)', async () => {
    const listed = valueOf(await handleRequest(db, { type: 'listAnnotations', limit: 2 })) as Annotation[];
    expect(listed.map((a) => a.id.slice(-1))).toEqual(['1', '2']);
  });

  test('answers the lesson notes that have text', async () => {
    const notes = valueOf(await handleRequest(db, { type: 'listLessonNotes' })) as LessonNote[];
    expect(notes.map((note) => note.lessonId)).toEqual([TIMEOUTS.lessonId]);
  });

  test.each([
    [{ type: 'listAnnotations', limit: 0 }, 'limit'],
    [{ type: 'listAnnotations', limit: '10' }, 'limit'],
    [{ type: 'listAnnotations', all: true }, 'all'],
    [{ type: 'listLessonNotes', lessonId: '1' }, 'lessonId'],
    [{ type: 'openAnnotation', id: 'not-a-uuid' }, 'id'],
    [{ type: 'takePendingReveal', tabId: 3 }, 'tabId'],
  ])('refuses %j in words', async (request, field) => {
    expect(errorOf(await handleRequest(db, request))).toMatch(new RegExp(`Invalid request: .*${field}`));
  });

  test('the database-only handler refuses requests that need the tabs, in words', async () => {
    expect(errorOf(await handleRequest(db, { type: 'openAnnotation', id: FIRST.id }))).toMatch(/background only/);
  });

  test('messages to the content script are typed and validated too', () => {
    expect(contentMessageSchema.safeParse({ type: 'revealAnnotation', id: FIRST.id }).success).toBe(true);
    expect(contentMessageSchema.safeParse({ type: 'revealAnnotation', id: 3 }).success).toBe(false);
    expect(parseRequest({ type: 'takePendingReveal' }).ok).toBe(true);
  });
});

describe('opening an annotation in its lesson', () => {
  test('focuses the tab already showing the lesson and asks it to reveal the highlight', async () => {
    const tabs = new FakeTabs([
      { id: 1, url: 'https://time.geekbang.org/column/article/100003', windowId: 1 },
      { id: 2, url: 'https://time.geekbang.org/column/article/100001?free=1#x', windowId: 2 },
    ]);
    tabs.listening.add(2);
    const opened = valueOf(await answerMessage(tabs, db, { type: 'openAnnotation', id: FIRST.id }, {}));
    expect(opened).toEqual({ tabId: 2 });
    expect(tabs.focused).toEqual([2]);
    expect(tabs.opened).toEqual([]);
    expect(tabs.sent).toEqual([{ tabId: 2, message: { type: 'revealAnnotation', id: FIRST.id } }]);
    // Delivered: nothing stays parked for a later lesson start.
    expect(tabs.parked.size).toBe(0);
  });

  test('opens the lesson when no tab shows it, and parks the reveal until the lesson starts', async () => {
    const tabs = new FakeTabs();
    const { tabId } = valueOf(await answerMessage(tabs, db, { type: 'openAnnotation', id: FIRST.id }, {})) as {
      tabId: number;
    };
    expect(tabs.opened).toEqual([TIMEOUTS.url]);
    const taken = valueOf(await answerMessage(tabs, db, { type: 'takePendingReveal' }, { tabId }));
    expect(taken).toBe(FIRST.id);
    expect(valueOf(await answerMessage(tabs, db, { type: 'takePendingReveal' }, { tabId }))).toBeNull();
  });

  test('a parked reveal goes stale, and our pages (no tab) have none', async () => {
    const tabs = new FakeTabs();
    await tabs.pendingReveals.put(5, { annotationId: FIRST.id, requestedAt: NOW });
    expect(await takePendingReveal(tabs, { tabId: 5 }, NOW + PENDING_REVEAL_TTL_MS + 1)).toBeNull();
    expect(await takePendingReveal(tabs, {}, NOW)).toBeNull();
  });

  test('a deleted or unknown annotation is refused in words and no tab is touched', async () => {
    const tabs = new FakeTabs();
    await db.annotations.update(FIRST.id, { deletedAt: NOW });
    expect(errorOf(await answerMessage(tabs, db, { type: 'openAnnotation', id: FIRST.id }, {}))).toMatch(/was deleted/);
    expect(errorOf(await answerMessage(tabs, db, { type: 'openAnnotation', id: crypto.randomUUID() }, {}))).toMatch(
      /no longer exists/,
    );
    expect(tabs.opened).toEqual([]);
  });
});

describe('the toolbar badge', () => {
  test("shows the lesson's live highlight count on every tab showing it once the page lists it", async () => {
    const tabs = new FakeTabs([
      { id: 1, url: 'http://time.geekbang.org:8080/column/article/100001', windowId: 1 },
      { id: 2, url: 'https://time.geekbang.org/column/article/100003', windowId: 1 },
    ]);
    valueOf(
      await answerMessage(tabs, db, { type: 'listLessonAnnotations', lessonId: TIMEOUTS.lessonId }, { tabId: 1 }),
    );
    await vi.waitFor(() => expect(tabs.badges.get(1)).toBe('3'));
    expect(tabs.badges.has(2)).toBe(false);
  });

  test('follows deletions and undo, from the popup too (no sender tab), and is empty at zero', async () => {
    const tabs = new FakeTabs([{ id: 2, url: 'https://time.geekbang.org/column/article/100003', windowId: 1 }]);
    const raftId = SAMPLE_ANNOTATIONS[3]!.id;
    valueOf(await answerMessage(tabs, db, { type: 'deleteAnnotation', id: raftId }, {}));
    await vi.waitFor(() => expect(tabs.badges.get(2)).toBe(''));
    valueOf(await answerMessage(tabs, db, { type: 'restoreAnnotation', id: raftId }, {}));
    await vi.waitFor(() => expect(tabs.badges.get(2)).toBe('1'));
  });

  test('a refused request changes no badge', async () => {
    const tabs = new FakeTabs([{ id: 1, url: TIMEOUTS.url, windowId: 1 }]);
    errorOf(await answerMessage(tabs, db, { type: 'deleteAnnotation', id: 'nope' }, { tabId: 1 }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(tabs.badges.size).toBe(0);
  });
});
