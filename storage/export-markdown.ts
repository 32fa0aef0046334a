/**
 * Markdown export (issue #4), in the shape people paste into Obsidian, Logseq
 * or Notion: a heading per course, a heading per lesson that links back to
 * it, the lesson's own note, then each highlight as a block quote with its
 * note below. Quotes and titles are page text and are escaped; notes are the
 * reader's own writing and are kept as written, so Markdown typed in a note
 * still renders, except what the page shows as typed (raw HTML, images, links
 * to anything but http(s)): an imported note must not become live markup in
 * the reader's Markdown app either (issue #8).
 */
import type { CourseGroup, LessonGroup } from './grouping';
import type { Annotation } from './model';

/** Words the export needs, in the reader's language. */
export interface MarkdownLabels {
  /** Introduces the lesson's page-level note, e.g. "Lesson note". */
  lessonNote: string;
  /** Heading of a course without a title. */
  untitledCourse: string;
  /** Heading of a lesson without a title. */
  untitledLesson: string;
}

/** English labels, used when none are given. */
export const DEFAULT_MARKDOWN_LABELS: MarkdownLabels = {
  lessonNote: 'Lesson note',
  untitledCourse: 'Untitled course',
  untitledLesson: 'Untitled lesson',
};

/** The whole export: courses (`#`), lessons (`##`), highlights. Ends with one newline. */
export function toMarkdown(courses: readonly CourseGroup[], labels: MarkdownLabels = DEFAULT_MARKDOWN_LABELS): string {
  const blocks: string[] = [];
  for (const course of courses) {
    blocks.push(`# ${escapeTitle(headingText(course.courseTitle, labels.untitledCourse))}`);
    for (const lesson of course.lessons) blocks.push(...lessonBlocks(lesson, labels));
  }
  return blocks.length > 0 ? `${blocks.join('\n\n')}\n` : '';
}

/** One lesson as Markdown (for "Copy Markdown"): its heading, note and highlights. */
export function lessonToMarkdown(lesson: LessonGroup, labels: MarkdownLabels = DEFAULT_MARKDOWN_LABELS): string {
  return `${lessonBlocks(lesson, labels).join('\n\n')}\n`;
}

function lessonBlocks(lesson: LessonGroup, labels: MarkdownLabels): string[] {
  const title = escapeTitle(headingText(lesson.lesson.lessonTitle, labels.untitledLesson));
  // Records stored before lesson URLs were checked (storage/protocol.ts) may hold any scheme.
  const linked = /^https?:\/\//i.test(lesson.lesson.url);
  const blocks = [linked ? `## [${title}](${escapeUrl(lesson.lesson.url)})` : `## ${title}`];
  const note = lesson.note?.note.trim();
  if (note) blocks.push(`**${labels.lessonNote}:** ${literalNoteMarkup(note)}`);
  for (const annotation of lesson.annotations) blocks.push(...annotationBlocks(annotation));
  return blocks;
}

function annotationBlocks(annotation: Annotation): string[] {
  const quote = annotation.target.quote.exact
    // A lone CR ends a line in Markdown too: split on it, so no line escapes the quote.
    .split(/\r\n?|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => `> ${escapeLine(line)}`)
    .join('\n');
  const note = annotation.note.trim();
  return note ? [quote, literalNoteMarkup(note)] : [quote];
}

/** A title on one line, or the fallback when there is none. */
function headingText(title: string, fallback: string): string {
  const flat = title.replace(/\s+/g, ' ').trim();
  return flat || fallback;
}

/** Characters that start Markdown inline syntax anywhere in a line. */
const INLINE_SYNTAX = /[\\`*_[\]<>~|]/g;
/** Line starts that Markdown would read as a heading, list, quote or rule. */
const BLOCK_START = /^(#{1,6}(?=\s|$)|[-+*](?=\s|$)|\d{1,9}(?=[.)](\s|$))|=+$|-+$)/;

/** Page text made literal: inline syntax escaped, a block marker at the start neutralised. */
function escapeLine(line: string): string {
  const escaped = line.replace(INLINE_SYNTAX, '\\$&');
  const start = BLOCK_START.exec(escaped);
  if (!start) return escaped;
  // A digit cannot be backslash-escaped; escape the "." or ")" after it instead.
  if (/^\d/.test(start[0])) return escaped.replace(/^(\d+)([.)])/, '$1\\$2');
  return `\\${escaped}`;
}

/** A title made literal: no link, image, raw HTML or autolink can start in it. */
function escapeTitle(text: string): string {
  return text.replace(/[\\[\]<>]/g, '\\$&');
}

/** A link destination the page renders as a link: http(s) only (page/note-markdown.ts). */
const WEB_DESTINATION = /^\s*<?https?:\/\//i;

/**
 * A note with its Markdown kept, but without what the page shows as typed:
 * raw HTML and autolinks (`<` before a letter, `/`, `!` or `?`), images
 * (`![`), and links (`](`) or link definitions (`]:`) whose target is not
 * http(s). Each is backslash-escaped, which Markdown shows as the character
 * itself; a backslash escape the reader typed is kept as it is. Code is
 * escaped too: telling code apart needs a full Markdown parser, and a wrong
 * guess would let markup through, so a `\<` in exported code is the price.
 */
function literalNoteMarkup(note: string): string {
  return note.replace(/\\[\s\S]|<(?=[A-Za-z/!?])|!(?=\[)|\](?=[(:])/g, (match, offset: number, text: string) => {
    if (match.length === 2) return match;
    if (match === ']' && WEB_DESTINATION.test(text.slice(offset + 2))) return match;
    return `\\${match}`;
  });
}

/** Parentheses and spaces would end a Markdown link early. */
function escapeUrl(url: string): string {
  return url.replace(/[()\s]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
