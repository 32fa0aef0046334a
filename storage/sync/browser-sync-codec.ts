/**
 * Browser sync items, format 1: a self-contained set of annotation states,
 * as compact JSON, then text → bytes, deflate and base 85
 * (browser-sync-bytes.ts). Every item decodes on its own, so items written
 * by different profiles at the same moment can be mixed freely.
 *
 * The JSON is a tuple `[epoch, replicas, lessons, records]`:
 * - lesson titles and URL are stored once per item (`lessons`), the URL only
 *   when it is not the canonical one of the lesson id;
 * - replica ids are stored once (`replicas`) and stamps name them by index;
 * - times are base-36 differences: `createdAt` from the item's `epoch`, each
 *   stamp's wall clock from the record's `createdAt`, so the stamps of a
 *   record made and never edited are all "0~0";
 * - a record is `[id, lesson, start, length, exact, prefix, suffix, created,
 *   color, colorStamp, tags, tagsStamp, deleted, deletedStamp, notes]`,
 *   `deleted` being 0 when live, and each note `[text, stamp, seen]` with
 *   `seen` flattened to `[replica, count, …]`.
 * Decoding checks every field with the same rules as the messages and the
 * import (protocol.ts), so a damaged or hostile item is refused whole.
 */
import { HIGHLIGHT_COLORS, LESSON_SITE, type LessonRef } from '../model';
import { recordFieldSchemas } from '../protocol';
import { asciiToBytes, bytesToAscii, bytesToText, DamagedItemError, deflate, inflate, textToBytes } from './browser-sync-bytes';
import { formatStamp, isReplicaId, parseStamp } from './hlc';
import { mergeNotes, type ReplicatedAnnotation } from './merge';

export { DamagedItemError };

/** First character of every format-1 item value. */
export const FORMAT = '1';
/** How far ahead of this computer's clock a remote time may be (the database's rule too). */
const MAX_CLOCK_AHEAD_MS = 24 * 60 * 60 * 1000;
/** Most concurrent versions of one note the database accepts. */
const MAX_NOTE_VERSIONS = 100;
/** Most bytes an item may inflate to; far above what 8 KB of real annotations inflate to. */
const MAX_INFLATED_BYTES = 2 * 1024 * 1024;

/** An item's value (the string stored under its key) for `records`, and the canonical JSON it carries. */
export async function encodeItem(records: readonly ReplicatedAnnotation[]): Promise<{ value: string; json: string }> {
  const json = itemJson(records);
  return { value: await itemValue(json), json };
}

/** The item value carrying `json` (an {@link itemJson} result). */
export async function itemValue(json: string): Promise<string> {
  return FORMAT + bytesToAscii(await deflate(textToBytes(json)));
}

/**
 * The records of an item's value; throws {@link DamagedItemError} when it is
 * not a valid format-1 item. With `now`, also refuses times more than a day
 * ahead of it, which the database refuses (they would drag its clock ahead).
 */
export async function decodeItem(value: unknown, now?: number): Promise<{ records: ReplicatedAnnotation[]; json: string }> {
  const records = parseItem(await itemPayload(value));
  if (now !== undefined) {
    const future = records.find((record) => latestTime(record) > now + MAX_CLOCK_AHEAD_MS);
    if (future) throw new DamagedItemError(`record ${future.id}: dated more than a day ahead of this computer's clock`);
  }
  return { records, json: itemJson(records) };
}

/**
 * The JSON an item's value carries (format 1: deflated, base 85), parsed but
 * not yet checked; throws {@link DamagedItemError} when it is not there.
 */
export async function itemPayload(value: unknown): Promise<unknown> {
  if (typeof value !== 'string') throw new DamagedItemError('not a string');
  if (!value.startsWith(FORMAT)) throw new DamagedItemError('unknown format');
  const text = bytesToText(await inflate(asciiToBytes(value.slice(FORMAT.length)), MAX_INFLATED_BYTES));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new DamagedItemError('not JSON');
  }
}

/** Why `record` cannot travel through browser sync unchanged, or null when it can. */
export function unencodableReason(record: ReplicatedAnnotation): string | null {
  return recordProblem(record);
}

/** One record's state as a string that is equal exactly when the states are (for "is the area up to date?"). */
export function recordFingerprint(record: ReplicatedAnnotation): string {
  const notes = mergeNotes(record.notes, []).map((v) => [v.text, v.stamp, Object.entries(v.seen).sort()]);
  return JSON.stringify([record.id, record.lesson, record.target, record.createdAt, record.color, record.tags, record.deleted, notes]);
}

// --- Encoding ----------------------------------------------------------------

type StampText = string;

/** The canonical compact JSON of an item holding `records` (sorted by id). */
export function itemJson(records: readonly ReplicatedAnnotation[]): string {
  const sorted = [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const epoch = Math.min(...sorted.map((r) => r.createdAt));
  const replicas = new IndexOf<string>();
  const lessons = new IndexOf<string>();
  const lessonTuples: unknown[] = [];
  const tuples = sorted.map((record) => {
    const lessonKey = JSON.stringify(record.lesson);
    const lessonIndex = lessons.of(lessonKey);
    if (lessonIndex === lessonTuples.length) lessonTuples.push(lessonTuple(record.lesson));
    const stamp = (s: string) => stampText(s, record.createdAt, replicas);
    const { quote, position } = record.target;
    const notes = mergeNotes(record.notes, []).map((v) => [v.text, stamp(v.stamp), Object.entries(v.seen).sort().flatMap(([id, n]) => [replicas.of(id), n])]);
    return [
      record.id, lessonIndex, position.start, position.end - position.start, quote.exact, quote.prefix, quote.suffix,
      (record.createdAt - epoch).toString(36),
      HIGHLIGHT_COLORS.indexOf(record.color.value), stamp(record.color.stamp),
      record.tags.value, stamp(record.tags.stamp),
      record.deleted.value === null ? 0 : (record.deleted.value - record.createdAt).toString(36), stamp(record.deleted.stamp),
      notes,
    ];
  });
  return JSON.stringify([sorted.length === 0 ? 0 : epoch, replicas.values(), lessonTuples, tuples]);
}

/** A lesson as stored once per item: id and titles, and the URL only when it is not the canonical one. */
export function lessonTuple(lesson: LessonRef): unknown[] {
  const tuple = [lesson.lessonId, lesson.lessonTitle, lesson.courseTitle];
  return lesson.url === canonicalUrl(lesson.lessonId) ? tuple : [...tuple, lesson.url];
}

function canonicalUrl(lessonId: string): string {
  return `https://${LESSON_SITE}/column/article/${lessonId}`;
}

/** A stamp as `wall-base~replica index` (base 36), `replicas` collecting the item's replica ids. */
export function stampText(stamp: string, base: number, replicas: IndexOf<string>): StampText {
  const parsed = parseStamp(stamp);
  if (!parsed) throw new Error(`not a stamp: ${stamp}`); // callers filter with unencodableReason first
  const counter = parsed.counter === 0 ? '' : `.${parsed.counter.toString(36)}`;
  return `${(parsed.wall - base).toString(36)}${counter}~${replicas.of(parsed.replica).toString(36)}`;
}

/** Assigns indexes in order of first use. */
export class IndexOf<T> {
  private readonly map = new Map<T, number>();
  of(value: T): number {
    let index = this.map.get(value);
    if (index === undefined) this.map.set(value, (index = this.map.size));
    return index;
  }
  values(): T[] {
    return [...this.map.keys()];
  }
}

// --- Decoding ----------------------------------------------------------------

const STAMP_TEXT = /^(-?[0-9a-z]{1,9})(?:\.([0-9a-z]{1,4}))?~([0-9a-z]{1,3})$/;
const BASE36 = /^-?[0-9a-z]{1,9}$/;

function parseItem(value: unknown): ReplicatedAnnotation[] {
  if (!Array.isArray(value) || value.length !== 4) throw new DamagedItemError('not an item tuple');
  const [epoch, replicas, lessons, records] = value as unknown[];
  if (!isTime(epoch)) throw new DamagedItemError('bad epoch');
  if (!Array.isArray(replicas) || !replicas.every((r) => typeof r === 'string' && isReplicaId(r))) throw new DamagedItemError('bad replica list');
  if (!Array.isArray(lessons) || !Array.isArray(records)) throw new DamagedItemError('bad lists');
  const lessonRefs = lessons.map(parseLesson);
  return records.map((tuple) => {
    const record = parseRecord(tuple, epoch, replicas as string[], lessonRefs);
    const problem = recordProblem(record);
    if (problem) throw new DamagedItemError(`record ${record.id}: ${problem}`);
    return record;
  });
}

/** The inverse of {@link lessonTuple}; throws {@link DamagedItemError}. */
export function parseLesson(value: unknown): LessonRef {
  if (!Array.isArray(value) || (value.length !== 3 && value.length !== 4)) throw new DamagedItemError('bad lesson');
  const [lessonId, lessonTitle, courseTitle, url] = value as unknown[];
  if (typeof lessonId !== 'string' || typeof lessonTitle !== 'string' || typeof courseTitle !== 'string') throw new DamagedItemError('bad lesson');
  if (value.length === 4 && typeof url !== 'string') throw new DamagedItemError('bad lesson URL');
  return { site: LESSON_SITE, lessonId, url: typeof url === 'string' ? url : canonicalUrl(lessonId), lessonTitle, courseTitle };
}

function parseRecord(value: unknown, epoch: number, replicas: readonly string[], lessons: readonly LessonRef[]): ReplicatedAnnotation {
  if (!Array.isArray(value) || value.length !== 15) throw new DamagedItemError('bad record');
  const [id, lessonIndex, start, length, exact, prefix, suffix, created, color, colorStamp, tags, tagsStamp, deleted, deletedStamp, notes] = value as unknown[];
  const lesson = typeof lessonIndex === 'number' ? lessons[lessonIndex] : undefined;
  if (typeof id !== 'string' || !lesson) throw new DamagedItemError('bad record id or lesson');
  if (!isTime(start) || !isTime(length) || typeof exact !== 'string' || typeof prefix !== 'string' || typeof suffix !== 'string') {
    throw new DamagedItemError(`record ${id}: bad target`);
  }
  const createdAt = epoch + base36(created);
  const stamp = (text: unknown) => parseStampText(text, createdAt, replicas);
  const colorValue = typeof color === 'number' ? HIGHLIGHT_COLORS[color] : undefined;
  if (!colorValue) throw new DamagedItemError(`record ${id}: bad color`);
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) throw new DamagedItemError(`record ${id}: bad tags`);
  if (deleted !== 0 && typeof deleted !== 'string') throw new DamagedItemError(`record ${id}: bad deletion`);
  if (!Array.isArray(notes) || notes.length === 0) throw new DamagedItemError(`record ${id}: no note versions`);
  return {
    id,
    lesson,
    target: {
      quote: { type: 'TextQuoteSelector', exact, prefix, suffix },
      position: { type: 'TextPositionSelector', start, end: start + length },
    },
    createdAt,
    color: { value: colorValue, stamp: stamp(colorStamp) },
    tags: { value: tags as string[], stamp: stamp(tagsStamp) },
    deleted: { value: deleted === 0 ? null : createdAt + base36(deleted), stamp: stamp(deletedStamp) },
    notes: mergeNotes(notes.map((note) => parseNote(note, stamp, replicas)), []),
  };
}

/** One note version `[text, stamp, seen]` of an item; throws {@link DamagedItemError}. */
export function parseNote(value: unknown, stamp: (text: unknown) => string, replicas: readonly string[]) {
  if (!Array.isArray(value) || value.length !== 3 || typeof value[0] !== 'string' || !Array.isArray(value[2]) || value[2].length % 2 !== 0) {
    throw new DamagedItemError('bad note version');
  }
  const flat = value[2] as unknown[];
  const seen: Record<string, number> = {};
  for (let i = 0; i < flat.length; i += 2) {
    const replica = typeof flat[i] === 'number' ? replicas[flat[i] as number] : undefined;
    const count = flat[i + 1];
    if (!replica || !Number.isSafeInteger(count) || (count as number) < 1 || Object.hasOwn(seen, replica)) throw new DamagedItemError('bad version vector');
    seen[replica] = count as number;
  }
  return { text: value[0] as string, stamp: stamp(value[1]), seen };
}

/** The inverse of {@link stampText}; throws {@link DamagedItemError}. */
export function parseStampText(text: unknown, base: number, replicas: readonly string[]): string {
  const match = typeof text === 'string' ? STAMP_TEXT.exec(text) : null;
  const replica = match ? replicas[parseInt(match[3]!, 36)] : undefined;
  if (!match || !replica) throw new DamagedItemError('bad stamp');
  const wall = base + parseInt(match[1]!, 36);
  const counter = match[2] ? parseInt(match[2], 36) : 0;
  if (wall < 0 || wall > 9_999_999_999_999 || counter > 999_999) throw new DamagedItemError('stamp out of range');
  return formatStamp(wall, counter, replica);
}

export function base36(value: unknown): number {
  if (typeof value !== 'string' || !BASE36.test(value)) throw new DamagedItemError('bad number');
  return parseInt(value, 36);
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

// --- Checks shared by both directions -----------------------------------------

const fields = recordFieldSchemas;

/** The first rule `record` breaks, or null. */
function recordProblem(record: ReplicatedAnnotation): string | null {
  if (!fields.id.safeParse(record.id).success) return 'bad id';
  if (!fields.lessonRef.safeParse(record.lesson).success) return 'bad lesson';
  if (!fields.target.safeParse(record.target).success) return 'bad target';
  if (!isTime(record.createdAt) || record.createdAt > 9_999_999_999_999) return 'bad creation time';
  if (!fields.color.safeParse(record.color.value).success) return 'bad color';
  if (!fields.tags.safeParse(record.tags.value).success) return 'bad tags';
  const deleted = record.deleted.value;
  if (deleted !== null && !isTime(deleted)) return 'bad deletion time';
  const stamps = [record.color.stamp, record.tags.stamp, record.deleted.stamp, ...record.notes.map((v) => v.stamp)];
  if (!stamps.every(isCanonicalStamp)) return 'bad stamp';
  if (record.notes.length === 0) return 'no note versions';
  if (record.notes.length > MAX_NOTE_VERSIONS) return 'too many note versions';
  for (const version of record.notes) {
    if (!fields.note.safeParse(version.text).success) return 'bad note';
    const counts = Object.entries(version.seen);
    if (!counts.every(([replica, count]) => isReplicaId(replica) && Number.isSafeInteger(count) && count >= 1)) return 'bad version vector';
  }
  return null;
}

/** The latest time a record names (creation, deletion, any stamp). */
function latestTime(record: ReplicatedAnnotation): number {
  const stamps = [record.color.stamp, record.tags.stamp, record.deleted.stamp, ...record.notes.map((v) => v.stamp)];
  return Math.max(record.createdAt, record.deleted.value ?? 0, ...stamps.map((stamp) => parseStamp(stamp)?.wall ?? 0));
}

function isCanonicalStamp(stamp: string): boolean {
  const parsed = parseStamp(stamp);
  return parsed !== null && formatStamp(parsed.wall, parsed.counter, parsed.replica) === stamp;
}
