/**
 * The one message API between the extension's contexts (content script, popup,
 * library) and the background service worker, which owns the database.
 *
 * Each request is `{ type, ...payload }`, named verb + noun, and is validated
 * here on arrival; each answer is a {@link Result}. Callers outside the
 * background import only the types (`import type`), so no validation code is
 * bundled into the content script.
 */
import { z } from 'zod';
import { HIGHLIGHT_COLORS, LESSON_SITE, MAX_NOTE_LENGTH } from './model';
import type { Annotation, LessonNote } from './model';
import { parseStamp } from './sync/hlc';
import type { LibraryCounts } from './backup/library-counts';

export { MAX_NOTE_LENGTH };
/** Longest highlighted passage we accept; a whole lesson is ~100k characters. */
export const MAX_QUOTE_LENGTH = 50_000;
/** Context stored on each side of a quote. */
export const MAX_CONTEXT_LENGTH = 256;

const id = z.string().uuid();
const lessonId = z.string().regex(/^\d{1,20}$/, 'lesson id must be digits');
const color = z.enum(HIGHLIGHT_COLORS);
const note = z.string().max(MAX_NOTE_LENGTH, `note is longer than ${MAX_NOTE_LENGTH} characters`);
const tags = z.array(z.string().min(1).max(100)).max(50);
const offset = z.number().int().nonnegative().max(10_000_000);
/**
 * A lesson's address: http(s) on the lesson site, nothing else. Imported and
 * synced records reach "Open" (`tabs.create`) and the Markdown export's links,
 * where a `javascript:`, `data:` or foreign URL would run or mislead (issue #8).
 */
const lessonUrl = z
  .string()
  .max(2048)
  .refine(isLessonSiteUrl, `url must be an http(s) address on ${LESSON_SITE}`);

function isLessonSiteUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname === LESSON_SITE;
  } catch {
    // Not an absolute URL at all, so not a lesson's address.
    return false;
  }
}

const lessonRef = z.strictObject({
  site: z.literal(LESSON_SITE),
  lessonId,
  url: lessonUrl,
  lessonTitle: z.string().max(1000),
  courseTitle: z.string().max(1000),
});

const target = z.strictObject({
  quote: z.strictObject({
    type: z.literal('TextQuoteSelector'),
    exact: z.string().min(1).max(MAX_QUOTE_LENGTH),
    prefix: z.string().max(MAX_CONTEXT_LENGTH),
    suffix: z.string().max(MAX_CONTEXT_LENGTH),
  }),
  position: z
    .strictObject({ type: z.literal('TextPositionSelector'), start: offset, end: offset })
    .refine((p) => p.end > p.start, 'position end must be after start'),
});

/**
 * The field checks of annotation records, shared with the checks of synced
 * and imported records (storage/sync/local-store.ts), so every way in
 * accepts the same records.
 */
export const recordFieldSchemas = { id, lessonId, color, note, tags, lessonRef, target } as const;

/** Every request the background answers, told apart by `type`. */
export const requestSchema = z.discriminatedUnion('type', [
  /** The live (not deleted) annotations of one lesson, in reading order. */
  z.strictObject({ type: z.literal('listLessonAnnotations'), lessonId }),
  /** Create a highlight (optionally with a note). Answers the stored record. */
  z.strictObject({
    type: z.literal('createAnnotation'),
    draft: z.strictObject({ lesson: lessonRef, target, color, note: note.optional() }),
  }),
  /** Change color, note or tags. Answers the stored record. */
  z.strictObject({
    type: z.literal('updateAnnotation'),
    id,
    patch: z
      .strictObject({ color: color.optional(), note: note.optional(), tags: tags.optional() })
      .refine((p) => Object.keys(p).length > 0, 'patch changes nothing'),
  }),
  /** Delete (tombstone) an annotation. Answers the tombstoned record, for undo. */
  z.strictObject({ type: z.literal('deleteAnnotation'), id }),
  /** Undo a deletion. Answers the restored record. */
  z.strictObject({ type: z.literal('restoreAnnotation'), id }),
  /** The lesson's page-level note, or null when it has none. */
  z.strictObject({ type: z.literal('getLessonNote'), lessonId }),
  /** Save (or clear, with an empty text) the lesson's page-level note. Answers the stored note. */
  z.strictObject({ type: z.literal('saveLessonNote'), lesson: lessonRef, note }),
  /** Record which highlights could (not) be put back on the page. Orphans are kept. */
  z.strictObject({
    type: z.literal('reportAnchorResults'),
    lessonId,
    results: z
      .array(z.strictObject({ id, status: z.enum(['anchored', 'orphan']) }))
      .max(100_000),
  }),
  // --- Review: the popup and the library (issue #4) ---
  /**
   * Every live annotation of every lesson, most recently updated first. With
   * `limit`, only the first ones: the popup paints those before the rest arrive.
   */
  z.strictObject({ type: z.literal('listAnnotations'), limit: z.number().int().positive().max(100_000).optional() }),
  /** Every lesson's page-level note that is not empty, most recently updated first. */
  z.strictObject({ type: z.literal('listLessonNotes') }),
  /**
   * Shows an annotation in its lesson: focuses the tab that shows the lesson
   * (or opens one), then scrolls the highlight into view and flashes it, even
   * if the lesson has not rendered yet. Answers the tab's id. Needs the tabs
   * API, so the background answers it, not `storage/handlers.ts`.
   */
  z.strictObject({ type: z.literal('openAnnotation'), id }),
  /**
   * From the content script when a lesson starts: the highlight this tab was
   * asked to reveal while nobody listened (a tab still loading), or null.
   * Answering clears it. Answered by the background, which knows the tab.
   */
  z.strictObject({ type: z.literal('takePendingReveal') }),
  // --- Sync (issue #5) ---
  /**
   * Merge a JSON export (the text of a `.jsonld` file) into the database by
   * the sync rules, all or nothing: a bad file is refused with the problem in
   * words and changes nothing. Answers how many annotations the file held and
   * how many local records changed (0 when the same file is imported again).
   * The size and content limits are checked by the import, not here, so that
   * the refusal can name them.
   */
  z.strictObject({ type: z.literal('importAnnotations'), text: z.string() }),
  /**
   * Make a note version the note again (a conflict version, `annotation.sync.notes[i]`
   * with i ≥ 1; or the shown one, which dismisses the others), as a new edit
   * that supersedes every version. Answers the stored record.
   */
  z.strictObject({
    type: z.literal('restoreNoteVersion'),
    id,
    stamp: z
      .string()
      .max(64)
      .refine((value) => parseStamp(value) !== null, 'stamp is not a note version stamp'),
  }),
  /**
   * Make a conflict version of a lesson's page-level note (`lessonNote.sync.notes[i]`,
   * i ≥ 1) the note; the replaced text stays as a conflict version. Answers the stored note.
   */
  z.strictObject({
    type: z.literal('restoreLessonNoteVersion'),
    lessonId,
    stamp: z
      .string()
      .max(64)
      .refine((value) => parseStamp(value) !== null, 'stamp is not a note version stamp'),
  }),
  // --- Storage (issue #8) ---
  /** How many live highlights and notes the library holds (the options page's storage line). */
  z.strictObject({ type: z.literal('countLibrary') }),
]);

export type Request = z.infer<typeof requestSchema>;
export type RequestType = Request['type'];

/** What each request answers with when it succeeds. */
export interface ResponseValues {
  listLessonAnnotations: Annotation[];
  createAnnotation: Annotation;
  updateAnnotation: Annotation;
  deleteAnnotation: Annotation;
  restoreAnnotation: Annotation;
  reportAnchorResults: { updated: number };
  getLessonNote: LessonNote | null;
  saveLessonNote: LessonNote;
  listAnnotations: Annotation[];
  listLessonNotes: LessonNote[];
  openAnnotation: { tabId: number };
  takePendingReveal: string | null;
  importAnnotations: { imported: number; changed: number };
  restoreNoteVersion: Annotation;
  restoreLessonNoteVersion: LessonNote;
  countLibrary: LibraryCounts;
}

/** Requests that need the browser's tabs (and the sender's tab): answered by the background wiring. */
export const TAB_REQUEST_TYPES = ['openAnnotation', 'takePendingReveal'] as const;
export type TabRequestType = (typeof TAB_REQUEST_TYPES)[number];
/** Requests answered from the database alone (`storage/handlers.ts`). */
export type StorageRequestType = Exclude<RequestType, TabRequestType>;

/** Whether `request` needs the tabs API rather than the database alone. */
export function isTabRequest(request: Request): request is Extract<Request, { type: TabRequestType }> {
  return (TAB_REQUEST_TYPES as readonly string[]).includes(request.type);
}

/**
 * Messages the background sends to the content script (the other direction),
 * told apart by `type`. The content script checks them by hand (see
 * `entrypoints/content/reveal.ts`) so that no validation library is bundled into it.
 */
export const contentMessageSchema = z.discriminatedUnion('type', [
  /** Scroll the highlight `id` into view and flash it: now, or as soon as it is painted. */
  z.strictObject({ type: z.literal('revealAnnotation'), id }),
  /** The lesson's highlights or notes changed elsewhere (another tab, the popup, sync): show them again. */
  z.strictObject({ type: z.literal('annotationsChanged'), lessonId: lessonId.nullable() }),
]);

export type ContentMessage = z.infer<typeof contentMessageSchema>;

/** Every answer crossing the boundary: a value, or an error in words. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/** Validates an incoming message; the error lists what is wrong, in words. */
export function parseRequest(message: unknown): Result<Request> {
  const parsed = requestSchema.safeParse(message);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ` : '') + issue.message);
  return { ok: false, error: `Invalid request: ${issues.join('; ')}` };
}
