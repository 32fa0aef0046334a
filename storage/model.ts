/**
 * The annotation record, shaped after the W3C Web Annotation Data Model
 * (https://www.w3.org/TR/annotation-model/): a target described by selectors,
 * a body (here: color, note, tags) and provenance timestamps.
 *
 * This file holds types and constants only, so the content script can import
 * it without pulling in any database or validation code.
 */

/** The five highlighter colors, in toolbar order. */
export const HIGHLIGHT_COLORS = ['yellow', 'green', 'blue', 'pink', 'purple'] as const;
export type HighlightColor = (typeof HIGHLIGHT_COLORS)[number];

/** Longest note a reader may write (characters). Longer input is refused, never cut. */
export const MAX_NOTE_LENGTH = 10_000;

/** The only site we annotate. Kept in the record so exports are self-describing. */
export const LESSON_SITE = 'time.geekbang.org';

/** Which lesson an annotation belongs to. Titles are best-effort. */
export interface LessonRef {
  site: typeof LESSON_SITE;
  /** The `<aid>` of `/column/article/<aid>`. */
  lessonId: string;
  /** Canonical lesson URL, without query or hash. */
  url: string;
  lessonTitle: string;
  courseTitle: string;
}

/** W3C TextQuoteSelector: the highlighted text with some context on each side. */
export interface TextQuoteSelector {
  type: 'TextQuoteSelector';
  exact: string;
  prefix: string;
  suffix: string;
}

/**
 * W3C TextPositionSelector. Offsets count UTF-16 code units in the lesson's
 * normalised text (see page/text-index.ts), not in raw `textContent`.
 */
export interface TextPositionSelector {
  type: 'TextPositionSelector';
  start: number;
  end: number;
}

/** Where a highlight points. Both selectors are always stored. */
export interface AnnotationTarget {
  quote: TextQuoteSelector;
  position: TextPositionSelector;
}

/** Result of the last attempt to put the highlight back on the page. */
export type AnchorStatus = 'anchored' | 'orphan' | 'unknown';

/** A hybrid-logical-clock reading (see storage/sync/hlc.ts); orders edits across profiles. */
export type Stamp = string;

/** One version of a note, with the note edits it was written on top of (a version vector). */
export interface NoteVersion {
  text: string;
  stamp: Stamp;
  seen: Record<string, number>;
}

/**
 * What sync needs to merge an annotation with other profiles' copies: when
 * each field was last set, and the concurrent versions of its note (the
 * first is the one shown; the others are conflict versions to restore).
 */
export interface SyncMeta {
  color: Stamp;
  tags: Stamp;
  deleted: Stamp;
  notes: NoteVersion[];
}

/** A highlight with its note, as stored in the extension's database. */
export interface Annotation {
  /** Stable id (UUID v4), never reused. */
  id: string;
  lesson: LessonRef;
  target: AnnotationTarget;
  color: HighlightColor;
  /** Margin note; empty when there is none. */
  note: string;
  tags: string[];
  /** Milliseconds since the epoch. */
  createdAt: number;
  updatedAt: number;
  /** Tombstone: set when deleted, cleared by undo. Sync needs to see deletions. */
  deletedAt: number | null;
  anchorStatus: AnchorStatus;
  /** Merge metadata; absent only on records written before sync existed. */
  sync?: SyncMeta;
}

/** What the page sends to create a highlight; the background fills in the rest. */
export interface AnnotationDraft {
  lesson: LessonRef;
  target: AnnotationTarget;
  color: HighlightColor;
  note?: string;
}

/** The fields a user can change after creation. */
export interface AnnotationPatch {
  color?: HighlightColor;
  note?: string;
  tags?: string[];
}

/** The one page-level note of a lesson, not tied to any highlight. */
export interface LessonNote {
  /** Same as `lesson.lessonId`; the primary key. */
  lessonId: string;
  lesson: LessonRef;
  /** Empty when the reader cleared it. */
  note: string;
  createdAt: number;
  updatedAt: number;
  /**
   * The concurrent versions of the note, the shown one first (issue #5: a
   * concurrent edit on another profile, arriving in an imported file, is
   * kept as a conflict version). Absent on notes saved before versions were kept.
   */
  sync?: { notes: NoteVersion[] };
}
