import { describe, expect, test } from 'vitest';
import { CONTEXT_LENGTH, describeSpan, editDistance, locateTarget, type TextSpan } from '../../page/text-quote';

// Sentences longer than the stored context, so each occurrence of a quote
// has context of its own.
const NO_CLOCK = '分布式系统里没有全局时钟，每台机器只能相信自己的本地时间，而这些时间彼此之间总有偏差。';
const NETWORK = '网络可能延迟、重排甚至丢弃消息，发送方往往无从知晓对方到底有没有收到，只能等待超时。';
const CONSENSUS = '为了让多个节点对同一件事达成一致，我们需要一套共识协议，并且要容忍少数节点随时宕机。';
const RESTART = '协议的每一步都要考虑节点宕机后带着旧状态重启的情况，这往往是最容易出错的地方。';
const QUOTE = '副本之间的数据并不总是一致的';

/** Where `part` occurs in `text` for the `nth` time (1-based). */
function spanOf(text: string, part: string, nth = 1): TextSpan {
  let start = -1;
  for (let i = 0; i < nth; i++) {
    start = text.indexOf(part, start + 1);
    if (start < 0) throw new Error(`${part} does not occur ${nth} times`);
  }
  return { start, end: start + part.length };
}

/** The three-times repeated clause, each time in another sentence. */
const REPEATED = `${NO_CLOCK}先说结论：${QUOTE}。${NETWORK}换句话说，${QUOTE}，只是最终会追上来。${CONSENSUS}所以要记住：${QUOTE}。${RESTART}`;

describe('describeSpan', () => {
  test('keeps the quote, 32 characters of context on each side, and the position', () => {
    const span = spanOf(REPEATED, QUOTE, 2);

    const target = describeSpan(REPEATED, span);

    expect(target.quote.exact).toBe(QUOTE);
    expect(target.quote.prefix).toHaveLength(CONTEXT_LENGTH);
    expect(target.quote.prefix.endsWith('换句话说，')).toBe(true);
    expect(target.quote.suffix.startsWith('，只是最终会追上来。')).toBe(true);
    expect(target.position).toEqual({ type: 'TextPositionSelector', ...span });
  });

  test('a quote at the start or end of the text has no context on that side', () => {
    expect(describeSpan(NO_CLOCK, { start: 0, end: 5 }).quote.prefix).toBe('');
    expect(describeSpan(NO_CLOCK, { start: NO_CLOCK.length - 5, end: NO_CLOCK.length }).quote.suffix).toBe('');
  });
});

describe('locateTarget finds a quote in unchanged or moved text', () => {
  test('an unchanged text gives back the stored span', () => {
    const span = spanOf(REPEATED, QUOTE, 2);

    expect(locateTarget(REPEATED, describeSpan(REPEATED, span))).toEqual(span);
  });

  test('after text is inserted before all three occurrences, the 2nd stays the 2nd', () => {
    const target = describeSpan(REPEATED, spanOf(REPEATED, QUOTE, 2));
    const edited = `开篇先交代一个背景。${REPEATED}`;

    expect(locateTarget(edited, target)).toEqual(spanOf(edited, QUOTE, 2));
  });

  test('a twin that moved onto the stored position is not taken for the highlight', () => {
    const second = spanOf(REPEATED, QUOTE, 2);
    const target = describeSpan(REPEATED, second);
    // Shift the text so that the 1st occurrence lands exactly where the 2nd was.
    const shift = second.start - spanOf(REPEATED, QUOTE, 1).start;
    const edited = '补'.repeat(shift) + REPEATED;
    expect(edited.slice(second.start, second.end)).toBe(QUOTE);

    expect(locateTarget(edited, target)).toEqual(spanOf(edited, QUOTE, 2));
  });

  test('exact occurrences are told apart by either side of context when the other side changed', () => {
    const target = describeSpan(REPEATED, spanOf(REPEATED, QUOTE, 2));
    const newPrefix = REPEATED.replace(`${NETWORK}换句话说，`, '这一段开头被作者整个重写了，原来的铺垫全都不见了，现在直接说：');
    const newSuffix = REPEATED.replace('，只是最终会追上来。', '——后面的话被改成了完全不同的一句，并且更长一些。');

    expect(locateTarget(newPrefix, target)).toEqual(spanOf(newPrefix, QUOTE, 2));
    expect(locateTarget(newSuffix, target)).toEqual(spanOf(newSuffix, QUOTE, 2));
  });

  test('a quote at the very start or end of the text is found after the text around it changed', () => {
    const text = `${NO_CLOCK}${NETWORK}`;
    const first = describeSpan(text, { start: 0, end: 12 });
    const last = describeSpan(text, { start: text.length - 12, end: text.length });
    const edited = `${NO_CLOCK}${CONSENSUS}${NETWORK}`;

    expect(locateTarget(`${NO_CLOCK}${RESTART}`, first)).toEqual({ start: 0, end: 12 });
    expect(locateTarget(edited, last)).toEqual({ start: edited.length - 12, end: edited.length });
  });
});

describe('locateTarget tolerates light edits of the quote itself', () => {
  test('a typo fixed inside the quote still finds the corrected passage', () => {
    const typo = NETWORK.replace('重排', '重拍');
    const target = describeSpan(typo, spanOf(typo, '网络可能延迟、重拍甚至丢弃消息'));

    expect(locateTarget(NETWORK, target)).toEqual(spanOf(NETWORK, '网络可能延迟、重排甚至丢弃消息'));
  });

  test('a quote split into two paragraphs covers both halves', () => {
    const text = `${NO_CLOCK}${NETWORK}${CONSENSUS}`;
    const passage = '只能等待超时。为了让多个节点';
    const split = text.replace('超时。', '超时。\n');

    expect(locateTarget(split, describeSpan(text, spanOf(text, passage)))).toEqual(
      spanOf(split, '只能等待超时。\n为了让多个节点'),
    );
  });

  test('a ten-character quote with two changed characters is found, with three it is an orphan', () => {
    const text = `${NO_CLOCK}选主需要多数派的投票${NETWORK}`;
    const target = describeSpan(text, spanOf(text, '选主需要多数派的投票'));
    const twoErrors = text.replace('选主需要多数派的投票', '选举需要多数派的选票');
    const threeErrors = text.replace('选主需要多数派的投票', '选举需要大数派的选票');

    expect(locateTarget(twoErrors, target)).toEqual(spanOf(twoErrors, '选举需要多数派的选票'));
    expect(locateTarget(threeErrors, target)).toBeNull();
  });

  test('a quote shorter than eight characters must be found verbatim', () => {
    const seven = `${NO_CLOCK}领导者租约机制${NETWORK}`;
    const eight = `${NO_CLOCK}领导者的租约机制${NETWORK}`;
    const sevenTarget = describeSpan(seven, spanOf(seven, '领导者租约机制'));
    const eightTarget = describeSpan(eight, spanOf(eight, '领导者的租约机制'));

    expect(locateTarget(seven.replace('租约', '租期'), sevenTarget)).toBeNull();
    expect(locateTarget(eight.replace('租约', '租期'), eightTarget)).toEqual(
      spanOf(eight.replace('租约', '租期'), '领导者的租期机制'),
    );
  });

  test('a clause reworded in one of its three occurrences stays there, not on an untouched twin', () => {
    const target = describeSpan(REPEATED, spanOf(REPEATED, QUOTE, 2));
    const reworded = '副本之间的数据并非总是一致的';
    const edited = REPEATED.replace(`换句话说，${QUOTE}`, `换句话说，${reworded}`);

    expect(locateTarget(edited, target)).toEqual(spanOf(edited, reworded));
  });
});

describe('locateTarget makes an orphan rather than a wrong anchor', () => {
  const text = `${NO_CLOCK}${QUOTE}${NETWORK}`;
  const target = describeSpan(text, spanOf(text, QUOTE));
  const prefix = target.quote.prefix;
  const unrelated = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij';

  /** The text with the quote's suffix replaced and some of its prefix's characters altered. */
  function withPrefixChanged(side: 'far' | 'near', changed: number): string {
    const altered =
      side === 'far'
        ? '＊'.repeat(changed) + prefix.slice(changed)
        : prefix.slice(0, prefix.length - changed) + '＊'.repeat(changed);
    expect(editDistance(prefix, altered)).toBe(changed);
    return text.replace(`${prefix}${QUOTE}${NETWORK}`, `${altered}${QUOTE}${unrelated}`);
  }

  test('with its suffix gone, a quote is found while its prefix agrees near the quote', () => {
    const farEdit = withPrefixChanged('far', CONTEXT_LENGTH / 2);
    const nearEdit = withPrefixChanged('near', 10);

    expect(locateTarget(farEdit, target)).toEqual(spanOf(farEdit, QUOTE));
    expect(locateTarget(nearEdit, target)).toEqual(spanOf(nearEdit, QUOTE));
  });

  test('with its suffix gone and its prefix changed near it, a quote is an orphan though its words remain', () => {
    expect(locateTarget(withPrefixChanged('near', 11), target)).toBeNull();
  });

  test('a short quote needs its context to agree on both sides', () => {
    const shortText = `${NO_CLOCK}共识协议${NETWORK}`;
    const shortTarget = describeSpan(shortText, spanOf(shortText, '共识协议'));
    const oneSideChanged = shortText.replace(NETWORK, CONSENSUS);

    expect(locateTarget(shortText.replace('彼此之间', '相互之间'), shortTarget)).toEqual(spanOf(shortText, '共识协议'));
    expect(locateTarget(oneSideChanged, shortTarget)).toBeNull();
  });

  test('a deleted sentence is not moved to the same short phrase elsewhere', () => {
    const original = `${NO_CLOCK}${NETWORK}${CONSENSUS}`;
    const shortTarget = describeSpan(original, spanOf(original, '宕机', 1));
    const deleted = original.replace(CONSENSUS, RESTART);
    expect(deleted).toContain('宕机');

    expect(locateTarget(deleted, shortTarget)).toBeNull();
  });

  test('a deleted occurrence of a repeated clause is not moved to a twin', () => {
    const target2 = describeSpan(REPEATED, spanOf(REPEATED, QUOTE, 2));
    const deleted = REPEATED.replace(`${NETWORK}换句话说，${QUOTE}，只是最终会追上来。`, '');

    expect(locateTarget(deleted, target2)).toBeNull();
  });
});

describe('editDistance', () => {
  test('counts inserted, deleted and changed characters', () => {
    expect(editDistance('', '副本')).toBe(2);
    expect(editDistance('副本一致', '副本不一致')).toBe(1);
    expect(editDistance('主从复制', '主备复制')).toBe(1);
    expect(editDistance('raft', 'paxos')).toBe(editDistance('paxos', 'raft'));
  });
});
