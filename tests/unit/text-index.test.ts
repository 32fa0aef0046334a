import { describe, expect, test } from 'vitest';
import { findLessonParts, textRoots } from '../../page/lesson-dom';
import {
  buildTextIndex,
  offsetOfPoint,
  offsetsFromRange,
  rangeFromOffsets,
  rangesFromOffsets,
  type TextIndex,
} from '../../page/text-index';
import {
  blockWith,
  compact,
  highlightedText,
  loadLesson,
  selectBetween,
  textNodeWith,
  type LessonFixture,
} from '../fixtures/anchoring/lesson-fixtures';

function lessonIndex(name: LessonFixture): { doc: Document; index: TextIndex } {
  const doc = loadLesson(name);
  const parts = findLessonParts(doc);
  if (!parts) throw new Error(`${name} has no lesson`);
  return { doc, index: buildTextIndex(textRoots(parts)) };
}

/** The index of a small page whose body is `html`. */
function indexOfHtml(html: string): { doc: Document; index: TextIndex } {
  document.body.innerHTML = html;
  return { doc: document, index: buildTextIndex([document.body]) };
}

describe('buildTextIndex reads a lesson as the reader sees it', () => {
  test('reads each Slate block on its own line and inline bold/code without added spaces', () => {
    const lines = lessonIndex('slate-desktop').index.text.split('\n');

    expect(lines[0]).toBe('07 | 副本与复制：一份数据为什么要存三份');
    expect(lines).toContain(
      '最常见的做法是主从复制：所有写请求先交给主节点，主节点把每次变更追加到replication_log里，再由从节点按顺序回放。',
    );
    expect(lines).toContain('复制解决的是“数据还在不在”，而不是“数据对不对”。');
    expect(lines).toContain('异步复制：主节点写完本地就返回，延迟最低，但可能丢数据。');
    expect(lines).toContain('延伸阅读：Raft 论文');
    expect(lines.at(-1)).toBe('半同步复制在从节点全部超时的时候，会不会退化成异步复制？');
  });

  test('ignores Slate zero-width spacers between inlines, so Slate and plain markup read alike', () => {
    const slate = indexOfHtml(
      '<div data-slate-type="paragraph"><span data-slate-zero-width="z">\uFEFF</span>租约' +
        '<span data-slate-type="code">lease</span><span data-slate-zero-width="z">\uFEFF</span>续期</div>',
    ).index.text;
    const plain = indexOfHtml('<p>租约<code>lease</code>续期</p>').index.text;

    expect(slate).toBe('租约lease续期');
    expect(plain).toBe(slate);
  });

  test('leaves the audio player\'s ticking clock out of the text', () => {
    const { text } = indexOfHtml(
      '<div class="Index_articleContent_x"><div class="MiniAudioPlayer_audioPlayer_2Xy"><span>00:42</span></div><p>正文</p></div>',
    ).index;

    expect(text).toBe('正文');
  });

  test('reads a code block one line per code line, without line numbers or the copy button', () => {
    const { text } = lessonIndex('slate-desktop').index;

    expect(text).toContain(
      '回放的核心逻辑大致如下：\nfunc (n *Node) Apply(entry LogEntry) error {\nif entry.Index != n.lastApplied+1 {\n' +
        'return ErrOutOfOrder\n}\nn.lastApplied = entry.Index\nreturn n.store.Put(entry.Key, entry.Value)\n}\n注意第 2 行',
    );
    expect(text).not.toContain('复制代码');
  });

  test('leaves out the audio player, the copyright line and the comments’ like counts', () => {
    const { text } = lessonIndex('slate-desktop').index;

    expect(text).not.toContain('讲述');
    expect(text).not.toContain('版权');
    expect(text).toContain('那部分日志。\nMomo\n');
    expect(text).not.toMatch(/\n(12|8)(\n|$)/);
  });

  test('the Slate page and the plain re-indented page of the same lesson read as the same text', () => {
    expect(lessonIndex('plain-mobile').index.text).toBe(lessonIndex('slate-desktop').index.text);
  });

  test('leaves out scripts, hidden nodes, the site’s note menu and our own UI host', () => {
    const { doc, index } = indexOfHtml(
      '<p>一致性<script>track("x")</script>模型<span hidden>隐藏</span><span aria-hidden="true">装饰</span>' +
        '<span style="display: none">折叠</span>决定了</p>' +
        '<div class="noteMenu_noteMenu_3xk1F"><span>划线</span><span>笔记</span><span>复制</span></div>' +
        '<lesson-highlighter-ui>我们的按钮</lesson-highlighter-ui><p>读到什么。</p>',
    );
    doc.querySelector('lesson-highlighter-ui')!.attachShadow({ mode: 'open' }).append('工具栏');

    expect(index.text).toBe('一致性模型决定了\n读到什么。');
  });

  test('collapses runs of whitespace and drops them at block edges', () => {
    const { index } = indexOfHtml('\n  <p>\n    Raft   把 \t 共识拆成\n  </p>\n\n  <p>  三个子问题 </p>\n');

    expect(index.text).toBe('Raft 把 共识拆成\n三个子问题');
  });

  test('a source line break between Chinese characters disappears; between English words it is a space', () => {
    const { index } = indexOfHtml('<p>数据也就没了。\n      分布式存储的第一课</p><p>eventual\n      consistency</p>');

    expect(index.text).toBe('数据也就没了。分布式存储的第一课\neventual consistency');
  });

  test('code in <pre> keeps one line per source line, without its indentation', () => {
    const { index } = indexOfHtml('<pre><code>if ok {   \n    return nil\n\n}\n</code></pre><p>之后</p>');

    expect(index.text).toBe('if ok {\nreturn nil\n}\n之后');
  });

  test('each root starts on a new line', () => {
    document.body.innerHTML = '<h1>标题</h1><div>正文</div><ul><li>留言</li></ul>';
    const roots = [...document.body.children];

    expect(buildTextIndex(roots).text).toBe('标题\n正文\n留言');
  });
});

describe('rangesFromOffsets gives the ranges to paint', () => {
  test('splits a span across code lines around the line numbers, so they are not painted', () => {
    const { index } = indexOfHtml(
      '<div data-slate-type="pre">' +
        '<div data-slate-type="code-line"><span class="CodeBlock_lineNumber_3hH0Q">1</span>lease := grant(10)</div>' +
        '<div data-slate-type="code-line"><span class="CodeBlock_lineNumber_3hH0Q">2</span>keepAlive(lease)</div>' +
        '</div>',
    );
    const start = index.text.indexOf('grant');
    const end = index.text.indexOf('keepAlive') + 'keepAlive'.length;

    const ranges = rangesFromOffsets(index, start, end);

    expect(ranges.map((range) => range.toString())).toEqual(['grant(10)', 'keepAlive']);
  });

  test('keeps one range for a span without skipped content', () => {
    const { index } = indexOfHtml('<p>租约<strong>到期</strong>之前续期</p>');

    expect(rangesFromOffsets(index, 0, index.text.length).map((range) => range.toString())).toEqual(['租约到期之前续期']);
  });
});

describe('the index maps text offsets and DOM ranges both ways', () => {
  test('a range made from offsets covers exactly those characters, across marks, blocks and code lines', () => {
    const { index } = lessonIndex('slate-desktop');
    const passages = [
      '主从复制：所有写请求先交给主节点，主节点把每次变更追加到replication_log',
      '第一个代价。\n如果从节点',
      'return ErrOutOfOrder\n}\nn.lastApplied',
      '延伸阅读：Raft 论文\n最后',
    ];

    for (const passage of passages) {
      const start = index.text.indexOf(passage);
      expect(start, passage).toBeGreaterThan(0);
      const range = rangeFromOffsets(index, start, start + passage.length);
      expect(range && highlightedText(range), passage).toBe(compact(passage));
    }
  });

  test('a span holding only a line break has no range', () => {
    const { index } = lessonIndex('slate-desktop');
    const lineBreak = index.text.indexOf('\n');

    expect(rangeFromOffsets(index, lineBreak, lineBreak + 1)).toBeNull();
  });

  test('a selection dragged across bold and inline code maps to the passage it shows', () => {
    const { doc, index } = lessonIndex('slate-desktop');
    const range = selectBetween(blockWith(doc, '最常见的做法是'), '主从复制', 'replication');
    const { start, end } = offsetsFromRange(index, range);

    expect(index.text.slice(start, end)).toBe('主从复制：所有写请求先交给主节点，主节点把每次变更追加到replication');
  });

  // A point before a block's text maps to the line break in front of it (or
  // its first character); describeRange trims that break off either way.
  test('a selection started on a line number begins at the code beside it', () => {
    const { doc, index } = lessonIndex('slate-desktop');
    const gutter = doc.querySelectorAll('[class*="linenumber" i]')[2]!;
    const code = textNodeWith(doc, 'return ErrOutOfOrder');
    const range = doc.createRange();
    range.setStart(gutter.firstChild!, 0);
    range.setEnd(code, code.data.length);
    const { start, end } = offsetsFromRange(index, range);

    expect(index.text.slice(start, end).trimStart()).toBe('return ErrOutOfOrder');
  });

  test('points between elements map to the next character of lesson text', () => {
    const { doc, index } = lessonIndex('slate-desktop');
    const paragraph = blockWith(doc, '先说结论');
    const next = paragraph.nextElementSibling!;
    const endOfParagraph = offsetOfPoint(index, paragraph, paragraph.childNodes.length);

    expect(index.text.slice(offsetOfPoint(index, paragraph, 0)).trimStart()).toMatch(/^先说结论/);
    expect(index.text.slice(offsetOfPoint(index, next, 0)).trimStart()).toMatch(/^如果从节点/);
    expect(index.text.slice(0, endOfParagraph)).toMatch(/第一个代价。$/);
    expect(offsetOfPoint(index, doc.body, doc.body.childNodes.length)).toBe(index.text.length);
  });
});
