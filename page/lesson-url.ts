/** Recognises GeekTime lesson URLs: `/column/article/<aid>`, any query or hash, any port. */

const LESSON_PATH_PATTERN = /^\/column\/article\/(\d+)\/?$/;
/** Every lesson URL contains this (parsing keeps a path's escapes, so no other spelling matches): a cheap first test. */
export const LESSON_PATH = '/column/article/';
const LESSON_HOST = 'time.geekbang.org';

export interface LessonLocation {
  lessonId: string;
  /** Canonical URL: origin and path, no query or hash. */
  url: string;
}

/** The lesson a URL shows, or null for any other page (including the `article/0` course loader). */
export function parseLessonUrl(href: string): LessonLocation | null {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  if (url.hostname !== LESSON_HOST) return null;
  const lessonId = LESSON_PATH_PATTERN.exec(url.pathname)?.[1];
  if (!lessonId || /^0+$/.test(lessonId)) return null;
  return { lessonId, url: `${url.origin}/column/article/${lessonId}` };
}
