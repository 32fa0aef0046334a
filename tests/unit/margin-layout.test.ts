import { describe, expect, test } from 'vitest';
import { CARD_GAP, layoutCards, type CardRequest } from '../../page/margin-layout';

const card = (id: string, anchorTop: number, height = 60): CardRequest => ({ id, anchorTop, height });

function overlaps(tops: Map<string, number>, cards: CardRequest[]): boolean {
  const boxes = cards.map((c) => ({ top: tops.get(c.id)!, bottom: tops.get(c.id)! + c.height })).sort((a, b) => a.top - b.top);
  return boxes.some((box, i) => i > 0 && box.top < boxes[i - 1]!.bottom);
}

describe('layoutCards stacks note cards beside their highlights', () => {
  test('puts each card at its highlight when there is room', () => {
    const cards = [card('a', 100), card('b', 400), card('c', 900)];

    expect([...layoutCards(cards)]).toEqual([['a', 100], ['b', 400], ['c', 900]]);
  });

  test('pushes close cards down in document order, just below the previous one', () => {
    const cards = [card('a', 100, 80), card('b', 120, 50), card('c', 130, 40)];
    const tops = layoutCards(cards);

    expect(tops.get('a')).toBe(100);
    expect(tops.get('b')).toBe(100 + 80 + CARD_GAP);
    expect(tops.get('c')).toBe(tops.get('b')! + 50 + CARD_GAP);
    expect(overlaps(tops, cards)).toBe(false);
  });

  test('moves a pushed card no further than needed, and later cards return to their highlight', () => {
    const cards = [card('a', 0, 100), card('b', 50, 20), card('c', 500, 20)];
    const tops = layoutCards(cards);

    expect(tops.get('b')).toBe(100 + CARD_GAP);
    expect(tops.get('c')).toBe(500);
  });

  test('keeps document order even when highlights share a line', () => {
    const cards = [card('first', 200), card('second', 200), card('third', 200)];
    const tops = layoutCards(cards);

    expect(tops.get('first')!).toBeLessThan(tops.get('second')!);
    expect(tops.get('second')!).toBeLessThan(tops.get('third')!);
    expect(overlaps(tops, cards)).toBe(false);
  });

  test('aligns the focused card exactly with its highlight and makes room above it', () => {
    const cards = [card('a', 100, 80), card('b', 130, 60), card('c', 150, 40)];
    const tops = layoutCards(cards, 'b');

    expect(tops.get('b')).toBe(130);
    expect(tops.get('a')).toBe(130 - CARD_GAP - 80);
    expect(tops.get('c')).toBe(130 + 60 + CARD_GAP);
    expect(overlaps(tops, cards)).toBe(false);
  });

  test('never overlaps, whatever the input', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let round = 0; round < 50; round++) {
      const cards = Array.from({ length: 40 }, (_, i) => card(`n${i}`, Math.floor(random() * 3000), 20 + Math.floor(random() * 200)))
        .sort((a, b) => a.anchorTop - b.anchorTop);
      const focus = round % 2 ? cards[Math.floor(random() * cards.length)]!.id : null;

      expect(overlaps(layoutCards(cards, focus), cards)).toBe(false);
    }
  });
});

describe('a card offers "More" for notes longer than its clamp', () => {
  test('short notes show whole, long or many-line notes are clamped', async () => {
    const { exceedsClamp } = await import('../../page/card-size');

    expect(exceedsClamp('超时之后，结果是未知的。')).toBe(false);
    expect(exceedsClamp('幂等'.repeat(60))).toBe(true);
    expect(exceedsClamp('- a\n- b\n- c\n- d\n- e\n- f')).toBe(true);
    expect(exceedsClamp('a'.repeat(150))).toBe(false);
  });
});
