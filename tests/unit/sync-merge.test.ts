import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { tick, type ClockState } from '../../storage/sync/hlc';
import {
  conflictVersions,
  currentNote,
  editNote,
  mergeAnnotation,
  type ReplicatedAnnotation,
} from '../../storage/sync/merge';
import { HIGHLIGHT_COLORS } from '../../storage/model';

const REPLICAS = ['alpha', 'bravo', 'charlie'] as const;
type ReplicaName = (typeof REPLICAS)[number];

function newAnnotation(id: string, stamp: string): ReplicatedAnnotation {
  return {
    id,
    lesson: { site: 'time.geekbang.org', lessonId: '100001', url: 'https://time.geekbang.org/column/article/100001', lessonTitle: '超时', courseTitle: '分布式' },
    target: {
      quote: { type: 'TextQuoteSelector', exact: '超时不等于失败', prefix: '', suffix: '' },
      position: { type: 'TextPositionSelector', start: 0, end: 7 },
    },
    createdAt: 1,
    color: { value: 'yellow', stamp },
    tags: { value: [], stamp },
    deleted: { value: null, stamp },
    notes: [{ text: '', stamp, seen: {} }],
  };
}

/** A simulated profile: its clock and its copy of one annotation. */
interface Replica {
  name: ReplicaName;
  clock: ClockState;
  state: ReplicatedAnnotation;
}

type Operation =
  | { type: 'color'; at: number; color: (typeof HIGHLIGHT_COLORS)[number] }
  | { type: 'note'; at: number; text: string }
  | { type: 'delete'; at: number }
  | { type: 'restore'; at: number }
  | { type: 'send'; from: number; to: number; duplicate: boolean }
  | { type: 'lose'; from: number };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ type: fc.constant('color' as const), at: fc.nat(2), color: fc.constantFrom(...HIGHLIGHT_COLORS) }),
  fc.record({ type: fc.constant('note' as const), at: fc.nat(2), text: fc.string({ minLength: 1, maxLength: 6 }) }),
  fc.record({ type: fc.constant('delete' as const), at: fc.nat(2) }),
  fc.record({ type: fc.constant('restore' as const), at: fc.nat(2) }),
  fc.record({ type: fc.constant('send' as const), from: fc.nat(2), to: fc.nat(2), duplicate: fc.boolean() }),
  fc.record({ type: fc.constant('lose' as const), from: fc.nat(2) }),
);

/**
 * Runs random edits on three replicas with random, duplicated and lost
 * deliveries of whole states, then lets everyone exchange everything.
 * Returns the final states and every note text that no replica overwrote
 * knowingly (those must survive somewhere: as the note or a conflict).
 */
function simulate(operations: Operation[]): { finals: ReplicatedAnnotation[]; mustSurvive: Set<string> } {
  let now = 1000;
  const origin = newAnnotation('a1', '0000000001000-000000-alpha');
  const replicas: Replica[] = REPLICAS.map((name) => ({ name, clock: { wall: 0, counter: 0 }, state: origin }));
  const inFlight: ReplicatedAnnotation[][] = REPLICAS.map(() => []);
  for (const op of operations) {
    now += 1;
    if (op.type === 'send') {
      const message = replicas[op.from]!.state;
      inFlight[op.to]!.push(message);
      if (op.duplicate) inFlight[op.to]!.push(message);
      continue;
    }
    if (op.type === 'lose') {
      inFlight[op.from]!.shift();
      continue;
    }
    const replica = replicas[op.at]!;
    // Deliver what is waiting (in reverse, to reorder) before editing.
    for (const message of inFlight[op.at]!.splice(0).reverse()) replica.state = mergeAnnotation(replica.state, message);
    const stamp = tick(replica.clock, replica.name, now);
    const state = replica.state;
    if (op.type === 'color') replica.state = { ...state, color: { value: op.color, stamp } };
    if (op.type === 'delete') replica.state = { ...state, deleted: { value: now, stamp } };
    if (op.type === 'restore') replica.state = { ...state, deleted: { value: null, stamp } };
    if (op.type === 'note') replica.state = { ...state, notes: editNote(state.notes, op.text, stamp, replica.name) };
  }
  // Everyone eventually hears from everyone, in some order.
  for (let round = 0; round < 2; round++) {
    for (const to of replicas) for (const from of replicas) to.state = mergeAnnotation(to.state, from.state);
  }
  const mustSurvive = new Set(replicas.flatMap((replica) => replica.state.notes.map((version) => version.text)));
  return { finals: replicas.map((replica) => replica.state), mustSurvive };
}

describe('merging annotation states', () => {
  test('is commutative, associative and idempotent', () => {
    const stampOf = (n: number, replica: string) => `${String(1000 + n).padStart(13, '0')}-000000-${replica}`;
    // A stamp names one event: variants get distinct stamps.
    const variant = (n: number) =>
      fc.record({ replica: fc.constantFrom(...REPLICAS), text: fc.string(), color: fc.constantFrom(...HIGHLIGHT_COLORS) }).map(({ replica, text, color }) => {
        const base = newAnnotation('a1', stampOf(0, 'alpha'));
        const stamp = stampOf(n, replica);
        return { ...base, color: { value: color, stamp }, notes: editNote(base.notes, text, stamp, replica) };
      });
    const variants = fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { minLength: 3, maxLength: 3 }).chain(([x, y, z]) =>
      fc.tuple(variant(x!), variant(y!), variant(z!)),
    );
    fc.assert(
      fc.property(variants, ([a, b, c]) => {
        expect(mergeAnnotation(a, b)).toEqual(mergeAnnotation(b, a));
        expect(mergeAnnotation(mergeAnnotation(a, b), c)).toEqual(mergeAnnotation(a, mergeAnnotation(b, c)));
        expect(mergeAnnotation(a, a)).toEqual(a);
      }),
    );
  });

  test('three replicas with lost, duplicated and reordered messages converge and keep every concurrent note', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        const { finals, mustSurvive } = simulate(operations);
        expect(finals[1]).toEqual(finals[0]);
        expect(finals[2]).toEqual(finals[0]);
        const kept = new Set([currentNote(finals[0]!.notes), ...conflictVersions(finals[0]!.notes).map((v) => v.text)]);
        for (const text of mustSurvive) expect(kept).toContain(text);
      }),
      { numRuns: 300 },
    );
  });

  test('concurrent color and note edits on two profiles both survive', () => {
    const base = newAnnotation('a1', '0000000001000-000000-alpha');
    const colored = { ...base, color: { value: 'blue' as const, stamp: '0000000002000-000000-alpha' } };
    const noted = { ...base, notes: editNote(base.notes, '幂等是前提', '0000000002000-000000-bravo', 'bravo') };

    const merged = mergeAnnotation(colored, noted);

    expect(merged.color.value).toBe('blue');
    expect(currentNote(merged.notes)).toBe('幂等是前提');
    expect(conflictVersions(merged.notes)).toEqual([]);
  });

  test('the same note edited on two profiles keeps the later text and the other as a conflict', () => {
    const base = newAnnotation('a1', '0000000001000-000000-alpha');
    const atHome = { ...base, notes: editNote(base.notes, '家里写的', '0000000003000-000000-alpha', 'alpha') };
    const atWork = { ...base, notes: editNote(base.notes, '公司写的', '0000000002000-000000-bravo', 'bravo') };

    const merged = mergeAnnotation(atWork, atHome);

    expect(currentNote(merged.notes)).toBe('家里写的');
    expect(conflictVersions(merged.notes).map((v) => v.text)).toEqual(['公司写的']);
    const restored = editNote(merged.notes, '公司写的', '0000000004000-000000-alpha', 'alpha');
    expect(mergeAnnotation({ ...merged, notes: restored }, atHome).notes.map((v) => v.text)).toEqual(['公司写的']);
  });

  test('a deletion wins over older edits, and an undo after it wins over the deletion', () => {
    const base = newAnnotation('a1', '0000000001000-000000-alpha');
    const edited = { ...base, color: { value: 'pink' as const, stamp: '0000000002000-000000-bravo' } };
    const deleted = { ...base, deleted: { value: 3000, stamp: '0000000003000-000000-alpha' } };
    const undone = { ...deleted, deleted: { value: null, stamp: '0000000004000-000000-alpha' } };

    expect(mergeAnnotation(edited, deleted).deleted.value).toBe(3000);
    expect(mergeAnnotation(mergeAnnotation(edited, deleted), undone).deleted.value).toBeNull();
  });
});
