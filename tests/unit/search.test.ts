import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  buildSearchIndex,
  foldText,
  matchRanges,
  parseQuery,
  searchAnnotations,
  searchForm,
  searchText,
  splitMatches,
} from '../../storage/search';
import type { HighlightColor } from '../../storage/model';
import { SAMPLE_ANNOTATIONS } from '../fixtures/export/sample-library';

const index = buildSearchIndex(SAMPLE_ANNOTATIONS);
const none = new Set<HighlightColor>();

/** The ids' last digit of what `query` finds, in list order. */
function find(query: string, colors: ReadonlySet<HighlightColor> = none): string[] {
  const found = searchAnnotations(index, query, colors);
  return SAMPLE_ANNOTATIONS.filter((a) => found?.has(a.id)).map((a) => a.id.slice(-1));
}

describe('the search matcher', () => {
  test('finds any Chinese substring of a quote, with no spaces in the text', () => {
    expect(find('幂等')).toEqual(['3']);
    expect(find('同一个操作执行')).toEqual(['3']);
    expect(find('范围查询')).toEqual(['2']);
  });

  test('finds a fragment of a note, of a lesson title and of a course title', () => {
    expect(find('业务单号')).toEqual(['3']);
    expect(find('任期、投票')).toEqual(['4']);
    expect(find('MySQL 实战')).toEqual(['2']);
    expect(find('分布式系统')).toEqual(['1', '3', '4', '5']);
  });

  test('matches Latin text case-insensitively, and full-width letters as ASCII', () => {
    expect(find('withtimeout')).toEqual(['5']);
    expect(find('RAFT')).toEqual(['4']);
    expect(find('ｒｅｖｉｅｗ')).toEqual(['5']);
  });

  test('mixed Chinese and English terms must all occur, in any field', () => {
    expect(find('context 截止时间')).toEqual(['5']);
    expect(find('raft 领导者')).toEqual(['4']);
    expect(find('raft 幂等')).toEqual([]);
  });

  test('makes no false matches: characters must be adjacent, and never across two fields', () => {
    expect(find('幂等键随机')).toEqual([]);
    expect(find('超时失败')).toEqual([]);
    // The quote of #2 ends with "很快。" and its lesson title starts with "05": no match across them.
    expect(find('很快。05')).toEqual([]);
    // The space between two Latin words is kept: no match across it.
    expect(find('withthe')).toEqual([]);
  });

  test('ignores the space between Chinese and Latin text, and the Markdown markers of a note', () => {
    expect(find('b+树')).toEqual(['2']);
    expect(find('mysql实战')).toEqual(['2']);
    expect(find('raft选主')).toEqual(['4']);
    expect(find('withtimeout会把')).toEqual(['5']);
    // The note of #3 reads "…要和**业务单号**绑定…".
    expect(find('和业务单号绑定')).toEqual(['3']);
    expect(find('**业务单号**')).toEqual(['3']);
    expect(parseQuery('** __ ``')).toEqual([]);
  });

  test('the index and the emphasis put any text in the same search form, and every kept character maps back to itself', () => {
    const piece = fc.constantFrom('幂', '等', '，', '。', '“', 'a', 'B', 'Ｒ', '+', '1', ' ', '  ', '\u3000', '\n', '*', '**', '_', '`', '~');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }).map((pieces) => pieces.join('')), (text) => {
        const form = searchForm(text);
        expect(form.text).toBe(searchText(text));
        const folded = foldText(text);
        form.offsets.forEach((offset, i) => expect(folded[offset]).toBe(form.text[i]));
        expect(form.offsets).toEqual([...form.offsets].sort((a, b) => a - b));
      }),
      { numRuns: 500 },
    );
  });

  test('emphasis covers what the search ignored inside a match', () => {
    expect(splitMatches('用 Redis 里的过期键', parseQuery('redis里'))).toEqual([
      { text: '用 ', match: false },
      { text: 'Redis 里', match: true },
      { text: '的过期键', match: false },
    ]);
    expect(splitMatches('这是**幂等**键', parseQuery('幂等键'))).toEqual([
      { text: '这是**', match: false },
      { text: '幂等**键', match: true },
    ]);
  });

  test('an empty query narrows nothing; a color filter alone narrows by color', () => {
    expect(searchAnnotations(index, '   ', none)).toBeNull();
    expect(find('', new Set(['blue', 'pink']))).toEqual(['1', '5']);
    expect(find('超时', new Set(['pink']))).toEqual(['5']);
  });

  test('splits the query on any whitespace, the ideographic space too, and drops repeats', () => {
    expect(parseQuery('  Raft\u3000任期 raft\t')).toEqual(['raft', '任期']);
  });

  test('folding keeps every offset, so emphasis lands on the original text', () => {
    const text = 'İstanbul Ｒaft 幂等 raft';
    expect(foldText(text)).toHaveLength(text.length);
    expect(splitMatches('Raft 选主：RAFT', ['raft'])).toEqual([
      { text: 'Raft', match: true },
      { text: ' 选主：', match: false },
      { text: 'RAFT', match: true },
    ]);
  });

  test('overlapping or touching matches become one emphasis; separate ones stay apart', () => {
    expect(matchRanges('幂等键幂等', ['幂等', '等键'])).toEqual([{ start: 0, end: 5 }]);
    expect(matchRanges('幂等和幂等', ['幂等'])).toEqual([
      { start: 0, end: 2 },
      { start: 3, end: 5 },
    ]);
    expect(splitMatches('无匹配', ['幂等'])).toEqual([{ text: '无匹配', match: false }]);
  });
});
