import { lessonUrlToOpen } from '../../storage/tab-requests';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { withReveals } from '../../entrypoints/content/reveal';
import type { LessonController } from '../../page/lesson-controller';
import type { LessonEnvironment } from '../../page/lesson-switcher';
import { sendRequest } from '../../storage/messaging-client';

// The fake browser's sendMessage delivers no promise replies: answer the background's part here.
vi.mock('../../storage/messaging-client', () => ({ sendRequest: vi.fn() }));

const ID = '3f2b8c1e-4d5a-4e6f-8a7b-9c0d1e2f3a4b';

/** A controller that only records what it was asked to reveal and reload. */
function fakeController(): LessonController & { revealed: string[]; reloads: Array<string | null> } {
  const revealed: string[] = [];
  const reloads: Array<string | null> = [];
  return {
    revealed,
    reloads,
    reveal: (id: string) => void revealed.push(id),
    reload: async (lessonId: string | null) => void reloads.push(lessonId),
  } as unknown as LessonController & { revealed: string[]; reloads: Array<string | null> };
}

function setup() {
  const aborter = new AbortController();
  const onController = vi.fn();
  const environment = withReveals(() => ({ onController }) as unknown as LessonEnvironment, aborter.signal);
  return { aborter, onController, environment: environment() };
}

const fromUs = () => ({ id: fakeBrowser.runtime.id });

beforeEach(() => {
  fakeBrowser.reset();
  vi.mocked(sendRequest).mockResolvedValue({ ok: true, value: null });
});

describe('revealing a highlight the popup asked for', () => {
  test('the running lesson reveals it at once and tells the background it got it', async () => {
    const { environment } = setup();
    const controller = fakeController();
    environment.onController(controller);
    // The listener answers through sendResponse (the content script uses the browser's own API, no polyfill).
    const sendResponse = vi.fn();
    await fakeBrowser.runtime.onMessage.trigger({ type: 'revealAnnotation', id: ID }, fromUs(), sendResponse);
    expect(controller.revealed).toEqual([ID]);
    expect(sendResponse).toHaveBeenCalledWith(true);
  });

  test('a request between two lessons waits for the next lesson', async () => {
    const { environment } = setup();
    await fakeBrowser.runtime.onMessage.trigger({ type: 'revealAnnotation', id: ID }, fromUs(), () => {});
    const controller = fakeController();
    environment.onController(controller);
    expect(controller.revealed).toEqual([ID]);
  });

  test('each lesson start asks the background for a reveal parked while the tab was loading', async () => {
    vi.mocked(sendRequest).mockResolvedValue({ ok: true, value: ID });
    const { environment, onController } = setup();
    const controller = fakeController();
    environment.onController(controller);
    expect(onController).toHaveBeenCalledWith(controller);
    expect(sendRequest).toHaveBeenCalledWith({ type: 'takePendingReveal' });
    await vi.waitFor(() => expect(controller.revealed).toEqual([ID]));
  });

  test('ignores other extensions, malformed messages, and everything after the script is stopped', async () => {
    const { environment, aborter } = setup();
    const controller = fakeController();
    environment.onController(controller);
    await fakeBrowser.runtime.onMessage.trigger(
      { type: 'revealAnnotation', id: ID },
      { id: 'another-extension' },
      () => {},
    );
    await fakeBrowser.runtime.onMessage.trigger({ type: 'revealAnnotation', id: 42 }, fromUs(), () => {});
    aborter.abort();
    await fakeBrowser.runtime.onMessage.trigger({ type: 'revealAnnotation', id: ID }, fromUs(), () => {});
    expect(controller.revealed).toEqual([]);
  });
});

describe('changes announced by the background', () => {
  test('reach the running lesson at once', async () => {
    const { environment } = setup();
    const controller = fakeController();
    environment.onController(controller);
    await fakeBrowser.runtime.onMessage.trigger({ type: 'annotationsChanged', lessonId: '100001' }, fromUs(), () => {});
    expect(controller.reloads).toEqual(['100001']);
  });

  test('announced while the lesson still renders, make its controller reload: its highlights were asked for before', async () => {
    const { environment } = setup();
    await fakeBrowser.runtime.onMessage.trigger({ type: 'annotationsChanged', lessonId: null }, fromUs(), () => {});
    const controller = fakeController();
    environment.onController(controller);
    expect(controller.reloads).toEqual([null]);
    // Once: the next lesson starts from a fresh listing.
    const next = fakeController();
    environment.onController(next);
    expect(next.reloads).toEqual([]);
  });
});

describe('the URL "Open" loads', () => {
  test('is the stored lesson URL when it is a lesson page of the site', () => {
    expect(lessonUrlToOpen('https://time.geekbang.org/column/article/100001', '100001')).toBe('https://time.geekbang.org/column/article/100001');
    expect(lessonUrlToOpen('http://time.geekbang.org:8123/column/article/100001', '100001')).toBe('http://time.geekbang.org:8123/column/article/100001');
  });

  test('falls back to the canonical lesson URL for anything else a damaged or old record may hold', () => {
    const canonical = 'https://time.geekbang.org/column/article/100001';
    for (const stored of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'https://evil.example/column/article/100001', 'https://time.geekbang.org/column/article/999', 'not a url']) {
      expect(lessonUrlToOpen(stored, '100001')).toBe(canonical);
    }
  });
});
