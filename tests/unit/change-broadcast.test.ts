import { describe, expect, test } from 'vitest';
import { announceChange, changedLessonId } from '../../storage/change-broadcast';
import type { TabsPort } from '../../storage/tab-requests';
import type { ContentMessage } from '../../storage/protocol';

function fakeTabs(urls: string[]): { port: TabsPort; sent: Array<{ tabId: number; message: ContentMessage }> } {
  const sent: Array<{ tabId: number; message: ContentMessage }> = [];
  const port = {
    lessonTabs: async () => urls.map((url, id) => ({ id, url, windowId: 1 })),
    sendToTab: async (tabId: number, message: ContentMessage) => {
      sent.push({ tabId, message });
      return true;
    },
  } as unknown as TabsPort;
  return { port, sent };
}

describe('announcing a change to open lesson tabs', () => {
  test('reads the lesson from an annotation or a lesson note, and none from an import', () => {
    expect(changedLessonId({ id: 'x', lesson: { lessonId: '100001' } })).toBe('100001');
    expect(changedLessonId({ lessonId: '100002', note: '…' })).toBe('100002');
    expect(changedLessonId({ imported: 3, changed: 1 })).toBeNull();
  });

  test('tells the other tabs of that lesson, not the sender and not other lessons', async () => {
    const { port, sent } = fakeTabs([
      'https://time.geekbang.org/column/article/100001',
      'https://time.geekbang.org/column/article/100001?free=1',
      'https://time.geekbang.org/column/article/100002',
    ]);

    await announceChange(port, '100001', 0);

    expect(sent).toEqual([{ tabId: 1, message: { type: 'annotationsChanged', lessonId: '100001' } }]);
  });

  test('tells every lesson tab when any lesson may have changed (an import, a sync)', async () => {
    const { port, sent } = fakeTabs(['https://time.geekbang.org/column/article/100001', 'https://time.geekbang.org/column/article/100002']);

    await announceChange(port, null);

    expect(sent.map((entry) => entry.tabId)).toEqual([0, 1]);
  });
});
