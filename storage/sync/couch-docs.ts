/**
 * How an annotation is stored on the sync server: one document per
 * annotation, id `a:<annotation id>`, body the replicated annotation of
 * merge.ts. A lesson's page-level note (issue #5) is a document of its own,
 * id `lessonNote:<lesson id>`, `type: "lessonNote"`, body the replicated
 * lesson note. Documents from the server are validated before they reach
 * the local database: the server is shared, and anything may have written to it.
 */
import { z } from 'zod';
import { HIGHLIGHT_COLORS, LESSON_SITE } from '../model';
import { parseStamp } from './hlc';
import type { ReplicatedAnnotation, ReplicatedLessonNote } from './merge';
import { checkReplicatedLessonNote } from './replicated-schema';

/** Our documents' id prefix; other documents in the database (design docs, others' data) are left alone. */
export const ANNOTATION_DOC_PREFIX = 'a:';

/** A document as the server stores it. */
export type AnnotationDoc = ReplicatedAnnotation & { _id: string; _rev?: string };

/** The server's id of an annotation's document. */
export function annotationDocId(annotationId: string): string {
  return `${ANNOTATION_DOC_PREFIX}${annotationId}`;
}

/** The document to write for `record`, replacing revision `rev` when the server has one. */
export function toAnnotationDoc(record: ReplicatedAnnotation, rev?: string): AnnotationDoc {
  return rev === undefined ? { _id: annotationDocId(record.id), ...record } : { _id: annotationDocId(record.id), _rev: rev, ...record };
}

const stamp = z.string().refine((value) => parseStamp(value) !== null, 'malformed stamp');
const text = (max: number) => z.string().max(max);

const replicatedAnnotationSchema = z.object({
  id: z.string().min(1).max(100),
  lesson: z.object({
    site: z.literal(LESSON_SITE),
    lessonId: text(40),
    url: text(2048),
    lessonTitle: text(1000),
    courseTitle: text(1000),
  }),
  target: z.object({
    quote: z.object({ type: z.literal('TextQuoteSelector'), exact: text(50_000), prefix: text(1000), suffix: text(1000) }),
    position: z.object({ type: z.literal('TextPositionSelector'), start: z.number().int().nonnegative(), end: z.number().int().nonnegative() }),
  }),
  createdAt: z.number(),
  color: z.object({ value: z.enum(HIGHLIGHT_COLORS), stamp }),
  tags: z.object({ value: z.array(text(100)).max(50), stamp }),
  deleted: z.object({ value: z.number().nullable(), stamp }),
  notes: z.array(z.object({ text: text(10_000), stamp, seen: z.record(z.string(), z.number().int().nonnegative()) })).min(1),
});

/**
 * The annotation a server document holds, or null when it is not one of
 * ours, was deleted on the server (absence is never a deletion here), or is
 * malformed.
 */
export function fromAnnotationDoc(doc: unknown): ReplicatedAnnotation | null {
  if (typeof doc !== 'object' || doc === null) return null;
  const { _id: id, _deleted: deleted } = doc as { _id?: unknown; _deleted?: unknown };
  if (typeof id !== 'string' || !id.startsWith(ANNOTATION_DOC_PREFIX) || deleted === true) return null;
  const parsed = replicatedAnnotationSchema.safeParse(doc);
  if (!parsed.success || annotationDocId(parsed.data.id) !== id) return null;
  return parsed.data satisfies ReplicatedAnnotation;
}

/** Our lesson notes' document id prefix. */
export const LESSON_NOTE_DOC_PREFIX = 'lessonNote:';

/** A lesson note's document as the server stores it. */
export type LessonNoteDoc = ReplicatedLessonNote & { _id: string; _rev?: string; type: 'lessonNote' };

/** The server's id of a lesson's note document. */
export function lessonNoteDocId(lessonId: string): string {
  return `${LESSON_NOTE_DOC_PREFIX}${lessonId}`;
}

/** The document to write for `note`, replacing revision `rev` when the server has one. */
export function toLessonNoteDoc(note: ReplicatedLessonNote, rev?: string): LessonNoteDoc {
  const { lessonId, lesson, createdAt, notes } = note;
  const body = { type: 'lessonNote' as const, lessonId, lesson, createdAt, notes };
  return rev === undefined ? { _id: lessonNoteDocId(lessonId), ...body } : { _id: lessonNoteDocId(lessonId), _rev: rev, ...body };
}

/** What a lesson note document holds: the note, what is wrong with it (in words), or null when it is not one of ours or was deleted. */
export type LessonNoteDocContent = { type: 'note'; note: ReplicatedLessonNote } | { type: 'malformed'; problem: string } | null;

/**
 * Reads a lesson note document with the checks of every synced lesson note
 * (`checkReplicatedLessonNote`, `now` being this computer's clock), so a bad
 * one is told apart here, in words, and never reaches (and refuses) a
 * merge of the other documents of its page.
 */
export function readLessonNoteDoc(doc: unknown, now: number): LessonNoteDocContent {
  if (typeof doc !== 'object' || doc === null) return null;
  const { _id: id, _deleted: deleted, type } = doc as Record<string, unknown>;
  if (typeof id !== 'string' || !id.startsWith(LESSON_NOTE_DOC_PREFIX) || deleted === true) return null;
  if (type !== 'lessonNote') return { type: 'malformed', problem: 'type: is not "lessonNote"' };
  // CouchDB's own fields (`_rev`, `_conflicts`, …) and `type` are not part of the note; anything else must be.
  const body = Object.fromEntries(Object.entries(doc).filter(([key]) => !key.startsWith('_') && key !== 'type'));
  const problem = checkReplicatedLessonNote(body, now);
  if (problem !== null) return { type: 'malformed', problem };
  const note = body as unknown as ReplicatedLessonNote;
  if (lessonNoteDocId(note.lessonId) !== id) return { type: 'malformed', problem: `its id does not name lesson ${note.lessonId}` };
  return { type: 'note', note: { lessonId: note.lessonId, lesson: note.lesson, createdAt: note.createdAt, notes: note.notes } };
}

/** True when two states hold the same data, whatever their keys' order. */
export function sameState<T>(a: T, b: T): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** JSON with object keys sorted, so equal data gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : item,
  );
}
