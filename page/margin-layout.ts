/**
 * Stacks note cards in the margin, like comments in a word processor: each
 * card wants the top of its highlight; cards never overlap; order follows
 * the document. With a focused card (being edited), that card sits exactly
 * at its highlight and the others make room above and below it.
 */

/** A card to place: where its highlight starts and how tall the card is. */
export interface CardRequest {
  id: string;
  /** Top of the highlight, in the scrolling content's coordinates. */
  anchorTop: number;
  height: number;
}

/** Vertical space between stacked cards. */
export const CARD_GAP = 8;

/**
 * Card tops by id. Cards must be given in document order. Without a focus
 * each card moves down only as far as needed (the least shift); with one,
 * cards before it move up as far as needed instead.
 */
export function layoutCards(cards: readonly CardRequest[], focusedId: string | null = null): Map<string, number> {
  const tops = new Map<string, number>();
  const focus = focusedId === null ? -1 : cards.findIndex((card) => card.id === focusedId);
  let floor = -Infinity;
  for (let i = Math.max(focus, 0); i < cards.length; i++) {
    const card = cards[i]!;
    const top = Math.max(card.anchorTop, floor);
    tops.set(card.id, top);
    floor = top + card.height + CARD_GAP;
  }
  let ceiling = focus >= 0 ? tops.get(cards[focus]!.id)! - CARD_GAP : Infinity;
  for (let i = focus - 1; i >= 0; i--) {
    const card = cards[i]!;
    const top = Math.min(card.anchorTop, ceiling - card.height);
    tops.set(card.id, top);
    ceiling = top - CARD_GAP;
  }
  return tops;
}
