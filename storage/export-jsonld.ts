/**
 * JSON export (issue #4) in the W3C Web Annotation Data Model
 * (https://www.w3.org/TR/annotation-model/): one `AnnotationCollection`
 * whose first page embeds every annotation. A highlight targets its lesson
 * URL through a `TextQuoteSelector` and a `TextPositionSelector`; its note is
 * a `TextualBody` (purpose "commenting"), its tags are tagging bodies, and
 * its color is a `styleClass` with a `CssStylesheet`. A lesson's page-level
 * note is an annotation whose target is the lesson URL itself.
 *
 * Each item also carries `lessonHighlighter`, an extension property outside
 * the Web Annotation context (JSON-LD processors ignore it) with what an
 * import needs to merge the file losslessly by the sync rules (issue #5):
 * the lesson's titles, when each field was last set, and every concurrent
 * version of the note.
 */
import type { CourseGroup, LessonGroup } from './grouping';
import type { Annotation, HighlightColor, LessonNote, LessonRef, NoteVersion, Stamp } from './model';
import { lessonNoteVersions } from './sync/lesson-note-versions';
import { syncMetaOf } from './sync/replicated';

/** The Web Annotation JSON-LD context. */
export const ANNOTATION_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';

/** A `TextualBody`: the note (commenting) or one tag (tagging). */
export interface TextualBodyJson {
  type: 'TextualBody';
  value: string;
  format: 'text/plain';
  purpose: 'commenting' | 'tagging';
}

/** A selector of a highlight's target. */
export type SelectorJson =
  | { type: 'TextQuoteSelector'; exact: string; prefix: string; suffix: string }
  | { type: 'TextPositionSelector'; start: number; end: number };

/** A highlight's sync metadata in the export: read back by storage/sync/import-file.ts. */
export interface HighlightExtensionJson {
  lesson: LessonRef;
  /** The tombstone (exports hold live highlights, so normally null). */
  deletedAt: number | null;
  /** When color, tags and the tombstone were last set. */
  stamps: { color: Stamp; tags: Stamp; deleted: Stamp };
  /** Every concurrent note version, the shown one first. */
  notes: NoteVersion[];
}

/** A lesson note's extension: its lesson with the titles the W3C target (a URL) cannot carry, and every version of its note. */
export interface LessonNoteExtensionJson {
  lesson: LessonRef;
  /** Every concurrent version of the note, the shown one first (read back by the import, issue #5). */
  notes: NoteVersion[];
}

/** One annotation as exported (embedded in the collection, so without its own `@context`). */
export interface AnnotationJson {
  id: string;
  type: 'Annotation';
  motivation: 'highlighting' | 'commenting';
  created: string;
  modified: string;
  body?: TextualBodyJson[];
  target: string | { source: string; selector: SelectorJson[]; styleClass: string };
  stylesheet?: { type: 'CssStylesheet'; value: string };
  lessonHighlighter?: HighlightExtensionJson | LessonNoteExtensionJson;
}

/** The exported file: one collection with one embedded page. */
export interface AnnotationCollectionJson {
  '@context': typeof ANNOTATION_CONTEXT;
  id: string;
  type: 'AnnotationCollection';
  label: string;
  total: number;
  generated: string;
  generator: { type: 'Software'; name: string };
  first: { type: 'AnnotationPage'; startIndex: 0; items: AnnotationJson[] };
}

/** What the collection says about itself. */
export interface CollectionInfo {
  /** An IRI, e.g. `urn:uuid:…`. */
  id: string;
  label: string;
  generatedAt: number;
}

/** Solid versions of the highlight colors, for the exported stylesheet. */
const COLOR_CSS: Record<HighlightColor, string> = {
  yellow: '#ffd400',
  green: '#40c96e',
  blue: '#4f9dff',
  pink: '#ff6fae',
  purple: '#a77bf3',
};

/** The collection of every annotation and lesson note in `courses`, in their order. */
export function toAnnotationCollection(
  courses: readonly CourseGroup[],
  info: CollectionInfo,
): AnnotationCollectionJson {
  const items = courses.flatMap((course) => course.lessons.flatMap(lessonItems));
  return {
    '@context': ANNOTATION_CONTEXT,
    id: info.id,
    type: 'AnnotationCollection',
    label: info.label,
    total: items.length,
    generated: isoDate(info.generatedAt),
    generator: { type: 'Software', name: 'Lesson Highlighter' },
    first: { type: 'AnnotationPage', startIndex: 0, items },
  };
}

function lessonItems(lesson: LessonGroup): AnnotationJson[] {
  const items = lesson.annotations.map(annotationJson);
  return lesson.note ? [lessonNoteJson(lesson.note), ...items] : items;
}

/** One highlight, with its note and tags as bodies and its color as a style class. */
export function annotationJson(annotation: Annotation): AnnotationJson {
  const { quote, position } = annotation.target;
  const styleClass = `highlight-${annotation.color}`;
  const body: TextualBodyJson[] = annotation.tags.map((tag) => textualBody(tag, 'tagging'));
  if (annotation.note.trim() !== '') body.unshift(textualBody(annotation.note, 'commenting'));
  return {
    id: `urn:uuid:${annotation.id}`,
    type: 'Annotation',
    motivation: annotation.note.trim() !== '' ? 'commenting' : 'highlighting',
    created: isoDate(annotation.createdAt),
    modified: isoDate(annotation.updatedAt),
    ...(body.length > 0 ? { body } : {}),
    target: {
      source: annotation.lesson.url,
      // Positions count code units of the lesson's normalised text (page/text-index.ts);
      // the quote selector, listed first, is the one to trust.
      selector: [
        { type: 'TextQuoteSelector', exact: quote.exact, prefix: quote.prefix, suffix: quote.suffix },
        { type: 'TextPositionSelector', start: position.start, end: position.end },
      ],
      styleClass,
    },
    stylesheet: {
      type: 'CssStylesheet',
      value: `.${styleClass} { background-color: ${COLOR_CSS[annotation.color]}; }`,
    },
    lessonHighlighter: highlightExtension(annotation),
  };
}

/** The sync metadata of a highlight (synthesized for one written before sync). */
function highlightExtension(annotation: Annotation): HighlightExtensionJson {
  const sync = syncMetaOf(annotation);
  return {
    lesson: { ...annotation.lesson },
    deletedAt: annotation.deletedAt,
    stamps: { color: sync.color, tags: sync.tags, deleted: sync.deleted },
    notes: sync.notes.map((version) => ({ text: version.text, stamp: version.stamp, seen: { ...version.seen } })),
  };
}

/** A lesson's page-level note: a comment on the whole lesson, so the target is its URL. */
export function lessonNoteJson(note: LessonNote): AnnotationJson {
  return {
    // Lesson notes have no UUID of their own; one per lesson, so the lesson id names it.
    id: `urn:lesson-highlighter:lesson-note:${note.lessonId}`,
    type: 'Annotation',
    motivation: 'commenting',
    created: isoDate(note.createdAt),
    modified: isoDate(note.updatedAt),
    body: [textualBody(note.note, 'commenting')],
    target: note.lesson.url,
    lessonHighlighter: {
      lesson: { ...note.lesson },
      notes: lessonNoteVersions(note).map((version) => ({ text: version.text, stamp: version.stamp, seen: { ...version.seen } })),
    },
  };
}

function textualBody(value: string, purpose: TextualBodyJson['purpose']): TextualBodyJson {
  return { type: 'TextualBody', value, format: 'text/plain', purpose };
}

/** xsd:dateTime in UTC, as the model asks. */
function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}
