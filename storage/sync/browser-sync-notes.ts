/**
 * Lesson notes in browser sync (issue #5): items of their own, `n1:0`,
 * `n1:1`, …, beside the highlights' `b1:` buckets, encoded with the same
 * bytes pipeline (format 1: compact JSON, deflate, base 85). Every item
 * holds whole, merged lesson note states, sorted by lesson id and split at
 * note boundaries so each fits the browser's 8 KB an item; the layout is a
 * pure function of the notes, so profiles holding the same notes write the
 * same items and stop.
 *
 * Their own key prefix keeps older versions of the extension, which read
 * only `b1:` items, from taking them for damaged highlight items: to those,
 * they are someone else's keys, counted against the quota and left alone.
 *
 * The JSON is `[replicas, notes]`, a note being `[lesson, createdAt,
 * versions]` (the lesson as in highlight items, `createdAt` in base 36) and
 * a version `[text, stamp, seen]`, stamps relative to `createdAt` and naming
 * replicas by index, as in browser-sync-codec.ts. Decoding applies the
 * checks of every synced lesson note, so a damaged or hostile item is
 * refused whole.
 */
import { DamagedItemError } from './browser-sync-bytes';
import {
  base36,
  IndexOf,
  itemPayload,
  itemValue,
  lessonTuple,
  parseLesson,
  parseNote,
  parseStampText,
  stampText,
} from './browser-sync-codec';
import { itemBytes, SYNC_LIMITS, type Budget, type PlannedItem } from './browser-sync-layout';
import { isReplicaId } from './hlc';
import { mergeNotes, type ReplicatedLessonNote } from './merge';
import { checkReplicatedLessonNote } from './replicated-schema';

const KEY = /^n1:(0|[1-9]\d{0,2})$/;
/** Longest key we write ("n1:999"). */
const MAX_KEY_LENGTH = 6;

/** The key of part `part` of the lesson notes. */
export function lessonNoteItemKey(part: number): string {
  return `n1:${part}`;
}

/** Whether `key` is one of browser sync's lesson note items. */
export function isLessonNoteKey(key: string): boolean {
  return KEY.test(key);
}

/** The canonical compact JSON of an item holding `notes` (sorted by lesson id). */
export function lessonNotesJson(notes: readonly ReplicatedLessonNote[]): string {
  const sorted = [...notes].sort((a, b) => (a.lessonId < b.lessonId ? -1 : a.lessonId > b.lessonId ? 1 : 0));
  const replicas = new IndexOf<string>();
  const tuples = sorted.map((note) => [
    lessonTuple(note.lesson),
    note.createdAt.toString(36),
    mergeNotes(note.notes, []).map((version) => [
      version.text,
      stampText(version.stamp, note.createdAt, replicas),
      Object.entries(version.seen).sort().flatMap(([id, count]) => [replicas.of(id), count]),
    ]),
  ]);
  return JSON.stringify([replicas.values(), tuples]);
}

/**
 * The lesson notes of an item's value; throws {@link DamagedItemError} when it
 * is not a valid lesson note item, or holds a note the database would
 * refuse (`now` is this computer's clock: nothing dated more than a day ahead).
 */
export async function decodeLessonNoteItem(value: unknown, now: number): Promise<{ notes: ReplicatedLessonNote[]; json: string }> {
  const parsed = await itemPayload(value);
  if (!Array.isArray(parsed) || parsed.length !== 2) throw new DamagedItemError('not a lesson note item');
  const [replicas, tuples] = parsed as unknown[];
  if (!Array.isArray(replicas) || !replicas.every((r) => typeof r === 'string' && isReplicaId(r))) throw new DamagedItemError('bad replica list');
  if (!Array.isArray(tuples)) throw new DamagedItemError('bad list of lesson notes');
  const notes = tuples.map((tuple) => {
    const note = parseLessonNote(tuple, replicas as string[]);
    const problem = checkReplicatedLessonNote(note, now);
    if (problem !== null) throw new DamagedItemError(`lesson note ${note.lessonId}: ${problem}`);
    return note;
  });
  return { notes, json: lessonNotesJson(notes) };
}

function parseLessonNote(value: unknown, replicas: readonly string[]): ReplicatedLessonNote {
  if (!Array.isArray(value) || value.length !== 3) throw new DamagedItemError('bad lesson note');
  const [lessonValue, created, versions] = value as unknown[];
  const lesson = parseLesson(lessonValue);
  const createdAt = base36(created);
  if (createdAt < 0) throw new DamagedItemError(`lesson note ${lesson.lessonId}: bad creation time`);
  if (!Array.isArray(versions) || versions.length === 0) throw new DamagedItemError(`lesson note ${lesson.lessonId}: no note versions`);
  const stamp = (text: unknown) => parseStampText(text, createdAt, replicas);
  return { lessonId: lesson.lessonId, lesson, createdAt, notes: mergeNotes(versions.map((version) => parseNote(version, stamp, replicas)), []) };
}

/** Which lesson notes browser sync carries, in which items. */
export interface LessonNotesLayout {
  items: PlannedItem[];
  /** Total quota bytes of `items`. */
  bytes: number;
  carried: ReplicatedLessonNote[];
  /** Notes too large for an item even alone (a very long note). */
  tooLarge: ReplicatedLessonNote[];
}

/**
 * The items for `notes` within `budget`: when they do not all fit, the most
 * recently changed ones that do (the rest stay in each profile's database).
 * `known` maps item JSON to a value already in the area, so unchanged items
 * keep their exact value.
 */
export async function planLessonNotesLayout(notes: readonly ReplicatedLessonNote[], budget: Budget, known: Map<string, string>): Promise<LessonNotesLayout> {
  const tooLarge: ReplicatedLessonNote[] = [];
  const candidates: ReplicatedLessonNote[] = [];
  for (const note of [...notes].sort(byLastChange)) {
    // Alone in an item and still over 8 KB: no layout can carry it.
    if ((await partsOf([note], known)) === null) tooLarge.push(note);
    else candidates.push(note);
  }
  // Sizes grow with the prefix: halve between the longest prefix known to fit and the shortest known not to.
  let best = (await layoutOf([], known))!;
  let low = 0;
  let high = candidates.length + 1;
  while (high - low > 1) {
    const k = low === 0 && high === candidates.length + 1 ? candidates.length : (low + high) >> 1;
    const attempt = await layoutOf(candidates.slice(0, k), known);
    if (attempt && attempt.bytes <= budget.bytes && attempt.items.length <= budget.items) [low, best] = [k, attempt];
    else high = k;
  }
  return { ...best, tooLarge };
}

/** Latest change first (the largest stamp), then by lesson id, so the order is the same everywhere. */
function byLastChange(a: ReplicatedLessonNote, b: ReplicatedLessonNote): number {
  const left = lastChange(a);
  const right = lastChange(b);
  if (left !== right) return left > right ? -1 : 1;
  return a.lessonId < b.lessonId ? -1 : a.lessonId > b.lessonId ? 1 : 0;
}

function lastChange(note: ReplicatedLessonNote): string {
  return note.notes.reduce((latest, version) => (version.stamp > latest ? version.stamp : latest), '');
}

async function layoutOf(notes: readonly ReplicatedLessonNote[], known: Map<string, string>): Promise<Omit<LessonNotesLayout, 'tooLarge'> | null> {
  const sorted = [...notes].sort((a, b) => (a.lessonId < b.lessonId ? -1 : 1));
  const parts = sorted.length === 0 ? [] : await partsOf(sorted, known);
  if (parts === null) return null;
  const items = parts.map((part, index) => ({ key: lessonNoteItemKey(index), ...part }));
  return { items, bytes: items.reduce((sum, item) => sum + itemBytes(item.key, item.value), 0), carried: [...notes] };
}

/** One item for `notes` if it fits, else halves until each fits; null when one note alone does not. */
async function partsOf(notes: readonly ReplicatedLessonNote[], known: Map<string, string>): Promise<Array<{ value: string; json: string }> | null> {
  const json = lessonNotesJson(notes);
  let value = known.get(json);
  if (value === undefined) {
    value = await itemValue(json);
    known.set(json, value);
  }
  if (MAX_KEY_LENGTH + value.length + 2 <= SYNC_LIMITS.quotaBytesPerItem) return [{ value, json }];
  if (notes.length === 1) return null;
  const middle = notes.length >> 1;
  const left = await partsOf(notes.slice(0, middle), known);
  const right = left && (await partsOf(notes.slice(middle), known));
  return left && right ? [...left, ...right] : null;
}
