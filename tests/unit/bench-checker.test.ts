/**
 * The bench's correctness checker (bench/browser/checker.ts) on hand-made
 * markup: it must call an anchor correct only on the intended occurrence,
 * wrong on another occurrence of the same words, orphan when nothing was
 * found, and wrong when a removed passage was anchored anyway. Positions
 * ignore whitespace and code-line gutters, whatever each implementation reads.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { countText, emptyTally, rangeOfSpan, spanOfRange, tallyAnchor, classify } from '../../bench/browser/checker';

let root: HTMLElement;

beforeEach(() => {
  document.body.innerHTML = `
    <div id="lesson">
      <p>超时并不等于失败。<strong>重试</strong>要有上限。</p>
      <div class="CodeBlock_codeBlock_x">
        <div class="CodeBlock_toolbar_x"><button>复制代码</button></div>
        <div><span class="CodeBlock_lineNumber_x">1</span>backoff := 100</div>
        <div><span class="CodeBlock_lineNumber_x">2</span>retry()</div>
      </div>
      <p>  第二段：超时并不等于失败。  </p>
    </div>`;
  root = document.getElementById('lesson')!;
});

/** The range over the `occurrence`-th match of `text` in the counted text. */
function rangeOf(text: string, occurrence = 0): Range {
  const counted = countText([root]);
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = counted.text.indexOf(text, at + 1);
  return rangeOfSpan(counted, { start: at, end: at + text.length });
}

describe('the bench checker', () => {
  it('counts visible characters only: no whitespace, gutters or toolbar', () => {
    expect(countText([root]).text).toBe('超时并不等于失败。重试要有上限。backoff:=100retry()第二段：超时并不等于失败。');
  });

  it('maps a range to the same counted span whichever text nodes it starts and ends in', () => {
    const counted = countText([root]);
    const strong = root.querySelector('strong')!;
    const range = document.createRange();
    range.setStartBefore(strong); // an element boundary, not a text offset
    range.setEnd(strong.firstChild!, 2);
    expect(spanOfRange(counted, range)).toEqual({ start: 9, end: 11 });
    const acrossGutter = rangeOf('100retry');
    expect(acrossGutter.toString().replace(/\s+/g, '')).toBe('1002retry'); // the gutter is in the DOM range…
    const at = counted.text.indexOf('100retry');
    expect(spanOfRange(counted, acrossGutter)).toEqual({ start: at, end: at + 8 }); // …but not in its span
  });

  it('calls the intended occurrence correct and another occurrence of the same words wrong', () => {
    const counted = countText([root]);
    const intended = spanOfRange(counted, rangeOf('超时并不等于失败。', 1));
    expect(classify(spanOfRange(counted, rangeOf('超时并不等于失败。', 1)), intended)).toBe('correct');
    expect(classify(spanOfRange(counted, rangeOf('超时并不等于失败。', 0)), intended)).toBe('wrong');
    expect(classify(spanOfRange(counted, rangeOf('超时并不等于失败')), intended)).toBe('wrong'); // one character short
  });

  it('calls a missing anchor an orphan, and any anchor for a removed passage wrong', () => {
    const counted = countText([root]);
    const somewhere = spanOfRange(counted, rangeOf('重试'));
    expect(classify(null, somewhere)).toBe('orphan');
    expect(classify(somewhere, null)).toBe('wrong');
    expect(classify(null, null)).toBe('orphan');
  });

  it('tallies surviving and removed passages apart, and near misses among the wrong', () => {
    const counted = countText([root]);
    const tally = emptyTally();
    const first = spanOfRange(counted, rangeOf('超时并不等于失败。', 0));
    const second = spanOfRange(counted, rangeOf('超时并不等于失败。', 1));
    tallyAnchor(tally, first, first); // correct
    tallyAnchor(tally, second, first); // wrong, elsewhere
    tallyAnchor(tally, { start: first.start, end: first.end - 1 }, first); // wrong, overlapping
    tallyAnchor(tally, null, second); // orphaned
    tallyAnchor(tally, null, null); // removed, orphan: right
    tallyAnchor(tally, first, null); // removed, anchored: wrong
    expect(tally).toEqual({ surviving: 4, correct: 1, orphaned: 1, wrong: 3, nearMisses: 1, removed: 2, removedOrphaned: 1 });
  });
});
