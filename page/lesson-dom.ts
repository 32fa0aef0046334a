/**
 * Finds the parts of a rendered lesson page. The site's class names are CSS
 * module names (`File_local_hash`): match on the prefix, never the hash, and
 * fall back to plain markup, since the body may come from another renderer.
 */

export type LessonLayout = 'desktop' | 'mobile';

/** The elements of a rendered lesson that we read and follow. */
export interface LessonParts {
  layout: LessonLayout;
  title: Element | null;
  /** The lesson body (the Slate editor when there is one). */
  body: Element;
  comments: Element | null;
  /** The element that scrolls the lesson; null when the window scrolls (mobile). */
  scrollContainer: Element | null;
  lessonTitle: string;
  courseTitle: string;
}

const BODY_SELECTORS = [
  '[class*="Index_articleContent_"] [data-slate-editor="true"]',
  '[class*="Index_articleColumn_"] [data-slate-editor="true"]',
  '[data-slate-editor="true"]',
  '[class*="Index_articleContent_"]',
  '[class*="articleContent"]',
  'article',
];
// The lesson title is the page's h1; its class name is a guess. The loose
// "articleTitle" goes last: the catalogue's items (`ArticleItem_articleTitle_*`)
// come first in the page and would name the wrong lesson.
const TITLE_SELECTORS = ['[class*="Index_articleTitle_"]', 'h1', '[class*="articleTitle"]'];
const COMMENTS_SELECTORS = ['[class*="Index_articleComments_"]', '[class*="articleComments"]'];
const COURSE_TITLE_SELECTORS = [
  '[class*="Index_columnTitle_"]',
  '[class*="Index_navWrap_"] [class*="title" i]',
  '[class*="Index_side_"] [class*="title" i]',
  '[class*="columnTitle"]',
];

/** The rendered lesson's parts, or null while its body has no text yet. */
export function findLessonParts(doc: Document): LessonParts | null {
  const body = firstMatch(doc, BODY_SELECTORS);
  if (!body || !body.textContent?.trim()) return null;
  const title = firstMatch(doc, TITLE_SELECTORS);
  const scrollContainer = body.closest('.simplebar-content-wrapper');
  return {
    layout: scrollContainer ? 'desktop' : 'mobile',
    title: apartFrom(body, title),
    body,
    comments: apartFrom(body, firstMatch(doc, COMMENTS_SELECTORS)),
    scrollContainer,
    lessonTitle: textOf(title) || doc.title.trim(),
    courseTitle: textOf(firstMatch(doc, COURSE_TITLE_SELECTORS)),
  };
}

/** The elements whose text anchoring reads, in reading order. */
export function textRoots(parts: LessonParts): Element[] {
  return [parts.title, parts.body, parts.comments].filter((root): root is Element => root !== null);
}

function firstMatch(doc: Document, selectors: readonly string[]): Element | null {
  for (const selector of selectors) {
    const element = doc.querySelector(selector);
    if (element) return element;
  }
  return null;
}

/** `part`, unless it holds or lies in the body: its text would be read twice. */
function apartFrom(body: Element, part: Element | null): Element | null {
  return part && !part.contains(body) && !body.contains(part) ? part : null;
}

function textOf(element: Element | null): string {
  return element?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}
