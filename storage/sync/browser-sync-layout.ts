/**
 * Where annotations go in `storage.sync`, and which of them fit.
 *
 * Annotations are grouped in {@link BUCKETS} buckets by a hash of their
 * lesson id (annotations of one lesson share titles and words, so they
 * compress better together). Bucket n is stored as item `b1:n`, and when it
 * outgrows one item, split at record boundaries into `b1:n`, `b1:n:1`, ….
 * Every item holds whole, merged annotation states (browser-sync-codec.ts),
 * so the layout is a pure function of the annotations: two profiles that
 * hold the same data compute the same items and stop writing.
 *
 * When everything does not fit, the most recently changed annotations that
 * do are carried (a prefix of the list by last change), and the rest stay in
 * each profile's own database.
 */
import { itemJson, itemValue, unencodableReason } from './browser-sync-codec';
import type { ReplicatedAnnotation } from './merge';

/** The quotas of `storage.sync` (Chrome's `chrome.storage.sync.*`; Firefox enforces the byte and item ones). */
export const SYNC_LIMITS = {
  quotaBytes: 102_400,
  quotaBytesPerItem: 8_192,
  maxItems: 512,
  maxWritesPerMinute: 120,
  maxWritesPerHour: 1_800,
} as const;

/** Fixed for format 1: every profile must put a lesson in the same bucket. */
export const BUCKETS = 16;
const KEY = /^b1:(\d{1,2})(?::([1-9]\d{0,2}))?$/;
/** Longest key we write ("b1:15:999"); item sizes are checked against it. */
const MAX_KEY_LENGTH = 9;

/** The key of part `part` of bucket `bucket`. */
export function itemKey(bucket: number, part: number): string {
  return part === 0 ? `b1:${bucket}` : `b1:${bucket}:${part}`;
}

/** Whether `key` is one of browser sync's items (format 1). */
export function isOwnKey(key: string): boolean {
  const match = KEY.exec(key);
  return match !== null && Number(match[1]) < BUCKETS;
}

/** The bucket of a lesson (FNV-1a of its id). */
export function bucketOf(lessonId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < lessonId.length; i++) hash = Math.imul(hash ^ lessonId.charCodeAt(i), 0x01000193) >>> 0;
  return hash % BUCKETS;
}

const utf8 = new TextEncoder();
/** What an item costs in the quota: its key plus its value's JSON text, in UTF-8 bytes (as Chrome and Firefox count). */
export function itemBytes(key: string, value: unknown): number {
  return utf8.encode(key).length + utf8.encode(JSON.stringify(value) ?? '').length;
}

/** Room left for browser sync's items. */
export interface Budget {
  bytes: number;
  items: number;
}

export interface PlannedItem {
  key: string;
  value: string;
  /** The canonical JSON inside, to compare with what the area holds. */
  json: string;
}

export interface Layout {
  items: PlannedItem[];
  /** Total quota bytes of `items`. */
  bytes: number;
  carried: ReplicatedAnnotation[];
  /** Records too large for an item even alone (e.g. a very long note). */
  tooLarge: ReplicatedAnnotation[];
  /** Records the format cannot carry unchanged (should not happen for records from the database). */
  unencodable: ReplicatedAnnotation[];
}

/**
 * The items for `records` within `budget`. `known` maps item JSON to a value
 * already in the area, so unchanged items keep their exact value and are not
 * compressed again; new encodings are added to it. `hint` is how many were
 * carried last time: the search for what fits starts there.
 */
export async function planLayout(records: readonly ReplicatedAnnotation[], budget: Budget, known: Map<string, string>, hint?: number): Promise<Layout> {
  const problems = new Map(records.map((record) => [record, unencodableReason(record)]));
  const unencodable = records.filter((record) => problems.get(record) !== null);
  let candidates = records.filter((record) => problems.get(record) === null).sort(byLastChange);
  const tooLarge: ReplicatedAnnotation[] = [];
  for (;;) {
    const result = await largestFittingPrefix(candidates, budget, known, hint);
    if ('tooLarge' in result) {
      tooLarge.push(result.tooLarge);
      candidates = candidates.filter((record) => record !== result.tooLarge);
      continue;
    }
    return { ...result, tooLarge, unencodable };
  }
}

/** Latest change first (the largest stamp of any field), then by id, so the order is the same everywhere. */
function byLastChange(a: ReplicatedAnnotation, b: ReplicatedAnnotation): number {
  const left = lastChange(a);
  const right = lastChange(b);
  if (left !== right) return left > right ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The latest stamp of a record (stamps sort as text in clock order). */
export function lastChange(record: ReplicatedAnnotation): string {
  let latest = record.color.stamp;
  for (const stamp of [record.tags.stamp, record.deleted.stamp, ...record.notes.map((v) => v.stamp)]) if (stamp > latest) latest = stamp;
  return latest;
}

type Attempt = { items: PlannedItem[]; bytes: number; carried: ReplicatedAnnotation[] } | { tooLarge: ReplicatedAnnotation };

/**
 * The layout of the longest prefix of `sorted` that fits: from `hint`,
 * doubling steps until one fits and one does not, then halving between.
 * (Sizes grow with the prefix.) Under quota this is one layout.
 */
async function largestFittingPrefix(sorted: ReplicatedAnnotation[], budget: Budget, known: Map<string, string>, hint?: number): Promise<Attempt> {
  const n = sorted.length;
  let low = 0; // the longest prefix known to fit
  let best: Attempt = { items: [], bytes: 0, carried: [] };
  let high = n + 1; // the shortest prefix known not to fit
  /** Lays out a prefix and narrows the range; answers a record too large for any item. */
  const probe = async (k: number) => {
    const attempt = await layoutOf(sorted.slice(0, k), known);
    if ('tooLarge' in attempt) return attempt;
    if (attempt.bytes <= budget.bytes && attempt.items.length <= budget.items) [low, best] = [k, attempt];
    else high = k;
    return null;
  };
  const start = Math.min(hint ?? n, n);
  let found = await probe(start);
  const startFits = low === start;
  for (let step = 1; !found && startFits && low < n && high === n + 1; step *= 2) found = await probe(Math.min(n, low + step));
  for (let step = 1; !found && !startFits && low === 0 && high > 1; step *= 2) found = await probe(Math.max(1, high - step));
  while (!found && high - low > 1) found = await probe((low + high) >> 1);
  return found ?? best;
}

/** All of `records` laid out in items, whatever the total. */
async function layoutOf(records: readonly ReplicatedAnnotation[], known: Map<string, string>): Promise<Attempt> {
  const buckets = new Map<number, ReplicatedAnnotation[]>();
  for (const record of records) {
    const bucket = bucketOf(record.lesson.lessonId);
    const members = buckets.get(bucket);
    if (members) members.push(record);
    else buckets.set(bucket, [record]);
  }
  const items: PlannedItem[] = [];
  for (const bucket of [...buckets.keys()].sort((a, b) => a - b)) {
    const byId = buckets.get(bucket)!.sort((a, b) => (a.id < b.id ? -1 : 1));
    const parts = await splitToFit(byId, known);
    if ('tooLarge' in parts) return parts;
    parts.forEach((part, index) => items.push({ key: itemKey(bucket, index), ...part }));
  }
  const bytes = items.reduce((sum, item) => sum + itemBytes(item.key, item.value), 0);
  return { items, bytes, carried: [...records] };
}

type Part = { value: string; json: string };

/** One item for `records` if it fits, else halves (by id) until each fits. */
async function splitToFit(records: ReplicatedAnnotation[], known: Map<string, string>): Promise<Part[] | { tooLarge: ReplicatedAnnotation }> {
  const part = await encodeKnown(records, known);
  if (MAX_KEY_LENGTH + part.value.length + 2 <= SYNC_LIMITS.quotaBytesPerItem) return [part];
  if (records.length === 1) return { tooLarge: records[0]! };
  const middle = records.length >> 1;
  const left = await splitToFit(records.slice(0, middle), known);
  if ('tooLarge' in left) return left;
  const right = await splitToFit(records.slice(middle), known);
  if ('tooLarge' in right) return right;
  return [...left, ...right];
}

async function encodeKnown(records: readonly ReplicatedAnnotation[], known: Map<string, string>): Promise<Part> {
  const json = itemJson(records);
  const value = known.get(json);
  if (value !== undefined) return { value, json };
  const encoded = await itemValue(json);
  known.set(json, encoded);
  return { value: encoded, json };
}

