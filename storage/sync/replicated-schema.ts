/**
 * The checks every replicated state from elsewhere (another profile, a
 * server, a file) passes before it is merged: the shape and limits of
 * storage/protocol.ts for the record's fields, well-formed stamps and
 * version vectors, and nothing dated more than 24 hours ahead, which would
 * drag this profile's clock into the future.
 */
import { z } from 'zod';
import { recordFieldSchemas } from '../protocol';
import { isReplicaId, parseStamp } from './hlc';
import { stampsOf } from './replicated';

/** How far ahead of this computer's clock a remote stamp may be. */
export const MAX_CLOCK_AHEAD_MS = 24 * 60 * 60 * 1000;
/** Most concurrent versions of one note (one per profile is the realistic worst). */
export const MAX_NOTE_VERSIONS = 100;
/** Most replicas a version vector may name. */
const MAX_SEEN_REPLICAS = 1000;

const stamp = z
  .string()
  .max(64)
  .refine((value) => parseStamp(value) !== null, 'is not a sync stamp');
const time = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const seen = z
  .record(z.string().refine(isReplicaId, 'is not a replica id'), z.number().int().positive().max(Number.MAX_SAFE_INTEGER))
  .refine((vector) => Object.keys(vector).length <= MAX_SEEN_REPLICAS, `names more than ${MAX_SEEN_REPLICAS} profiles`);
/** One note version from elsewhere: its text's limits, a well-formed stamp and version vector. */
export const noteVersionSchema = z.strictObject({ text: recordFieldSchemas.note, stamp, seen });

const replicatedSchema = z.strictObject({
  id: recordFieldSchemas.id,
  lesson: recordFieldSchemas.lessonRef,
  target: recordFieldSchemas.target,
  createdAt: time,
  color: z.strictObject({ value: recordFieldSchemas.color, stamp }),
  tags: z.strictObject({ value: recordFieldSchemas.tags, stamp }),
  deleted: z.strictObject({ value: time.nullable(), stamp }),
  notes: z.array(noteVersionSchema).min(1, 'has no note version').max(MAX_NOTE_VERSIONS),
});

/**
 * What is wrong with `record` as a replicated annotation, in words (naming
 * the field), or null when it may be merged. `now` is this computer's clock.
 */
export function checkReplicated(record: unknown, now: number): string | null {
  const parsed = replicatedSchema.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
  }
  const state = parsed.data;
  const latest = now + MAX_CLOCK_AHEAD_MS;
  for (const value of stampsOf(state)) {
    const wall = parseStamp(value)!.wall;
    if (wall > latest) return `a change is dated ${isoDate(wall)}, more than 24 hours ahead of this computer's clock`;
  }
  if (state.createdAt > latest) return `createdAt is dated ${isoDate(state.createdAt)}, in the future`;
  if (state.deleted.value !== null && state.deleted.value > latest) {
    return `deleted.value is dated ${isoDate(state.deleted.value)}, in the future`;
  }
  const stamps = state.notes.map((version) => version.stamp);
  if (new Set(stamps).size !== stamps.length) return `two note versions have the same stamp`;
  return null;
}

const replicatedLessonNoteSchema = z.strictObject({
  lessonId: recordFieldSchemas.lessonId,
  lesson: recordFieldSchemas.lessonRef,
  createdAt: time,
  notes: z.array(noteVersionSchema).min(1, 'has no note version').max(MAX_NOTE_VERSIONS),
});

/**
 * What is wrong with `note` as a replicated lesson note (issue #5: lesson
 * notes travel through the server and browser sync too), in words naming
 * the field, or null when it may be merged. `now` is this computer's clock.
 */
export function checkReplicatedLessonNote(note: unknown, now: number): string | null {
  const parsed = replicatedLessonNoteSchema.safeParse(note);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
  }
  const state = parsed.data;
  if (state.lesson.lessonId !== state.lessonId) return `lesson.lessonId ${state.lesson.lessonId} is not the note's lesson ${state.lessonId}`;
  const latest = now + MAX_CLOCK_AHEAD_MS;
  for (const version of state.notes) {
    const wall = parseStamp(version.stamp)!.wall;
    if (wall > latest) return `a change is dated ${isoDate(wall)}, more than 24 hours ahead of this computer's clock`;
  }
  if (state.createdAt > latest) return `createdAt is dated ${isoDate(state.createdAt)}, in the future`;
  if (new Set(state.notes.map((version) => version.stamp)).size !== state.notes.length) return `two note versions have the same stamp`;
  return null;
}

/** The lesson a lesson note claims, for naming it in an error (never trusted beyond that). */
export function claimedLessonId(note: unknown): string {
  const id = typeof note === 'object' && note !== null && 'lessonId' in note ? note.lessonId : undefined;
  return typeof id === 'string' ? id.slice(0, 40) : 'missing';
}

function isoDate(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? `${ms} ms` : date.toISOString();
}

/** The id a record claims, for naming it in an error (never trusted beyond that). */
export function claimedId(record: unknown): string {
  const id = typeof record === 'object' && record !== null && 'id' in record ? record.id : undefined;
  return typeof id === 'string' ? id.slice(0, 40) : 'missing';
}
