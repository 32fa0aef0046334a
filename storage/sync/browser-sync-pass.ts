/**
 * One browser sync pass, as pure steps: read what the area holds, and
 * decide what to write so that it holds the merged state of everything this
 * profile knows (that fits). The caller (browser-sync.ts) merges the area
 * into the database between the two steps, so a plan never leaves out
 * anything the area held that this profile has not merged: items are only
 * ever replaced by supersets, or — over quota — by the newer annotations,
 * while the older ones stay in every database that has them.
 *
 * Lesson notes (issue #5) ride in items of their own (browser-sync-notes.ts)
 * under the same rules, and take at most {@link LESSON_NOTE_SHARE} of the
 * room, so a few very long page notes never push every highlight out.
 */
import { decodeItem, recordFingerprint } from './browser-sync-codec';
import { isOwnKey, itemBytes, planLayout, SYNC_LIMITS, type Layout } from './browser-sync-layout';
import { decodeLessonNoteItem, isLessonNoteKey, lessonNotesJson, planLessonNotesLayout, type LessonNotesLayout } from './browser-sync-notes';
import { mergeAnnotation, mergeLessonNote, type ReplicatedAnnotation, type ReplicatedLessonNote } from './merge';

/** Bytes left free for the extension's other `storage.sync` keys (settings), so they never fail for lack of room. */
const RESERVE_BYTES = 512;
/**
 * Most of the room (bytes and items) lesson notes may take. One note per
 * lesson compresses to a few hundred bytes, so a quarter (some 25 KB) carries
 * a long course's notes, and the highlights keep at least the rest.
 */
export const LESSON_NOTE_SHARE = 0.25;

/** Whether `key` is one of browser sync's items, of highlights or of lesson notes. */
export function isBrowserSyncKey(key: string): boolean {
  return isOwnKey(key) || isLessonNoteKey(key);
}

export interface OwnNotesItem {
  value: string;
  json: string;
  notes: ReplicatedLessonNote[];
}

export interface OwnItem {
  value: string;
  json: string;
  records: ReplicatedAnnotation[];
}

/** What the area holds, as browser sync sees it. */
export interface AreaContents {
  own: Map<string, OwnItem>;
  /** Lesson note items. */
  lessonNotes: Map<string, OwnNotesItem>;
  /** Own items (of either kind) that did not decode, with the reason. */
  damaged: Array<{ key: string; reason: string }>;
  /** Quota bytes of every item (ours, damaged and other keys alike). */
  sizes: Map<string, number>;
}

/** Decodes browser sync's items among `items` (everything `area.get(null)` answered); `now` is this computer's clock. */
export async function readArea(items: Record<string, unknown>, now: number): Promise<AreaContents> {
  const contents: AreaContents = { own: new Map(), lessonNotes: new Map(), damaged: [], sizes: new Map() };
  for (const [key, value] of Object.entries(items)) {
    contents.sizes.set(key, itemBytes(key, value));
    if (isLessonNoteKey(key)) {
      try {
        const { notes, json } = await decodeLessonNoteItem(value, now);
        contents.lessonNotes.set(key, { value: value as string, json, notes });
      } catch (error) {
        contents.damaged.push({ key, reason: error instanceof Error ? error.message : String(error) });
      }
      continue;
    }
    if (!isOwnKey(key)) continue;
    try {
      const { records, json } = await decodeItem(value, now);
      contents.own.set(key, { value: value as string, json, records });
    } catch (error) {
      contents.damaged.push({ key, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return contents;
}

/** Every state the area holds, one merged state per annotation. */
export function areaRecords(contents: AreaContents): ReplicatedAnnotation[] {
  return combineById([...contents.own.values()].flatMap((item) => item.records));
}

/** Every lesson note the area holds, one merged state per lesson. */
export function areaLessonNotes(contents: AreaContents): ReplicatedLessonNote[] {
  return combineByLesson([...contents.lessonNotes.values()].flatMap((item) => item.notes));
}

/** Merges states of the same lesson's note, so the database gets one state per lesson. */
export function combineByLesson(notes: readonly ReplicatedLessonNote[]): ReplicatedLessonNote[] {
  const byLesson = new Map<string, ReplicatedLessonNote>();
  for (const note of notes) {
    const known = byLesson.get(note.lessonId);
    byLesson.set(note.lessonId, known ? mergeLessonNote(known, note) : note);
  }
  return [...byLesson.values()];
}

/** Merges states of the same annotation, so the database gets one state per id. */
export function combineById(records: readonly ReplicatedAnnotation[]): ReplicatedAnnotation[] {
  const byId = new Map<string, ReplicatedAnnotation>();
  for (const record of records) {
    const known = byId.get(record.id);
    byId.set(record.id, known ? mergeAnnotation(known, record) : record);
  }
  return [...byId.values()];
}

/** What one pass writes. */
export interface WritePlan {
  layout: Layout;
  /** Which lesson notes are carried. */
  notesLayout: LessonNotesLayout;
  /** Items to write, in one `set` call. */
  set: Record<string, string>;
  /** Own keys (stale parts, damaged items) to remove, in one `remove` call. */
  remove: string[];
  /** Remove before setting: the new items fit only once the old ones are gone. */
  removeFirst: boolean;
  /** Carried annotations and lesson notes whose state the area does not hold yet. */
  pending: number;
  /** Quota bytes of the whole area once the plan is written. */
  bytesAfter: number;
}

/**
 * The writes that make the area hold the layout of `local` and `localNotes`
 * (the database after merging the area); `hint`: how many annotations were
 * carried last time. Lesson notes are laid out first, within their share;
 * the annotations get what they leave.
 */
export async function planWrites(
  contents: AreaContents,
  local: readonly ReplicatedAnnotation[],
  hint?: number,
  localNotes: readonly ReplicatedLessonNote[] = [],
): Promise<WritePlan> {
  let foreignBytes = 0;
  let foreignItems = 0;
  for (const [key, size] of contents.sizes) {
    if (isBrowserSyncKey(key)) continue;
    foreignBytes += size;
    foreignItems += 1;
  }
  const budget = { bytes: SYNC_LIMITS.quotaBytes - RESERVE_BYTES - foreignBytes, items: SYNC_LIMITS.maxItems - foreignItems };
  const knownNotes = new Map([...contents.lessonNotes.values()].map((item) => [item.json, item.value]));
  const notesBudget = { bytes: Math.floor(budget.bytes * LESSON_NOTE_SHARE), items: Math.floor(budget.items * LESSON_NOTE_SHARE) };
  const notesLayout = await planLessonNotesLayout(localNotes, notesBudget, knownNotes);
  const known = new Map([...contents.own.values()].map((item) => [item.json, item.value]));
  const highlightsBudget = { bytes: budget.bytes - notesLayout.bytes, items: budget.items - notesLayout.items.length };
  const layout = await planLayout(local, highlightsBudget, known, hint);

  const set: Record<string, string> = {};
  for (const item of layout.items) if (contents.own.get(item.key)?.json !== item.json) set[item.key] = item.value;
  for (const item of notesLayout.items) if (contents.lessonNotes.get(item.key)?.json !== item.json) set[item.key] = item.value;
  const planned = new Set([...layout.items, ...notesLayout.items].map((item) => item.key));
  const remove = [...contents.sizes.keys()].filter((key) => isBrowserSyncKey(key) && !planned.has(key));

  const sizeNow = sum(contents.sizes.values());
  const replaced = sum(Object.keys(set).map((key) => contents.sizes.get(key) ?? 0));
  const added = sum(Object.entries(set).map(([key, value]) => itemBytes(key, value)));
  const newKeys = Object.keys(set).filter((key) => !contents.sizes.has(key)).length;
  const removeFirst =
    remove.length > 0 && (sizeNow - replaced + added > SYNC_LIMITS.quotaBytes || contents.sizes.size + newKeys > SYNC_LIMITS.maxItems);
  const removed = sum(remove.map((key) => contents.sizes.get(key) ?? 0));

  const inArea = new Set([...contents.own.values()].flatMap((item) => item.records.map(recordFingerprint)));
  const notesInArea = new Set([...contents.lessonNotes.values()].flatMap((item) => item.notes.map((note) => lessonNotesJson([note]))));
  const pending =
    layout.carried.filter((record) => !inArea.has(recordFingerprint(record))).length +
    notesLayout.carried.filter((note) => !notesInArea.has(lessonNotesJson([note]))).length;
  return { layout, notesLayout, set, remove, removeFirst, pending, bytesAfter: sizeNow - replaced + added - removed };
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
