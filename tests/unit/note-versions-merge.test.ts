/**
 * Choosing a conflict version (issue #5): the chosen text becomes the note,
 * the replaced one stays as a conflict version, and every other profile
 * reaches the same state. Also the lesson note's merge, the same register.
 * Property tests in the style of sync-merge.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { tick, type ClockState } from '../../storage/sync/hlc';
import {
  chooseNoteVersion,
  currentNote,
  editNote,
  mergeLessonNote,
  mergeNotes,
  type NoteVersion,
  type ReplicatedLessonNote,
} from '../../storage/sync/merge';
import { LESSON } from '../fixtures/sync/sync-fixtures';

const REPLICAS = ['alpha', 'bravo', 'charlie'] as const;
const ORIGIN: NoteVersion[] = [{ text: '', stamp: '0000000001000-000000-alpha', seen: {} }];

/** A profile's clock, its copy of one note, and the lanes it has handed out. */
interface Replica {
  name: string;
  clock: ClockState;
  notes: NoteVersion[];
  lanes: number;
}

type Operation =
  | { type: 'edit'; at: number; text: string }
  | { type: 'choose'; at: number; pick: number }
  | { type: 'dismiss'; at: number }
  | { type: 'send'; from: number; to: number; duplicate: boolean }
  | { type: 'lose'; from: number };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ type: fc.constant('edit' as const), at: fc.nat(2), text: fc.string({ minLength: 1, maxLength: 5 }) }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('choose' as const), at: fc.nat(2), pick: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('dismiss' as const), at: fc.nat(2) }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('send' as const), from: fc.nat(2), to: fc.nat(2), duplicate: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('lose' as const), from: fc.nat(2) }) },
);

/** Stamps from the replica's clock and lanes named after it: what the repository passes in. */
function sourceOf(replica: Replica, now: number) {
  return {
    stamp: () => tick(replica.clock, replica.name, now),
    lane: () => `${replica.name}lane${++replica.lanes}`,
  };
}

const texts = (notes: readonly NoteVersion[]) => new Set(notes.map((version) => version.text));

/** A note with `count` concurrent versions, one written on each of `count` profiles on top of ORIGIN. */
function concurrentNotes(count: number): NoteVersion[] {
  const heads = REPLICAS.slice(0, count).map((name, i) =>
    editNote(ORIGIN, `${name} 的版本`, `000000000${2000 + i}-000000-${name}`, name),
  );
  return heads.reduce((merged, head) => mergeNotes(merged, head));
}

describe('choosing a conflict version', () => {
  test('shows the chosen text and keeps the replaced one (and every other) as a conflict version', () => {
    const notes = concurrentNotes(3);
    const replica: Replica = { name: 'alpha', clock: { wall: 3000, counter: 0 }, notes, lanes: 0 };

    const chosen = chooseNoteVersion(notes, notes[2]!.stamp, sourceOf(replica, 4000));

    expect(currentNote(chosen)).toBe(notes[2]!.text);
    expect(chosen.map((version) => version.text).sort()).toEqual(notes.map((version) => version.text).sort());
    // A profile still holding the three versions takes the choice as it is, in either order.
    expect(mergeNotes(chosen, notes)).toEqual(chosen);
    expect(mergeNotes(notes, chosen)).toEqual(chosen);
  });

  test('swapping back and forth keeps both texts and shows the last one chosen', () => {
    let notes = concurrentNotes(2);
    const replica: Replica = { name: 'bravo', clock: { wall: 3000, counter: 0 }, notes, lanes: 0 };
    const [first, second] = notes.map((version) => version.text);

    for (let round = 1; round <= 4; round++) notes = chooseNoteVersion(notes, notes[1]!.stamp, sourceOf(replica, 3000 + round));

    expect(notes.map((version) => version.text)).toEqual([first, second]);
    notes = chooseNoteVersion(notes, notes[1]!.stamp, sourceOf(replica, 4000));
    expect(notes.map((version) => version.text)).toEqual([second, first]);
  });

  test('keeps a version whose vector equals the chosen one (two notes written before sync): it is written again', () => {
    const legacy: NoteVersion[] = [
      { text: '这台电脑上的', stamp: '0000000002000-000000-0badf00d', seen: {} },
      { text: '那台电脑上的', stamp: '0000000001500-000000-0000beef', seen: {} },
    ];
    const replica: Replica = { name: 'alpha', clock: { wall: 3000, counter: 0 }, notes: legacy, lanes: 0 };

    const chosen = chooseNoteVersion(legacy, legacy[1]!.stamp, sourceOf(replica, 3000));

    expect(chosen.map((version) => version.text)).toEqual(['那台电脑上的', '这台电脑上的']);
    expect(mergeNotes(chosen, legacy)).toEqual(chosen);
  });

  test('three profiles editing, choosing and exchanging with lost, duplicated and reordered messages converge, losing no text that was not edited over', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        let now = 2000;
        const replicas: Replica[] = REPLICAS.map((name) => ({ name, clock: { wall: 0, counter: 0 }, notes: ORIGIN, lanes: 0 }));
        const inFlight: NoteVersion[][][] = REPLICAS.map(() => []);
        /** Texts a profile held when its reader wrote over them: the only ones that may go. */
        const editedOver = new Set<string>();
        /** A chosen version is written again under a new stamp: editing over the new one writes over the old one's text too. */
        const rewrittenFrom = new Map<string, string[]>();
        const writeOver = (stamp: string) => {
          editedOver.add(stamp);
          for (const earlier of rewrittenFrom.get(stamp) ?? []) editedOver.add(earlier);
        };
        const written = new Set<string>();
        for (const op of operations) {
          now += 1;
          if (op.type === 'send') {
            inFlight[op.to]!.push(replicas[op.from]!.notes, ...(op.duplicate ? [replicas[op.from]!.notes] : []));
            continue;
          }
          if (op.type === 'lose') {
            inFlight[op.from]!.shift();
            continue;
          }
          const replica = replicas[op.at]!;
          for (const message of inFlight[op.at]!.splice(0).reverse()) replica.notes = mergeNotes(replica.notes, message);
          if (op.type === 'edit') {
            // The reader edits the shown note, as the repository does: only it is written over.
            writeOver(replica.notes[0]!.stamp);
            const before = replica.notes.slice(1).map((version) => version.text);
            replica.notes = editNote(replica.notes, op.text, tick(replica.clock, replica.name, now), replica.name, sourceOf(replica, now).lane);
            for (const text of before) expect(texts(replica.notes)).toContain(text);
            written.add(replica.notes[0]!.stamp);
          } else if (op.type === 'dismiss') {
            // "Keep only the current note": the one way conflict versions go.
            for (const version of replica.notes) writeOver(version.stamp);
            replica.notes = editNote(replica.notes, replica.notes[0]!.text, tick(replica.clock, replica.name, now), replica.name);
            expect(replica.notes).toHaveLength(1);
          } else if (replica.notes.length > 1) {
            const before = texts(replica.notes);
            const pick = replica.notes[1 + (op.pick % (replica.notes.length - 1))]!;
            replica.notes = chooseNoteVersion(replica.notes, pick.stamp, sourceOf(replica, now));
            expect(currentNote(replica.notes)).toBe(pick.text);
            rewrittenFrom.set(replica.notes[0]!.stamp, [pick.stamp, ...(rewrittenFrom.get(pick.stamp) ?? [])]);
            expect(texts(replica.notes)).toEqual(before);
          }
        }
        const everyText = new Map<string, string>();
        for (const replica of replicas) for (const version of replica.notes) everyText.set(version.stamp, version.text);
        for (let round = 0; round < 2; round++) {
          for (const to of replicas) for (const from of replicas) to.notes = mergeNotes(to.notes, from.notes);
        }
        expect(replicas[1]!.notes).toEqual(replicas[0]!.notes);
        expect(replicas[2]!.notes).toEqual(replicas[0]!.notes);
        // Every version some profile held at the end, and not edited over, is still there as text.
        const kept = texts(replicas[0]!.notes);
        for (const [stamp, text] of everyText) if (!editedOver.has(stamp)) expect(kept).toContain(text);
      }),
      { numRuns: 500 },
    );
  });
});

describe('editing a note that has conflict versions', () => {
  test('replaces only the shown version: the others stay, and every profile agrees once they exchange', () => {
    const both = concurrentNotes(2);
    const shown = both[0]!;
    const other = both[1]!;
    const edited = editNote(both, '改过的', '0000000003000-000000-alpha', 'alpha', () => 'alphalane1');

    expect(edited.map((version) => version.text)).toEqual(['改过的', other.text]);
    expect(edited.some((version) => version.stamp === shown.stamp)).toBe(false);
    // A profile that still holds the old pair takes the edit as it is.
    expect(mergeNotes(both, edited)).toEqual(edited);
    expect(mergeNotes(edited, both)).toEqual(edited);
  });

  test('without conflict versions an edit spends no lane; dismissing (no lane) lets every other version go', () => {
    const single = editNote(ORIGIN, '一个版本', '0000000002000-000000-alpha', 'alpha', () => {
      throw new Error('no lane is needed');
    });
    expect(single).toHaveLength(1);

    const dismissed = editNote(concurrentNotes(3), 'bravo 的版本', '0000000003000-000000-alpha', 'alpha');
    expect(dismissed.map((version) => version.text)).toEqual(['bravo 的版本']);
  });
});

describe("merging a lesson's page-level note", () => {
  const stampOf = (n: number, replica: string) => `${String(1000 + n).padStart(13, '0')}-000000-${replica}`;
  const base: ReplicatedLessonNote = { lessonId: LESSON.lessonId, lesson: LESSON, createdAt: 1000, notes: ORIGIN };
  const variant = (n: number) =>
    fc
      .record({ replica: fc.constantFrom(...REPLICAS), text: fc.string(), bareTitles: fc.boolean(), createdAt: fc.nat(2000) })
      .map(({ replica, text, bareTitles, createdAt }): ReplicatedLessonNote => ({
        ...base,
        lesson: bareTitles ? { ...LESSON, lessonTitle: '', courseTitle: '' } : LESSON,
        createdAt,
        notes: editNote(base.notes, text, stampOf(n, replica), replica),
      }));

  test('is commutative, associative and idempotent', () => {
    const variants = fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { minLength: 3, maxLength: 3 }).chain(([x, y, z]) =>
      fc.tuple(variant(x!), variant(y!), variant(z!)),
    );
    fc.assert(
      fc.property(variants, ([a, b, c]) => {
        expect(mergeLessonNote(a, b)).toEqual(mergeLessonNote(b, a));
        expect(mergeLessonNote(mergeLessonNote(a, b), c)).toEqual(mergeLessonNote(a, mergeLessonNote(b, c)));
        expect(mergeLessonNote(a, a)).toEqual(a);
      }),
    );
  });

  test('keeps both texts of a concurrent edit, the later shown, and the known lesson titles', () => {
    const atHome: ReplicatedLessonNote = { ...base, notes: editNote(ORIGIN, '家里写的', stampOf(3000, 'alpha'), 'alpha') };
    const atWork: ReplicatedLessonNote = {
      ...base,
      lesson: { ...LESSON, lessonTitle: '', courseTitle: '' },
      notes: editNote(ORIGIN, '公司写的', stampOf(2000, 'bravo'), 'bravo'),
    };

    const merged = mergeLessonNote(atWork, atHome);

    expect(merged.notes.map((version) => version.text)).toEqual(['家里写的', '公司写的']);
    expect(merged.lesson).toEqual(LESSON);
  });
});
