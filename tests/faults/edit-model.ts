/**
 * What the database must hold after faults: a model of every edit sent and
 * whether it was acknowledged. For each annotation and field (note, color,
 * deleted) it keeps the last acknowledged value and the values of later
 * edits that were not acknowledged — those may or may not have been stored,
 * but nothing else may be there. An acknowledged create must exist; a record
 * nobody may have written is a phantom, counted as half-written.
 *
 * After a check the model settles on what the database holds (no request is
 * in flight then), so uncertainty never piles up across rounds.
 */
import type { Annotation, HighlightColor } from '../../storage/model';
import { HIGHLIGHT_COLORS } from '../../storage/model';
import type { Request } from '../../storage/protocol';
import type { Outcome } from './fault-harness';
import type { DatabaseDump } from './record-shape';

/** One edit of the burst, as the model sees it. */
export type Edit =
  | { type: 'create'; token: string; color: HighlightColor; template: Annotation }
  | { type: 'note'; id: string; text: string }
  | { type: 'color'; id: string; color: HighlightColor }
  | { type: 'delete'; id: string }
  | { type: 'restore'; id: string }
  | { type: 'lessonNote'; text: string; template: Annotation };

/** A field's possible values: the last acknowledged one, or one of the unacknowledged edits after it. */
interface Field<T> {
  acked: T;
  maybe: T[];
}

interface Expected {
  quote: string;
  note: Field<string>;
  color: Field<HighlightColor>;
  deleted: Field<boolean>;
  /** Acknowledged edits of this record since it was tracked (all lost if it vanishes). */
  ackedEdits: number;
}

/** A stored annotation as far as the model reads it. */
interface StoredView {
  id: string;
  note: string;
  color: HighlightColor;
  deletedAt: number | null;
  target: { quote: { exact: string } };
}

/** A record that may turn up although its create was not acknowledged. */
type PendingCreate = (record: StoredView) => boolean;

/** What a check found. */
export interface CheckResult {
  lost: number;
  phantoms: number;
  problems: string[];
}

const certain = <T>(value: T): Field<T> => ({ acked: value, maybe: [] });
const settled = <T>(field: Field<T>): boolean => field.maybe.length === 0;

export class EditModel {
  private readonly annotations = new Map<string, Expected>();
  private pending: PendingCreate[] = [];
  private lessonNote: (Field<string> & { lessonId: string }) | null = null;
  acknowledged = 0;
  unacknowledged = 0;

  /** Tracks a stored record as it is now (a highlight made in the page, found by its quote). */
  track(record: StoredView, acknowledged: boolean): void {
    if (acknowledged) this.acknowledged += 1;
    this.remember(record, acknowledged ? 1 : 0);
  }

  /** A create from the page that failed visibly: a record with this quote may exist. */
  expectMaybeCreated(quote: string): void {
    this.unacknowledged += 1;
    this.pending.push((record) => record.target.quote.exact === quote && !this.annotations.has(record.id));
  }

  /** Records what an edit got back. */
  apply(edit: Edit, outcome: Outcome): void {
    if (outcome.acknowledged) this.acknowledged += 1;
    else this.unacknowledged += 1;
    if (edit.type === 'create') {
      if (outcome.acknowledged) this.remember(outcome.value as StoredView, 1);
      else this.pending.push((record) => record.note === edit.token && !this.annotations.has(record.id));
      return;
    }
    if (edit.type === 'lessonNote') {
      this.lessonNote ??= { lessonId: edit.template.lesson.lessonId, acked: '', maybe: [] };
      setField(this.lessonNote, edit.text, outcome.acknowledged);
      return;
    }
    const expected = this.annotations.get(edit.id);
    if (!expected) throw new Error(`The burst edited an untracked annotation ${edit.id}`);
    if (outcome.acknowledged) expected.ackedEdits += 1;
    if (edit.type === 'note') setField(expected.note, edit.text, outcome.acknowledged);
    if (edit.type === 'color') setField(expected.color, edit.color, outcome.acknowledged);
    if (edit.type === 'delete') setField(expected.deleted, true, outcome.acknowledged);
    if (edit.type === 'restore') setField(expected.deleted, false, outcome.acknowledged);
  }

  /** Compares the database with the model: acknowledged edits missing, and records nobody wrote. */
  check(dump: DatabaseDump): CheckResult {
    const result: CheckResult = { lost: 0, phantoms: 0, problems: [] };
    const stored = new Map((dump.annotations as StoredView[]).map((record) => [record.id, record]));
    for (const [id, expected] of this.annotations) {
      const record = stored.get(id);
      if (!record) {
        result.lost += expected.ackedEdits;
        result.problems.push(`annotation ${id} (“${expected.quote}”) is gone`);
        continue;
      }
      const fields: Array<[string, Field<unknown>, unknown]> = [
        ['quote', certain(expected.quote), record.target.quote.exact],
        ['note', expected.note, record.note],
        ['color', expected.color, record.color],
        ['deleted', expected.deleted, record.deletedAt !== null],
      ];
      for (const [name, field, actual] of fields) {
        if (actual === field.acked || field.maybe.includes(actual)) continue;
        result.lost += 1;
        result.problems.push(`annotation ${id}: ${name} is ${brief(actual)}, expected ${brief(field.acked)}`);
      }
    }
    for (const record of stored.values()) {
      if (this.annotations.has(record.id) || this.pending.some((matches) => matches(record))) continue;
      result.phantoms += 1;
      result.problems.push(`annotation ${record.id} (“${record.target.quote.exact}”) was never written by the test`);
    }
    if (this.lessonNote) {
      const { lessonId, acked, maybe } = this.lessonNote;
      const note = (dump.lessonNotes as Array<{ lessonId: string; note: string }>).find((entry) => entry.lessonId === lessonId)?.note ?? '';
      if (note !== acked && !maybe.includes(note)) {
        result.lost += 1;
        result.problems.push(`lesson note is ${brief(note)}, expected ${brief(acked)}`);
      }
    }
    return result;
  }

  /** Takes what the database holds as the new baseline (call after a check, with nothing in flight). */
  settle(dump: DatabaseDump): void {
    for (const record of dump.annotations as StoredView[]) {
      const expected = this.annotations.get(record.id);
      if (!expected) {
        if (this.pending.some((matches) => matches(record))) this.remember(record, 0);
        continue;
      }
      expected.note = certain(record.note);
      expected.color = certain(record.color);
      expected.deleted = certain(record.deletedAt !== null);
    }
    this.pending = [];
    if (this.lessonNote) {
      const stored = (dump.lessonNotes as Array<{ lessonId: string; note: string }>).find((entry) => entry.lessonId === this.lessonNote!.lessonId);
      this.lessonNote = { lessonId: this.lessonNote.lessonId, ...certain(stored?.note ?? '') };
    }
  }

  private remember(record: StoredView, ackedEdits: number): void {
    this.annotations.set(record.id, {
      quote: record.target.quote.exact,
      note: certain(record.note),
      color: certain(record.color),
      deleted: certain(record.deletedAt !== null),
      ackedEdits,
    });
  }

  /**
   * A random next edit, valid for what the model knows: edits only records
   * whose deletion state is certain (live ones for note and color), so a
   * refusal never stands in for a fault.
   */
  nextEdit(random: () => number, serial: number, templates: readonly Annotation[]): Edit {
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const live: string[] = [];
    const deleted: string[] = [];
    for (const [id, expected] of this.annotations) {
      if (!settled(expected.deleted)) continue;
      (expected.deleted.acked ? deleted : live).push(id);
    }
    const roll = random();
    const template = pick(templates);
    if (roll < 0.25 || live.length === 0) {
      return { type: 'create', token: `burst ${serial} 新建`, color: pick(HIGHLIGHT_COLORS), template };
    }
    if (roll < 0.55) return { type: 'note', id: pick(live), text: noteText(serial, random) };
    if (roll < 0.75) return { type: 'color', id: pick(live), color: pick(HIGHLIGHT_COLORS) };
    if (roll < 0.85) return { type: 'delete', id: pick(live) };
    if (roll < 0.9 && deleted.length > 0) return { type: 'restore', id: pick(deleted) };
    return { type: 'lessonNote', text: `本讲笔记 ${serial}：${'记'.repeat(Math.floor(random() * 200))}`, template };
  }
}

/** The request an edit sends (storage/protocol.ts). */
export function requestOf(edit: Edit): Request {
  switch (edit.type) {
    case 'create':
      return { type: 'createAnnotation', draft: { lesson: edit.template.lesson, target: edit.template.target, color: edit.color, note: edit.token } };
    case 'note':
      return { type: 'updateAnnotation', id: edit.id, patch: { note: edit.text } };
    case 'color':
      return { type: 'updateAnnotation', id: edit.id, patch: { color: edit.color } };
    case 'delete':
      return { type: 'deleteAnnotation', id: edit.id };
    case 'restore':
      return { type: 'restoreAnnotation', id: edit.id };
    case 'lessonNote':
      return { type: 'saveLessonNote', lesson: edit.template.lesson, note: edit.text };
  }
}

/** A value short enough for a failure message (notes run to thousands of characters). */
function brief(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function setField<T>(field: Field<T>, value: T, acknowledged: boolean): void {
  if (acknowledged) {
    field.acked = value;
    field.maybe = [];
  } else {
    field.maybe.push(value);
  }
}

/** A unique note of varied length (up to a few thousand characters), Chinese and Latin mixed. */
function noteText(serial: number, random: () => number): string {
  const body = '超时并不等于失败，它只是意味着“不知道”。Retry with the same key. ';
  return `笔记 ${serial}：${body.repeat(1 + Math.floor(random() * 40))}`;
}
