/**
 * What "not half-written" means for the stored data: every record has the
 * full shape of storage/model.ts (checked field by field with the protocol's
 * own field checks), its parts agree with each other (the shown note is the
 * latest note version, `deletedAt` is the tombstone's time, `updatedAt` the
 * latest stamp), and the profile's sync state in `meta` covers every record
 * (no record carries a sequence number or stamp the counter has not reached),
 * which is what a write cut between two of its steps would leave behind.
 */
import { z } from 'zod';
import type { StoredAnnotation } from '../../storage/db';
import { HIGHLIGHT_COLORS, type LessonNote } from '../../storage/model';
import { recordFieldSchemas } from '../../storage/protocol';
import { parseStamp } from '../../storage/sync/hlc';
import { currentNote } from '../../storage/sync/merge';
import { checkReplicated } from '../../storage/sync/replicated-schema';
import { latestWall, stampsOf, toReplicated } from '../../storage/sync/replicated';

/** The database's three stores, read raw (see `readDatabase` in fault-harness.ts). */
export interface DatabaseDump {
  /** The `lessonRows` table as stored: one row per lesson holding its annotations (storage/annotation-rows.ts). */
  lessonRows: unknown[];
  /** Every annotation record found in those rows. */
  annotations: unknown[];
  lessonNotes: unknown[];
  meta: Array<{ key: string; value: unknown }>;
}

const time = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const stamp = z.string().refine((value) => parseStamp(value) !== null, 'is not a stamp');
const noteVersion = z.strictObject({ text: recordFieldSchemas.note, stamp, seen: z.record(z.string(), z.number().int().positive()) });

/** An annotation as the repository stores it (storage/model.ts `Annotation` plus `syncSeq`). */
const storedAnnotationSchema = z.strictObject({
  id: recordFieldSchemas.id,
  lesson: recordFieldSchemas.lessonRef,
  target: recordFieldSchemas.target,
  color: z.enum(HIGHLIGHT_COLORS),
  note: recordFieldSchemas.note,
  tags: recordFieldSchemas.tags,
  createdAt: time,
  updatedAt: time,
  deletedAt: time.nullable(),
  anchorStatus: z.enum(['anchored', 'orphan', 'unknown']),
  // Every record this version writes carries its merge metadata.
  sync: z.strictObject({ color: stamp, tags: stamp, deleted: stamp, notes: z.array(noteVersion).min(1) }),
  syncSeq: z.number().int().positive(),
});

/** A lesson's page-level note (storage/model.ts `LessonNote`). */
const lessonNoteSchema = z.strictObject({
  lessonId: recordFieldSchemas.lessonId,
  lesson: recordFieldSchemas.lessonRef,
  note: recordFieldSchemas.note,
  createdAt: time,
  updatedAt: time,
  sync: z.strictObject({ notes: z.array(noteVersion).min(1) }).optional(),
  // Lesson notes sync like highlights (issue #5), numbered by the same counter.
  syncSeq: z.number().int().positive().optional(),
});

// The checks above describe the model's types: the compiler refuses them if the model gains a required field they lack.
type Describes<Model, Checked extends Model> = Checked;
export type CheckedAnnotation = Describes<StoredAnnotation, z.infer<typeof storedAnnotationSchema>>;
export type CheckedLessonNote = Describes<LessonNote, z.infer<typeof lessonNoteSchema>>;

/** One malformed or inconsistent record, in words. */
export interface ShapeProblem {
  store: 'lessonRows' | 'annotations' | 'lessonNotes' | 'meta';
  id: string;
  problem: string;
}

/** Every half-written record in `dump` (empty when all are whole). */
export function findHalfWritten(dump: DatabaseDump, now: number = Date.now()): ShapeProblem[] {
  const problems: ShapeProblem[] = [];
  const meta = readMeta(dump.meta);
  if (typeof meta === 'string') problems.push({ store: 'meta', id: 'meta', problem: meta });
  const sequences = new Set<number>();
  const rowOfId = new Map<string, string>();
  for (const raw of dump.lessonRows) {
    const problem = rowProblem(raw, rowOfId);
    if (problem) problems.push({ store: 'lessonRows', id: idOf(raw, 'lessonId'), problem });
  }
  for (const raw of dump.annotations) {
    const id = idOf(raw, 'id');
    const problem = annotationProblem(raw, now, typeof meta === 'string' ? null : meta, sequences);
    if (problem) problems.push({ store: 'annotations', id, problem });
  }
  for (const raw of dump.lessonNotes) {
    const problem = lessonNoteProblem(raw, typeof meta === 'string' ? null : meta, sequences);
    if (problem) problems.push({ store: 'lessonNotes', id: idOf(raw, 'lessonId'), problem });
  }
  return problems;
}

interface MetaState {
  replicaId: string;
  clock: { wall: number; counter: number };
  sequence: number;
}

function readMeta(entries: DatabaseDump['meta']): MetaState | string {
  const byKey = new Map(entries.map((entry) => [entry.key, entry.value]));
  const parsed = z
    .strictObject({
      replicaId: z.string().regex(/^[a-z0-9]{12}$/),
      clock: z.strictObject({ wall: time, counter: time }),
      sequence: time,
    })
    .safeParse(Object.fromEntries(byKey));
  return parsed.success ? parsed.data : `sync state: ${issueText(parsed.error)}`;
}

const rowSchema = z.strictObject({
  lessonId: z.string().min(1),
  records: z.array(z.object({ id: z.string(), lesson: z.object({ lessonId: z.string() }), updatedAt: time, syncSeq: z.number().optional() })),
  ids: z.array(z.string()),
  syncSeq: time,
  updatedAt: time,
});

/**
 * Whether a lesson row is whole: its index fields (`ids`, and the newest
 * `syncSeq` and `updatedAt` its queries rely on) agree with its records,
 * each record belongs to its lesson, no record is in two rows, no row is empty.
 */
function rowProblem(raw: unknown, rowOfId: Map<string, string>): string | null {
  const parsed = rowSchema.safeParse(raw);
  if (!parsed.success) return issueText(parsed.error);
  const row = parsed.data;
  if (row.records.length === 0) return 'an empty row was kept';
  if (row.ids.join() !== row.records.map((record) => record.id).join()) return 'its ids do not match its records';
  const stray = row.records.find((record) => record.lesson.lessonId !== row.lessonId);
  if (stray) return `record ${stray.id} belongs to lesson ${stray.lesson.lessonId}`;
  if (row.syncSeq !== Math.max(...row.records.map((record) => record.syncSeq ?? 0))) return 'its syncSeq is not its newest record\'s';
  if (row.updatedAt !== Math.max(...row.records.map((record) => record.updatedAt))) return 'its updatedAt is not its newest record\'s';
  for (const { id } of row.records) {
    const other = rowOfId.get(id);
    if (other !== undefined) return `record ${id} is also in the row of lesson ${other}`;
    rowOfId.set(id, row.lessonId);
  }
  return null;
}

function annotationProblem(raw: unknown, now: number, meta: MetaState | null, sequences: Set<number>): string | null {
  const parsed = storedAnnotationSchema.safeParse(raw);
  if (!parsed.success) return issueText(parsed.error);
  const record = parsed.data;
  const replicated = toReplicated(record);
  const merge = checkReplicated(replicated, now);
  if (merge) return `merge metadata: ${merge}`;
  if (currentNote(record.sync.notes) !== record.note) return 'the shown note is not its latest version';
  // A local deletion sets deletedAt to its stamp's time; an undo clears both together.
  const tombstone = parseStamp(record.sync.deleted)!;
  const local = meta !== null && tombstone.replica === meta.replicaId;
  if (local && record.deletedAt !== null && record.deletedAt !== tombstone.wall) return 'deletedAt disagrees with the tombstone';
  if (latestWall(replicated) !== record.updatedAt) return 'updatedAt is not the time of its latest change';
  return counterProblem(record.syncSeq, stampsOf(replicated), meta, sequences);
}

function lessonNoteProblem(raw: unknown, meta: MetaState | null, sequences: Set<number>): string | null {
  const parsed = lessonNoteSchema.safeParse(raw);
  if (!parsed.success) return issueText(parsed.error);
  const { note, sync, syncSeq } = parsed.data;
  if (sync && currentNote(sync.notes) !== note) return 'the shown note is not its latest version';
  return counterProblem(syncSeq, sync?.notes.map((version) => version.stamp) ?? [], meta, sequences);
}

/**
 * Whether a record's sequence number and stamps are covered by the saved
 * sync state: each number used once and not past the counter, no stamp
 * ahead of the clock. A write that stored the record but not the state
 * (or the other way round) fails here.
 */
function counterProblem(syncSeq: number | undefined, stamps: readonly string[], meta: MetaState | null, sequences: Set<number>): string | null {
  if (syncSeq !== undefined) {
    if (sequences.has(syncSeq)) return `sequence number ${syncSeq} is used twice`;
    sequences.add(syncSeq);
  }
  if (!meta) return null;
  if (syncSeq !== undefined && syncSeq > meta.sequence) return `sequence number ${syncSeq} is past the counter (${meta.sequence})`;
  for (const value of stamps) {
    const reading = parseStamp(value)!;
    const ahead = reading.wall > meta.clock.wall || (reading.wall === meta.clock.wall && reading.counter > meta.clock.counter);
    if (ahead) return `stamp ${value} is ahead of the saved clock`;
  }
  return null;
}

function idOf(raw: unknown, key: string): string {
  const value = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : '(no id)';
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || 'record'}: ${issue.message}`;
}
