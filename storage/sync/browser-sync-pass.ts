/**
 * One browser sync pass, as pure steps: read what the area holds, and
 * decide what to write so that it holds the merged state of everything this
 * profile knows (that fits). The caller (browser-sync.ts) merges the area
 * into the database between the two steps, so a plan never leaves out
 * anything the area held that this profile has not merged: items are only
 * ever replaced by supersets, or — over quota — by the newer annotations,
 * while the older ones stay in every database that has them.
 */
import { decodeItem, recordFingerprint } from './browser-sync-codec';
import { isOwnKey, itemBytes, planLayout, SYNC_LIMITS, type Layout } from './browser-sync-layout';
import { mergeAnnotation, type ReplicatedAnnotation } from './merge';

/** Bytes left free for the extension's other `storage.sync` keys (settings), so they never fail for lack of room. */
const RESERVE_BYTES = 512;

export interface OwnItem {
  value: string;
  json: string;
  records: ReplicatedAnnotation[];
}

/** What the area holds, as browser sync sees it. */
export interface AreaContents {
  own: Map<string, OwnItem>;
  /** Own items that did not decode, with the reason. */
  damaged: Array<{ key: string; reason: string }>;
  /** Quota bytes of every item (ours, damaged and other keys alike). */
  sizes: Map<string, number>;
}

/** Decodes browser sync's items among `items` (everything `area.get(null)` answered); `now` is this computer's clock. */
export async function readArea(items: Record<string, unknown>, now: number): Promise<AreaContents> {
  const contents: AreaContents = { own: new Map(), damaged: [], sizes: new Map() };
  for (const [key, value] of Object.entries(items)) {
    contents.sizes.set(key, itemBytes(key, value));
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
  /** Items to write, in one `set` call. */
  set: Record<string, string>;
  /** Own keys (stale parts, damaged items) to remove, in one `remove` call. */
  remove: string[];
  /** Remove before setting: the new items fit only once the old ones are gone. */
  removeFirst: boolean;
  /** Carried annotations whose state the area does not hold yet. */
  pending: number;
  /** Quota bytes of the whole area once the plan is written. */
  bytesAfter: number;
}

/** The writes that make the area hold the layout of `local` (the database after merging the area); `hint`: how many were carried last time. */
export async function planWrites(contents: AreaContents, local: readonly ReplicatedAnnotation[], hint?: number): Promise<WritePlan> {
  let foreignBytes = 0;
  let foreignItems = 0;
  for (const [key, size] of contents.sizes) {
    if (isOwnKey(key)) continue;
    foreignBytes += size;
    foreignItems += 1;
  }
  const budget = { bytes: SYNC_LIMITS.quotaBytes - RESERVE_BYTES - foreignBytes, items: SYNC_LIMITS.maxItems - foreignItems };
  const known = new Map([...contents.own.values()].map((item) => [item.json, item.value]));
  const layout = await planLayout(local, budget, known, hint);

  const set: Record<string, string> = {};
  for (const item of layout.items) if (contents.own.get(item.key)?.json !== item.json) set[item.key] = item.value;
  const planned = new Set(layout.items.map((item) => item.key));
  const remove = [...contents.sizes.keys()].filter((key) => isOwnKey(key) && !planned.has(key));

  const sizeNow = sum(contents.sizes.values());
  const replaced = sum(Object.keys(set).map((key) => contents.sizes.get(key) ?? 0));
  const added = sum(Object.entries(set).map(([key, value]) => itemBytes(key, value)));
  const newKeys = Object.keys(set).filter((key) => !contents.sizes.has(key)).length;
  const removeFirst =
    remove.length > 0 && (sizeNow - replaced + added > SYNC_LIMITS.quotaBytes || contents.sizes.size + newKeys > SYNC_LIMITS.maxItems);
  const removed = sum(remove.map((key) => contents.sizes.get(key) ?? 0));

  const inArea = new Set([...contents.own.values()].flatMap((item) => item.records.map(recordFingerprint)));
  const pending = layout.carried.filter((record) => !inArea.has(recordFingerprint(record))).length;
  return { layout, set, remove, removeFirst, pending, bytesAfter: sizeNow - replaced + added - removed };
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
