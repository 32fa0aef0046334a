/**
 * Tells open lesson tabs that their highlights changed elsewhere — in another
 * tab, the popup or library, an import or a sync — so each shows the change
 * without a reload.
 */
import { parseLessonUrl } from '../page/lesson-url';
import type { TabsPort } from './tab-requests';

/**
 * The lesson an edit touched, read from the answer it got: an annotation
 * (`lesson.lessonId`) or a lesson note (`lessonId`). Null means it may have
 * touched any lesson (an import).
 */
export function changedLessonId(answer: unknown): string | null {
  if (typeof answer !== 'object' || answer === null) return null;
  if ('lesson' in answer && typeof answer.lesson === 'object' && answer.lesson !== null && 'lessonId' in answer.lesson) {
    return typeof answer.lesson.lessonId === 'string' ? answer.lesson.lessonId : null;
  }
  return 'lessonId' in answer && typeof answer.lessonId === 'string' ? answer.lessonId : null;
}

/** Sends `annotationsChanged` to the lesson tabs showing `lessonId` (all lesson tabs for null), except `exceptTabId`. */
export async function announceChange(port: TabsPort, lessonId: string | null, exceptTabId?: number): Promise<void> {
  for (const tab of await port.lessonTabs()) {
    if (tab.id === exceptTabId) continue;
    if (lessonId !== null && parseLessonUrl(tab.url)?.lessonId !== lessonId) continue;
    await port.sendToTab(tab.id, { type: 'annotationsChanged', lessonId });
  }
}
