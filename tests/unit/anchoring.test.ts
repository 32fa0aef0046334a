import { describe, expect, test } from 'vitest';
import { anchorTarget, describeRange } from '../../page/anchoring';
import { findLessonParts, textRoots } from '../../page/lesson-dom';
import { buildTextIndex, type TextIndex } from '../../page/text-index';
import type { AnnotationTarget } from '../../storage/model';
import {
  blockWith,
  compact,
  highlightedText,
  loadLesson,
  selectBetween,
  textNodeWith,
  type HtmlEdit,
  type LessonFixture,
} from '../fixtures/anchoring/lesson-fixtures';

const CLAUSE = '副本之间的数据并不总是一致的';
/** Words of the paragraph that holds the 2nd of the three occurrences of {@link CLAUSE}. */
const SECOND_CLAUSE_PARAGRAPH = '换句话说';

/** The text index of the page shown now, read as the content script reads it. */
function lessonIndex(doc: Document = document): TextIndex {
  const parts = findLessonParts(doc);
  if (!parts) throw new Error('no lesson on the page');
  return buildTextIndex(textRoots(parts));
}

/** Highlights `range` on the page shown now, as the reader would, and returns what is stored. */
function highlight(range: Range): AnnotationTarget {
  const target = describeRange(lessonIndex(range.startContainer.ownerDocument!), range);
  if (!target) throw new Error(`nothing to highlight in ${JSON.stringify(range.toString())}`);
  return target;
}

/** Opens the lesson (`name` after `edits`) and puts the stored highlight back on it. */
function anchorOn(name: LessonFixture, target: AnnotationTarget, edits: readonly HtmlEdit[] = []): Range | null {
  loadLesson(name, edits);
  return anchorTarget(lessonIndex(), target);
}

/** The text of the block (paragraph, line…) where a highlight begins. */
function blockTextAt(range: Range): string {
  const node = range.startContainer;
  const element = node instanceof Element ? node : node.parentElement!;
  return element.closest('[data-slate-object="block"], p, li')?.textContent ?? '';
}

/** Highlights the 2nd occurrence of the repeated clause on the Slate page. */
function highlightSecondClause(): AnnotationTarget {
  const doc = loadLesson('slate-desktop');
  const target = highlight(selectBetween(blockWith(doc, SECOND_CLAUSE_PARAGRAPH), CLAUSE, CLAUSE));
  expect(target.quote.exact).toBe(CLAUSE);
  return target;
}

describe('highlights made on the Slate lesson page are stored and found again', () => {
  test('a selection across bold and inline code keeps exactly the selected characters', () => {
    const doc = loadLesson('slate-desktop');
    const target = highlight(selectBetween(blockWith(doc, '最常见的做法是'), '主从复制', 'replication_log'));

    expect(target.quote.exact).toBe('主从复制：所有写请求先交给主节点，主节点把每次变更追加到replication_log');
    expect(highlightedText(anchorOn('slate-desktop', target)!)).toBe(compact(target.quote.exact));
  });

  test('a selection across two paragraphs quotes both, one per line', () => {
    const doc = loadLesson('slate-desktop');
    const target = highlight(selectBetween(doc.body, '这是复制带来的', '读到的就可能是旧值'));

    expect(target.quote.exact).toBe(
      '这是复制带来的第一个代价。\n如果从节点回放得比主节点慢，那么在这段时间里去读从节点，读到的就可能是旧值',
    );
    expect(highlightedText(anchorOn('slate-desktop', target)!)).toBe(compact(target.quote.exact));
  });

  test('a selection across code lines leaves the line-number digits out of the quote', () => {
    const doc = loadLesson('slate-desktop');
    const target = highlight(selectBetween(doc.body, 'return ErrOutOfOrder', 'n.lastApplied = entry.Index'));

    expect(target.quote.exact).toBe('return ErrOutOfOrder\n}\nn.lastApplied = entry.Index');
    expect(highlightedText(anchorOn('slate-desktop', target)!)).toBe('returnErrOutOfOrder}n.lastApplied=entry.Index');
  });

  test('a selection dragged from a line number starts at the code beside it', () => {
    const doc = loadLesson('slate-desktop');
    const gutter = doc.querySelectorAll('[class*="linenumber" i]')[4]!;
    const range = selectBetween(doc.body, 'n.lastApplied = entry.Index', 'n.lastApplied = entry.Index');
    range.setStart(gutter.firstChild!, 0);

    expect(highlight(range).quote.exact).toBe('n.lastApplied = entry.Index');
  });

  test('a triple-clicked paragraph is quoted as that paragraph alone', () => {
    const doc = loadLesson('slate-desktop');
    const paragraph = blockWith(doc, '先说结论');
    const range = doc.createRange();
    range.setStart(paragraph, 0);
    range.setEnd(paragraph.nextElementSibling!, 0);
    const target = highlight(range);

    expect(target.quote.exact).toBe(`先说结论：${CLAUSE}，这是复制带来的第一个代价。`);
    expect(highlightedText(anchorOn('slate-desktop', target)!)).toBe(compact(target.quote.exact));
  });

  test('selections in a block quote and across list lines are found again', () => {
    const doc = loadLesson('slate-desktop');
    const quoted = highlight(selectBetween(doc.body, '而不是“数据对不对”', '后者要靠共识协议'));
    const listed = highlight(selectBetween(doc.body, '但可能丢数据', '半同步复制'));

    expect(quoted.quote.exact).toBe('而不是“数据对不对”。\n后者要靠共识协议');
    expect(listed.quote.exact).toBe('但可能丢数据。\n半同步复制');
    expect(highlightedText(anchorOn('slate-desktop', quoted)!)).toBe(compact(quoted.quote.exact));
    expect(highlightedText(anchorOn('slate-desktop', listed)!)).toBe(compact(listed.quote.exact));
  });

  test('the lesson title and a comment can be highlighted', () => {
    const doc = loadLesson('slate-desktop');
    const title = highlight(selectBetween(doc.querySelector('h1')!, '一份数据', '存三份'));
    const comment = highlight(selectBetween(doc.body, '丢失的就是', '那部分日志'));

    expect(title.quote.exact).toBe('一份数据为什么要存三份');
    expect(comment.quote.exact).toBe('丢失的就是还没来得及发出去的那部分日志');
    expect(highlightedText(anchorOn('slate-desktop', title)!)).toBe('一份数据为什么要存三份');
    expect(highlightedText(anchorOn('slate-desktop', comment)!)).toBe('丢失的就是还没来得及发出去的那部分日志');
  });
});

describe('a highlight survives light edits of the lesson', () => {
  test('the 2nd of three identical clauses stays on the 2nd after a sentence is inserted before all of them', () => {
    const target = highlightSecondClause();

    const anchored = anchorOn('slate-desktop', target, [
      ['今天我们聊一聊复制。', '今天我们聊一聊复制。开始之前，先回顾一下上一讲留下的那道思考题。'],
    ]);

    expect(highlightedText(anchored!)).toBe(CLAUSE);
    expect(blockTextAt(anchored!)).toContain(SECOND_CLAUSE_PARAGRAPH);
  });

  test('a typo fixed inside the quote: the highlight covers the corrected words', () => {
    const doc = loadLesson('slate-desktop', [['延迟最低', '廷迟最低']]);
    const target = highlight(selectBetween(doc.body, '主节点写完本地', '廷迟最低'));

    expect(highlightedText(anchorOn('slate-desktop', target)!)).toBe('主节点写完本地就返回，延迟最低');
  });

  test('one occurrence of a repeated clause reworded: the highlight follows it, not an untouched twin', () => {
    const target = highlightSecondClause();

    const anchored = anchorOn('slate-desktop', target, [[`换句话说，${CLAUSE}`, '换句话说，副本之间的数据并非总是一致的']]);

    expect(highlightedText(anchored!)).toBe('副本之间的数据并非总是一致的');
    expect(blockTextAt(anchored!)).toContain(SECOND_CLAUSE_PARAGRAPH);
  });

  test('punctuation changed on both sides of the quote: the highlight stays on its clause', () => {
    const target = highlightSecondClause();

    const anchored = anchorOn('slate-desktop', target, [
      [`换句话说，${CLAUSE}，只是`, `换句话说：${CLAUSE}；只是`],
    ]);

    expect(highlightedText(anchored!)).toBe(CLAUSE);
    expect(blockTextAt(anchored!)).toContain(SECOND_CLAUSE_PARAGRAPH);
  });

  test('a sentence inserted right before the quote does not move the highlight', () => {
    const doc = loadLesson('slate-desktop');
    const target = highlight(selectBetween(doc.body, '读到的就可能是旧值', '读到的就可能是旧值'));

    const anchored = anchorOn('slate-desktop', target, [
      ['去读从节点，读到的', '去读从节点，哪怕只慢了几毫秒也一样。读到的'],
    ]);

    expect(highlightedText(anchored!)).toBe('读到的就可能是旧值');
  });

  test('a paragraph split in the middle of the quote: the highlight spans both new paragraphs', () => {
    const doc = loadLesson('slate-desktop');
    const target = highlight(selectBetween(doc.body, '读到的就可能是旧值', '换句话说，副本之间'));
    const newParagraph =
      '</span></span></span></div><div data-slate-type="paragraph" data-slate-object="block" data-key="90">' +
      '<span data-slate-object="text" data-key="91"><span data-slate-leaf="true" data-offset-key="91:0">' +
      '<span data-slate-string="true">';

    const anchored = anchorOn('slate-desktop', target, [['旧值。换句话说', `旧值。${newParagraph}换句话说`]]);

    expect(highlightedText(anchored!)).toBe('读到的就可能是旧值。换句话说，副本之间');
    expect(blockTextAt(anchored!)).not.toContain('换句话说');
  });
});

describe('a highlight whose passage was deleted becomes an orphan, never a wrong anchor', () => {
  const firstListLine = '同步复制：主节点等所有从节点确认后才返回，最安全也最慢。';

  test('a highlight in a deleted list line', () => {
    const doc = loadLesson('slate-desktop');
    const target = highlight(selectBetween(doc.body, '主节点等所有', '才返回'));

    expect(anchorOn('slate-desktop', target, [[firstListLine, '']])).toBeNull();
  });

  test('a short phrase in a deleted list line, though the phrase starts the next list line too', () => {
    const doc = loadLesson('slate-desktop');
    const target = highlight(selectBetween(blockWith(doc, firstListLine), '主节点', '主节点'));

    expect(anchorOn('slate-desktop', target, [[firstListLine, '']])).toBeNull();
    expect(document.body.textContent).toContain('主节点');
  });

  test('the 2nd of three repeated clauses, its paragraph deleted, though the other two remain', () => {
    const target = highlightSecondClause();
    const paragraph = blockWith(document, SECOND_CLAUSE_PARAGRAPH).outerHTML;

    expect(anchorOn('slate-desktop', target, [[paragraph, '']])).toBeNull();
    expect(document.body.textContent).toContain(CLAUSE);
  });
});

describe('a highlight survives a re-render of the same text in other markup', () => {
  const body = '[data-slate-editor]';
  const passages: Array<[where: string, scope: string, from: string, to: string]> = [
    ['bold and inline code', body, '做法是', 'replication_log'],
    ['two paragraphs', body, '第一个代价', '回放得比主节点慢'],
    ['code lines', body, 'if entry.Index', 'return ErrOutOfOrder'],
    ['a block quote', body, '而不是', '共识协议'],
    ['list lines', body, '最安全也最慢', '只等一个从节点'],
    ['the title', 'h1', '副本与复制', '存三份'],
    ['a comment', '[class*="Index_articleComments_"]', '是不是和', '差不多，丢失'],
    ['a link', body, '延伸阅读', 'Raft 论文'],
    ['a paragraph hard-wrapped in the new source', body, '磁盘坏了', '分布式存储的第一课'],
  ];

  test.each(passages)('Slate to plain <p>/<pre>/<blockquote>/<ul>: %s', (_, scope, from, to) => {
    const doc = loadLesson('slate-desktop');
    const target = highlight(selectBetween(doc.querySelector(scope)!, from, to));

    const anchored = anchorOn('plain-mobile', target);

    expect(highlightedText(anchored!)).toBe(compact(target.quote.exact));
  });

  test('plain code lines to Slate code lines with line numbers', () => {
    const doc = loadLesson('plain-mobile');
    const target = highlight(selectBetween(doc.querySelector('pre')!, 'return ErrOutOfOrder', 'entry.Index'));
    expect(target.quote.exact).toBe('return ErrOutOfOrder\n}\nn.lastApplied = entry.Index');

    expect(highlightedText(anchorOn('slate-desktop', target)!)).toBe('returnErrOutOfOrder}n.lastApplied=entry.Index');
  });

  test('the 2nd repeated clause stays the 2nd on the plain page', () => {
    const anchored = anchorOn('plain-mobile', highlightSecondClause());

    expect(highlightedText(anchored!)).toBe(CLAUSE);
    expect(blockTextAt(anchored!)).toContain(SECOND_CLAUSE_PARAGRAPH);
  });
});

describe('what the site and we add to the body is not lesson text', () => {
  test('the site’s own mark-line wrapper around part of a highlight does not move it', () => {
    const target = highlightSecondClause();
    const before = lessonIndex().text;
    // The site marks "数据并不总是" of the same clause with its own highlighter.
    const text = textNodeWith(blockWith(document, SECOND_CLAUSE_PARAGRAPH), CLAUSE);
    const marked = text.splitText(text.data.indexOf('数据并不总是'));
    marked.splitText('数据并不总是'.length);
    const mark = document.createElement('span');
    mark.dataset.annotationType = 'mark-line';
    mark.dataset.attrId = '7316';
    marked.replaceWith(mark);
    mark.append(marked);

    const index = lessonIndex();
    const anchored = anchorTarget(index, target);

    expect(index.text).toBe(before);
    expect(highlightedText(anchored!)).toBe(CLAUSE);
    expect(anchored!.startContainer).toBe(text);
  });

  test('the site’s note menu and our UI host inside the body are left out of quotes and anchoring', () => {
    const doc = loadLesson('slate-desktop');
    const before = highlight(selectBetween(doc.body, '这是复制带来的', '读到的就可能是旧值'));
    const menu = doc.createElement('div');
    menu.className = 'noteMenu_noteMenu_1xQ7k';
    menu.innerHTML = '<span>划线</span><span>笔记</span><span>复制</span>';
    const host = doc.createElement('lesson-highlighter-ui');
    host.textContent = '黄色';
    blockWith(doc, '先说结论').after(menu, host);

    const during = highlight(selectBetween(doc.body, '这是复制带来的', '读到的就可能是旧值'));
    const anchored = anchorTarget(lessonIndex(), before);

    expect(during.quote.exact).toBe('这是复制带来的第一个代价。\n如果从节点回放得比主节点慢，那么在这段时间里去读从节点，读到的就可能是旧值');
    expect(during).toEqual(before);
    expect(highlightedText(anchored!)).toBe(compact(before.quote.exact));
  });
});
