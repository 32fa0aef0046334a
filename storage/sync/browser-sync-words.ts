/**
 * What browser sync tells the reader (through `SyncStatus.lastError`), in
 * words that say what happened and what to do, and how long to wait before
 * trying again after each kind of failure.
 */
import type { Layout } from './browser-sync-layout';
import type { LessonNotesLayout } from './browser-sync-notes';
import type { ReplicatedAnnotation, ReplicatedLessonNote } from './merge';

const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

/** Empty when everything is carried; else how many annotations are, why not all, and what to do. */
export function describeCarriage(local: readonly ReplicatedAnnotation[], layout: Layout): string {
  const live = local.filter((record) => record.deleted.value === null);
  const carried = new Set(layout.carried.map((record) => record.id));
  const carriedLive = live.filter((record) => carried.has(record.id)).length;
  if (carriedLive === live.length) return '';
  const isLive = (record: ReplicatedAnnotation) => record.deleted.value === null;
  const tooLarge = layout.tooLarge.filter(isLive).length;
  const unencodable = layout.unencodable.filter(isLive).length;
  const overQuota = live.length - carriedLive - tooLarge - unencodable;
  const reasons = [
    overQuota > 0 ? 'the browser allows 100 KB' : '',
    tooLarge > 0 ? `${plural(tooLarge, 'has a note too long', 'have notes too long')} for the browser's 8 KB an item` : '',
    unencodable > 0 ? `${plural(unencodable, 'is', 'are')} not in a form browser sync can carry` : '',
  ].filter(Boolean);
  return (
    `Browser sync carries ${count(carriedLive)} of ${plural(live.length, 'annotation', 'annotations')}; ${reasons.join(', and ')}. ` +
    'Set up a sync server in Options to carry all of them. Nothing was deleted: every annotation stays in this profile.'
  );
}

/** Empty when every lesson note with text is carried; else how many are, why not all, and that none was deleted. */
export function describeLessonNotesCarriage(local: readonly ReplicatedLessonNote[], layout: LessonNotesLayout): string {
  // A cleared note (only empty text) is nothing the reader would miss.
  const written = (note: ReplicatedLessonNote) => note.notes.some((version) => version.text !== '');
  const all = local.filter(written);
  const carried = new Set(layout.carried.filter(written).map((note) => note.lessonId));
  if (carried.size === all.length) return '';
  const tooLarge = layout.tooLarge.filter(written).length;
  const overQuota = all.length - carried.size - tooLarge;
  const reasons = [
    overQuota > 0 ? 'lesson notes may take a quarter of the 100 KB the browser allows' : '',
    tooLarge > 0 ? `${plural(tooLarge, 'is', 'are')} too long for the browser's 8 KB an item` : '',
  ].filter(Boolean);
  return (
    `Browser sync carries ${count(carried.size)} of ${plural(all.length, 'lesson note', 'lesson notes')}; ${reasons.join(', and ')}. ` +
    'Set up a sync server in Options to carry all of them. Nothing was deleted: every lesson note stays in this profile.'
  );
}

/** Empty when no item was damaged; else which were skipped and why. */
export function describeDamage(damaged: ReadonlyArray<{ key: string; reason: string }>): string {
  if (damaged.length === 0) return '';
  const list = damaged.map(({ key, reason }) => `${key}: ${reason}`).join('; ');
  return (
    `Browser sync skipped ${damaged.length === 1 ? 'a damaged item' : `${count(damaged.length)} damaged items`} in the browser's sync storage (${list}); ` +
    "this profile's annotations are written in its place."
  );
}

/** A failed pass in words. */
export function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/MAX_WRITE_OPERATIONS_PER_MINUTE/.test(message)) {
    return 'Browser sync is waiting a minute: the browser allows 120 writes a minute. Your changes are kept in this profile and sync then.';
  }
  if (/MAX_WRITE_OPERATIONS_PER_HOUR/.test(message)) {
    return 'Browser sync is waiting: the browser allows 1,800 writes an hour. Your changes are kept in this profile and sync within 15 minutes.';
  }
  if (/QUOTA_BYTES|MAX_ITEMS/.test(message)) {
    return `Browser sync could not write: the browser's sync storage is full (${message}). It tries again shortly; nothing was deleted.`;
  }
  return `Browser sync failed (${message}). It tries again in a minute; your annotations are kept in this profile.`;
}

/** How long to wait after `error` before the next pass. */
export function retryDelay(error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  if (/MAX_WRITE_OPERATIONS_PER_MINUTE/.test(message)) return 60_000;
  if (/MAX_WRITE_OPERATIONS_PER_HOUR/.test(message)) return 15 * 60_000;
  // Another profile's items may have filled the area meanwhile; the next pass measures again.
  if (/QUOTA_BYTES|MAX_ITEMS/.test(message)) return 10_000;
  return 60_000;
}
