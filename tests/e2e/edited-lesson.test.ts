/**
 * Course authors revise published lessons. After an edit, a highlight on
 * untouched text stays, a highlight on edited text follows it to its new
 * wording, and a highlight on removed text is painted nowhere (an orphan)
 * rather than on some look-alike text.
 */
import { afterEach, beforeAll, describe, it } from 'vitest';
import type { Page } from 'playwright-core';
import { EDITION2_CHANGES } from '../fixtures/lesson-site/lessons.mjs';
import type { LessonSite } from '../fixtures/lesson-site/server.mjs';
import {
  highlightText,
  openLesson,
  waitForPainted,
  type ExtensionBrowser,
  useLessonSession,
} from './harness';

const LESSON = EDITION2_CHANGES.lessonId;
const { editedPassage, removedPassage, untouchedPassages } = EDITION2_CHANGES;

const session = useLessonSession();
let site: LessonSite;
let browser: ExtensionBrowser;
let page: Page;
beforeAll(() => void ({ site, browser, page } = session));

afterEach(() => {
  site.setEdition(LESSON, 1);
});

describe('the lesson is edited after highlighting', () => {
  it('keeps the untouched highlight, moves the edited one to its new text, and orphans the removed one', async () => {
    const untouched = untouchedPassages[0]!;
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    await highlightText(page, editedPassage.before, 'Yellow');
    await highlightText(page, untouched, 'Green');
    await highlightText(page, removedPassage, 'Pink');
    await waitForPainted(page, [
      { name: 'lesson-highlight-yellow', text: editedPassage.before },
      { name: 'lesson-highlight-green', text: untouched },
      { name: 'lesson-highlight-pink', text: removedPassage },
    ]);

    site.setEdition(LESSON, 2);
    await openLesson(page, LESSON);
    // Exactly these two: the removed passage's highlight is painted nowhere.
    await waitForPainted(page, [
      { name: 'lesson-highlight-yellow', text: editedPassage.after },
      { name: 'lesson-highlight-green', text: untouched },
    ]);
  });

  it('follows a punctuation fix, a paragraph split, and text next to an added or dropped sentence', async () => {
    const { punctuationChange, splitParagraph, insertedSentence, deletedSentence } = EDITION2_CHANGES;
    // The last sentence of the first part and the first clause of the second: the split falls between them.
    const acrossSplit = `${splitParagraph.firstPart.slice(-14)}${splitParagraph.secondPart.slice(0, 10)}`;
    const beforeDropped = '展示了带指数退避和随机抖动的重试逻辑。';
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    await highlightText(page, punctuationChange.before, 'Yellow');
    await highlightText(page, acrossSplit, 'Green');
    await highlightText(page, insertedSentence.after, 'Pink');
    await highlightText(page, beforeDropped, 'Purple');
    await waitForPainted(page, [
      { name: 'lesson-highlight-yellow', text: punctuationChange.before },
      { name: 'lesson-highlight-green', text: acrossSplit },
      { name: 'lesson-highlight-pink', text: insertedSentence.after },
      { name: 'lesson-highlight-purple', text: beforeDropped },
    ]);
    // The dropped sentence really followed the purple highlight in edition 1.
    await page.getByText(beforeDropped + deletedSentence).waitFor();

    site.setEdition(LESSON, 2);
    await openLesson(page, LESSON);
    await waitForPainted(page, [
      { name: 'lesson-highlight-yellow', text: punctuationChange.after },
      { name: 'lesson-highlight-green', text: acrossSplit },
      { name: 'lesson-highlight-pink', text: insertedSentence.after },
      { name: 'lesson-highlight-purple', text: beforeDropped },
    ]);
  });

  it('puts every untouched passage back, even those right next to an edit', async () => {
    await openLesson(page, LESSON, site.lessonUrl(LESSON));
    for (const passage of untouchedPassages) await highlightText(page, passage, 'Blue');
    const expected = untouchedPassages.map((text) => ({ name: 'lesson-highlight-blue', text }));
    await waitForPainted(page, expected);

    site.setEdition(LESSON, 2);
    await openLesson(page, LESSON);
    await waitForPainted(page, expected);
  });
});
