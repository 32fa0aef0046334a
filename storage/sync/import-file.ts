/**
 * Importing a JSON export (issue #5): the file is merged by the same rules
 * as sync, so importing it twice changes nothing and no note text is lost.
 *
 * A bad file is refused with an error naming the problem and leaves the
 * database untouched: the limits are checked before and while parsing
 * (storage/sync/json-guard.ts), every annotation is checked and converted
 * before anything is written, and the merge is one transaction.
 */
import { z } from 'zod';
import { StorageError } from '../annotations';
import type { LessonHighlighterDb } from '../db';
import { mergeLessonNotes, readLessonNoteVersions } from '../lesson-notes';
import { HIGHLIGHT_COLORS, LESSON_SITE, MAX_NOTE_LENGTH, type Annotation, type HighlightColor, type LessonRef } from '../model';
import { recordFieldSchemas } from '../protocol';
import { JsonLimitError, parseLimitedJson } from './json-guard';
import { mergeReplicated } from './local-store';
import { mergeNotes, type ReplicatedAnnotation, type ReplicatedLessonNote } from './merge';
import { checkReplicated, MAX_CLOCK_AHEAD_MS } from './replicated-schema';
import { toReplicated } from './replicated';
import { toReplicatedLessonNote } from './lesson-note-versions';

/** Largest file accepted (20 MB: some 40,000 annotations with long notes). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** Most annotations one file may hold. */
export const MAX_IMPORT_ANNOTATIONS = 100_000;
/** Longest string anywhere in the file (a quote may be this long; a note only 10,000). */
export const MAX_IMPORT_STRING = 50_000;
const MAX_NESTING = 32;
const MAX_OFFSET = 10_000_000;

/** What an import did: annotations (and lesson notes) in the file, and local records it changed. */
export interface ImportOutcome {
  imported: number;
  changed: number;
}

/**
 * Merges the JSON-LD export in `text` into the database, all or nothing.
 * Throws a {@link StorageError} (`invalid-data`) whose message names the
 * problem, e.g. "annotation 17: note is longer than 10,000 characters".
 */
export async function importAnnotationsFile(
  db: LessonHighlighterDb,
  text: string,
  now: number = Date.now(),
): Promise<ImportOutcome> {
  const items = readItems(text);
  const highlights: ReplicatedAnnotation[] = [];
  const lessonNotes: ReplicatedLessonNote[] = [];
  items.forEach((item, index) => {
    const converted = convertItem(item, now);
    if (typeof converted === 'string') refuse(`annotation ${index + 1}: ${converted}`);
    else if (converted.type === 'highlight') highlights.push(converted.record);
    else lessonNotes.push(converted.note);
  });
  return db.transaction('rw', [db.lessonRows, db.meta, db.lessonNotes, db.lessonNoteSeqs], async () => {
    const { changed } = await mergeReplicated(db, highlights, now);
    const notesChanged = await mergeLessonNotes(db, lessonNotes);
    return { imported: items.length, changed: changed + notesChanged };
  });
}

function refuse(problem: string): never {
  throw new StorageError('invalid-data', `This file cannot be imported, so nothing was changed. ${capitalise(problem)}`);
}

function capitalise(sentence: string): string {
  const ended = /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
  return ended.charAt(0).toUpperCase() + ended.slice(1);
}

const collectionSchema = z.object({
  type: z.literal('AnnotationCollection'),
  first: z.object({ items: z.array(z.unknown()) }),
});

/** The file's annotations, still unchecked, after the limits on the text and on their number. */
function readItems(text: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = parseLimitedJson(text, {
      maxBytes: MAX_IMPORT_BYTES,
      maxDepth: MAX_NESTING,
      maxStringLength: MAX_IMPORT_STRING,
      forbiddenKeys: new Set(['__proto__', 'constructor', 'prototype']),
    });
  } catch (error) {
    if (error instanceof JsonLimitError) refuse(error.message);
    throw error;
  }
  const collection = collectionSchema.safeParse(parsed);
  if (!collection.success) {
    refuse('It is JSON but not a Lesson Highlighter export: that is an "AnnotationCollection" with its annotations in "first.items"');
  }
  const { items } = collection.data.first;
  if (items.length > MAX_IMPORT_ANNOTATIONS) {
    refuse(`The file holds ${count(items.length)} annotations; at most ${count(MAX_IMPORT_ANNOTATIONS)} can be imported at once`);
  }
  return items;
}

const date = z.string().max(40);
const textualBody = z.object({
  type: z.literal('TextualBody'),
  value: z.string(),
  purpose: z.enum(['commenting', 'tagging']),
});
const selector = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('TextQuoteSelector'),
    exact: z.string(),
    prefix: z.string().optional(),
    suffix: z.string().optional(),
  }),
  z.object({ type: z.literal('TextPositionSelector'), start: z.number(), end: z.number() }),
]);
const itemSchema = z.object({
  id: z.string().max(200),
  type: z.literal('Annotation'),
  created: date,
  modified: date,
  body: z.array(textualBody).max(100).optional(),
  target: z.union([
    z.string().max(2048),
    z.object({ source: z.string().max(2048), selector: z.array(selector).max(10), styleClass: z.string().max(100) }),
  ]),
  lessonHighlighter: z.unknown().optional(),
});
const stamp = z.string().max(64);
const highlightExtension = z.object({
  lesson: recordFieldSchemas.lessonRef,
  deletedAt: z.number().nullable(),
  stamps: z.object({ color: stamp, tags: stamp, deleted: stamp }),
  notes: z.array(z.object({ text: z.string(), stamp, seen: z.record(z.string(), z.number()) })).min(1).max(100),
});
// `notes` (every version of the note) is absent from files exported before lesson notes kept versions.
const lessonNoteExtension = z.object({ lesson: recordFieldSchemas.lessonRef, notes: z.unknown().optional() });

type ConvertedItem = { type: 'highlight'; record: ReplicatedAnnotation } | { type: 'lessonNote'; note: ReplicatedLessonNote };
type ItemJson = z.infer<typeof itemSchema>;

/** One item as a replicated highlight or a lesson note, or what is wrong with it. */
function convertItem(raw: unknown, now: number): ConvertedItem | string {
  const parsed = itemSchema.safeParse(raw);
  if (!parsed.success) return describeIssue(parsed.error.issues[0]!);
  const item = parsed.data;
  const createdAt = readDate(item.created, now);
  const updatedAt = readDate(item.modified, now);
  if (typeof createdAt === 'string') return `created ${createdAt}`;
  if (typeof updatedAt === 'string') return `modified ${updatedAt}`;
  const comments = (item.body ?? []).filter((body) => body.purpose === 'commenting');
  if (comments.length > 1) return 'it has more than one note';
  const note = comments[0]?.value ?? '';
  if (note.length > MAX_NOTE_LENGTH) return `note is longer than ${count(MAX_NOTE_LENGTH)} characters`;
  const times = { createdAt, updatedAt };
  if (typeof item.target === 'string') return convertLessonNote(item, item.target, note, times, now);
  return convertHighlight(item, item.target, note, times, now);
}

/** A lesson's page-level note: its id names the lesson, its target is the lesson's URL. */
function convertLessonNote(
  item: ItemJson,
  url: string,
  note: string,
  { createdAt, updatedAt }: { createdAt: number; updatedAt: number },
  now: number,
): ConvertedItem | string {
  const lessonId = /^urn:lesson-highlighter:lesson-note:(\d{1,20})$/.exec(item.id)?.[1];
  if (!lessonId) return `it targets a whole page but is not a lesson note of Lesson Highlighter (id "${item.id}")`;
  const lesson = readLesson(item.lessonHighlighter, lessonNoteExtension, url);
  if (typeof lesson === 'string') return lesson;
  if (lesson.lessonId !== lessonId) return `the lesson note's id names lesson ${lessonId} but its target is ${url}`;
  const stored = { lessonId, lesson, note, createdAt, updatedAt };
  const raw = lessonNoteExtension.safeParse(item.lessonHighlighter).data?.notes;
  if (raw === undefined) return { type: 'lessonNote', note: toReplicatedLessonNote(stored) };
  const versions = readLessonNoteVersions(raw, now);
  if (typeof versions === 'string') return `lessonHighlighter.${versions}`;
  const notes = mergeNotes(versions, []);
  if (notes[0]!.text !== note) return 'its note differs from the note versions in "lessonHighlighter" (was the file edited by hand?)';
  return { type: 'lessonNote', note: { ...toReplicatedLessonNote(stored), notes } };
}

/** A highlight, with its sync metadata from the extension or synthesized like a record written before sync. */
function convertHighlight(
  item: ItemJson,
  target: { source: string; selector: z.infer<typeof selector>[]; styleClass: string },
  bodyNote: string,
  { createdAt, updatedAt }: { createdAt: number; updatedAt: number },
  now: number,
): ConvertedItem | string {
  const id = /^urn:uuid:(.+)$/.exec(item.id)?.[1];
  if (!id) return `id "${item.id}" is not a urn:uuid`;
  const quote = target.selector.filter((s) => s.type === 'TextQuoteSelector');
  const position = target.selector.filter((s) => s.type === 'TextPositionSelector');
  if (quote.length !== 1 || position.length !== 1) return 'it needs one TextQuoteSelector and one TextPositionSelector';
  const { start, end } = position[0]!;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start || end > MAX_OFFSET) {
    return `the position ${start}–${end} is not a text range (0 ≤ start < end ≤ ${count(MAX_OFFSET)})`;
  }
  const color = readColor(target.styleClass);
  if (!color) return `styleClass "${target.styleClass}" names no highlight color`;
  const tags = (item.body ?? []).filter((body) => body.purpose === 'tagging').map((body) => body.value);
  const extension = readExtension(item.lessonHighlighter, target.source, bodyNote);
  if (typeof extension === 'string') return extension;
  const annotation: Annotation = {
    id,
    lesson: extension.lesson,
    target: {
      quote: { type: 'TextQuoteSelector', exact: quote[0]!.exact, prefix: quote[0]!.prefix ?? '', suffix: quote[0]!.suffix ?? '' },
      position: { type: 'TextPositionSelector', start, end },
    },
    color,
    note: extension.sync?.notes[0]?.text ?? bodyNote,
    tags,
    createdAt,
    updatedAt,
    deletedAt: extension.deletedAt,
    anchorStatus: 'unknown',
    ...(extension.sync ? { sync: extension.sync } : {}),
  };
  const record = toReplicated(annotation);
  const problem = checkReplicated(record, now);
  return problem === null ? { type: 'highlight', record } : problem;
}

/** The lesson, tombstone and sync metadata of a highlight: from the extension, or derived from the URL. */
function readExtension(
  raw: unknown,
  source: string,
  bodyNote: string,
): { lesson: LessonRef; deletedAt: number | null; sync?: Annotation['sync'] } | string {
  if (raw === undefined) {
    const lesson = lessonFromUrl(source);
    return lesson ? { lesson, deletedAt: null } : `target ${source.slice(0, 200)} is not a GeekTime lesson`;
  }
  const parsed = highlightExtension.safeParse(raw);
  if (!parsed.success) return `lessonHighlighter.${describeIssue(parsed.error.issues[0]!)}`;
  const { lesson, deletedAt, stamps, notes } = parsed.data;
  if (lesson.url !== source) return `its lesson ${lesson.url} is not its target ${source.slice(0, 200)}`;
  // The export leaves out a note of only spaces, so such a note has no body.
  const shown = notes[0]!.text;
  if (shown !== bodyNote && !(bodyNote === '' && shown.trim() === '')) {
    return 'its note differs from the note versions in "lessonHighlighter" (was the file edited by hand?)';
  }
  return { lesson, deletedAt, sync: { color: stamps.color, tags: stamps.tags, deleted: stamps.deleted, notes } };
}

/** A lesson note's lesson: from the extension, or derived from the URL. */
function readLesson(raw: unknown, schema: typeof lessonNoteExtension, url: string): LessonRef | string {
  if (raw === undefined) return lessonFromUrl(url) ?? `target ${url.slice(0, 200)} is not a GeekTime lesson`;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return `lessonHighlighter.${describeIssue(parsed.error.issues[0]!)}`;
  if (parsed.data.lesson.url !== url) return `its lesson ${parsed.data.lesson.url} is not its target ${url.slice(0, 200)}`;
  return parsed.data.lesson;
}

/** The lesson of a GeekTime lesson URL; its titles are unknown without the extension. */
function lessonFromUrl(url: string): LessonRef | null {
  const lessonId = /^https:\/\/time\.geekbang\.org\/column\/article\/(\d{1,20})$/.exec(url)?.[1];
  return lessonId ? { site: LESSON_SITE, lessonId, url, lessonTitle: '', courseTitle: '' } : null;
}

function readColor(styleClass: string): HighlightColor | null {
  const name = /^highlight-([a-z]+)$/.exec(styleClass)?.[1];
  return HIGHLIGHT_COLORS.find((color) => color === name) ?? null;
}

/** Milliseconds of an xsd:dateTime between 1970 and tomorrow, or what is wrong with it. */
function readDate(value: string, now: number): number | string {
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) return `"${value}" is not a date and time (like 2026-03-01T08:00:00.000Z)`;
  if (ms < 0 || ms > now + MAX_CLOCK_AHEAD_MS) return `${value} is not a sane date (before 1970 or in the future)`;
  return ms;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  return `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
