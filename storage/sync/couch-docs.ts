/**
 * How an annotation is stored on the sync server: one document per
 * annotation, id `a:<annotation id>`, body the replicated annotation of
 * merge.ts. Documents from the server are validated before they reach the
 * local database: the server is shared, and anything may have written to it.
 */
import { z } from 'zod';
import { HIGHLIGHT_COLORS, LESSON_SITE } from '../model';
import { parseStamp } from './hlc';
import type { ReplicatedAnnotation } from './merge';

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

/** True when two states hold the same data, whatever their keys' order. */
export function sameState(a: ReplicatedAnnotation, b: ReplicatedAnnotation): boolean {
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
