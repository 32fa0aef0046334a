import { h, render } from 'preact';
import { afterEach, describe, expect, test } from 'vitest';
import { NoteMarkdown, noteSummary } from '../../components/NoteMarkdown';
import { parseNoteMarkdown, type NoteInline } from '../../page/note-markdown';

/** The inlines of a note that is a single paragraph. */
function inlines(text: string): NoteInline[] {
  const blocks = parseNoteMarkdown(text);
  expect(blocks).toHaveLength(1);
  const [block] = blocks;
  if (block?.type !== 'paragraph') throw new Error(`expected a paragraph, got ${block?.type}`);
  return block.children;
}

const t = (text: string): NoteInline => ({ type: 'text', text });

describe('parseNoteMarkdown: blocks', () => {
  test('blank lines separate paragraphs; a single newline is a line break', () => {
    expect(parseNoteMarkdown('first line\nsecond line\n\nnext paragraph')).toEqual([
      { type: 'paragraph', children: [t('first line'), { type: 'break' }, t('second line')] },
      { type: 'paragraph', children: [t('next paragraph')] },
    ]);
  });

  test('-, * and + start bullet items; a paragraph line right before a list stays a paragraph', () => {
    expect(parseNoteMarkdown('要点：\n- 第一\n- 第二')).toEqual([
      { type: 'paragraph', children: [t('要点：')] },
      { type: 'list', ordered: false, items: [[t('第一')], [t('第二')]] },
    ]);
    expect(parseNoteMarkdown('* a\n* b')).toEqual([{ type: 'list', ordered: false, items: [[t('a')], [t('b')]] }]);
    expect(parseNoteMarkdown('+ a')).toEqual([{ type: 'list', ordered: false, items: [[t('a')]] }]);
  });

  test('numbered items make an ordered list that keeps its first number', () => {
    expect(parseNoteMarkdown('3. three\n4. four')).toEqual([{ type: 'list', ordered: true, start: 3, items: [[t('three')], [t('four')]] }]);
    expect(parseNoteMarkdown('1) one')).toEqual([{ type: 'list', ordered: true, start: 1, items: [[t('one')]] }]);
  });

  test('a blank line between items keeps one list; an indented line continues an item; a plain line ends the list', () => {
    expect(parseNoteMarkdown('1. a\n\n2. b\n   more\nafter')).toEqual([
      { type: 'list', ordered: true, start: 1, items: [[t('a')], [t('b'), { type: 'break' }, t('more')]] },
      { type: 'paragraph', children: [t('after')] },
    ]);
  });

  test('a number other than 1 inside a paragraph is prose, not a list', () => {
    expect(parseNoteMarkdown('It happened in\n2024. A good year')).toHaveLength(1);
  });

  test('markers without a following space are not list items', () => {
    expect(parseNoteMarkdown('-not a list\n3.14 is pi')).toEqual([
      { type: 'paragraph', children: [t('-not a list'), { type: 'break' }, t('3.14 is pi')] },
    ]);
  });

  test('fenced code keeps its text literally, with Markdown and HTML untouched', () => {
    expect(parseNoteMarkdown('```ts\nconst a = **b**;\n<b>x</b>\n```\nafter')).toEqual([
      { type: 'code', text: 'const a = **b**;\n<b>x</b>' },
      { type: 'paragraph', children: [t('after')] },
    ]);
  });

  test('an unclosed fence is literal text', () => {
    expect(parseNoteMarkdown('```\ncode')).toEqual([{ type: 'paragraph', children: [t('```'), { type: 'break' }, t('code')] }]);
  });

  test('Windows line endings are ordinary line breaks', () => {
    expect(inlines('a\r\nb')).toEqual([t('a'), { type: 'break' }, t('b')]);
  });
});

describe('parseNoteMarkdown: inlines', () => {
  test('** and __ make strong text; * and _ make emphasis', () => {
    expect(inlines('a **b** c __d__')).toEqual([t('a '), { type: 'strong', children: [t('b')] }, t(' c '), { type: 'strong', children: [t('d')] }]);
    expect(inlines('*a* _b_')).toEqual([{ type: 'emphasis', children: [t('a')] }, t(' '), { type: 'emphasis', children: [t('b')] }]);
  });

  test('*** makes emphasis around strong text', () => {
    expect(inlines('***both***')).toEqual([{ type: 'emphasis', children: [{ type: 'strong', children: [t('both')] }] }]);
  });

  test('Chinese text without spaces gets strong and emphasis in the middle of a sentence', () => {
    expect(inlines('这是**重点**内容')).toEqual([t('这是'), { type: 'strong', children: [t('重点')] }, t('内容')]);
    expect(inlines('这是*强调*内容')).toEqual([t('这是'), { type: 'emphasis', children: [t('强调')] }, t('内容')]);
    expect(inlines('这是**“重点”**内容')).toEqual([t('这是'), { type: 'strong', children: [t('“重点”')] }, t('内容')]);
  });

  test('emphasis nests inside strong text and the other way round, also between Chinese characters', () => {
    expect(inlines('**重点*斜体*重点**')).toEqual([
      { type: 'strong', children: [t('重点'), { type: 'emphasis', children: [t('斜体')] }, t('重点')] },
    ]);
    expect(inlines('*foo**bar**baz*')).toEqual([
      { type: 'emphasis', children: [t('foo'), { type: 'strong', children: [t('bar')] }, t('baz')] },
    ]);
  });

  test('underscores inside words stay text (snake_case_name)', () => {
    expect(inlines('call snake_case_name and __init__ here')).toEqual([
      t('call snake_case_name and '),
      { type: 'strong', children: [t('init')] },
      t(' here'),
    ]);
  });

  test('inline code is literal: no emphasis, links or HTML inside it', () => {
    expect(inlines('use `**x** [a](https://a.example) <b>` now')).toEqual([
      t('use '),
      { type: 'code', text: '**x** [a](https://a.example) <b>' },
      t(' now'),
    ]);
    expect(inlines('``a ` b``')).toEqual([{ type: 'code', text: 'a ` b' }]);
  });

  test('unclosed markers are literal text', () => {
    expect(inlines('**not closed')).toEqual([t('**not closed')]);
    // As in CommonMark: the closer pairs with the nearest opener, the outer one stays text.
    expect(inlines('*a **b* c')).toEqual([t('*a *'), { type: 'emphasis', children: [t('b')] }, t(' c')]);
    expect(inlines('`open code and [label](')).toEqual([t('`open code and [label](')]);
    expect(inlines('2 * 3 * 4')).toEqual([t('2 * 3 * 4')]);
  });

  test('a backslash makes a marker literal', () => {
    expect(inlines('\\*not emphasis\\*')).toEqual([t('*not emphasis*')]);
  });

  test('[label](url) links to the normalised http(s) URL, with inline formatting in the label', () => {
    expect(inlines('see [the *docs*](HTTPS://Example.com/a?b=1) now')).toEqual([
      t('see '),
      { type: 'link', href: 'https://example.com/a?b=1', children: [t('the '), { type: 'emphasis', children: [t('docs')] }] },
      t(' now'),
    ]);
    expect(inlines('[wiki](https://en.wikipedia.org/wiki/Foo_(bar))')).toEqual([
      { type: 'link', href: 'https://en.wikipedia.org/wiki/Foo_(bar)', children: [t('wiki')] },
    ]);
  });

  test('links with other protocols, or relative ones, stay as the text that was typed', () => {
    for (const source of ['[x](javascript:alert(1))', '[x](data:text/html,hi)', '[x](//evil.example)', '[x](/relative)', '[x](ftp://a.example)']) {
      expect(inlines(source)).toEqual([t(source)]);
    }
  });

  test('bare http(s) URLs become links; trailing sentence punctuation is left out', () => {
    expect(inlines('Read https://example.com/a_b, then (see http://x.example/p).')).toEqual([
      t('Read '),
      { type: 'link', href: 'https://example.com/a_b', children: [t('https://example.com/a_b')] },
      t(', then (see '),
      { type: 'link', href: 'http://x.example/p', children: [t('http://x.example/p')] },
      t(').'),
    ]);
  });

  test('a bare URL ends at Chinese text and full-width punctuation', () => {
    const link = (url: string): NoteInline => ({ type: 'link', href: url, children: [t(url)] });
    expect(inlines('参考https://example.com/a，然后看https://example.com/b。还有https://example.com/c中文')).toEqual([
      t('参考'),
      link('https://example.com/a'),
      t('，然后看'),
      link('https://example.com/b'),
      t('。还有'),
      link('https://example.com/c'),
      t('中文'),
    ]);
    expect(inlines('（https://example.com/d）')).toEqual([t('（'), link('https://example.com/d'), t('）')]);
  });

  test('strong and emphasis can hold code and links', () => {
    expect(inlines('**see `x` and [doc](https://d.example/)**')).toEqual([
      {
        type: 'strong',
        children: [t('see '), { type: 'code', text: 'x' }, t(' and '), { type: 'link', href: 'https://d.example/', children: [t('doc')] }],
      },
    ]);
    expect(inlines('*https://e.example*')).toEqual([
      { type: 'emphasis', children: [{ type: 'link', href: 'https://e.example/', children: [t('https://e.example')] }] },
    ]);
  });

  test('adversarial runs of *, _, [ and ` parse quickly into text', () => {
    const started = performance.now();
    for (const ch of ['*', '_', '[', '`']) expect(inlines(ch.repeat(10_000))).toEqual([t(ch.repeat(10_000))]);
    const mixed = Array.from({ length: 10_000 }, (_, i) => '*_[`(a ]'[(i * 7 + (i >> 3)) % 8]).join('');
    parseNoteMarkdown(mixed);
    parseNoteMarkdown('[a](' .repeat(2_500));
    parseNoteMarkdown('*a _b '.repeat(1_700));
    parseNoteMarkdown('中**文*'.repeat(2_000));
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('NoteMarkdown renders elements, never HTML', () => {
  const containers: HTMLElement[] = [];
  afterEach(() => {
    for (const container of containers.splice(0)) {
      render(null, container);
      container.remove();
    }
  });

  function show(text: string): HTMLElement {
    const container = document.createElement('div');
    containers.push(container);
    document.body.append(container);
    render(h(NoteMarkdown, { text }), container);
    return container;
  }

  test('paragraphs, lists, emphasis, code and breaks become the matching elements', () => {
    const root = show('**重点** and *em* `code`\nline two\n\n3. c\n4. d\n\n- x\n\n```\n<pre>\n```');
    expect(root.querySelector('p strong')?.textContent).toBe('重点');
    expect(root.querySelector('p em')?.textContent).toBe('em');
    expect(root.querySelector('p > code')?.textContent).toBe('code');
    expect(root.querySelectorAll('p br')).toHaveLength(1);
    expect(root.querySelector('ol')?.getAttribute('start')).toBe('3');
    expect([...root.querySelectorAll('ol li')].map((li) => li.textContent)).toEqual(['c', 'd']);
    expect(root.querySelector('ul li')?.textContent).toBe('x');
    expect(root.querySelector('pre > code')?.textContent).toBe('<pre>');
  });

  test('<script> is shown as literal text and no script element exists', () => {
    const root = show('<script>alert(1)</script>');
    expect(root.querySelector('script')).toBeNull();
    expect(root.textContent).toBe('<script>alert(1)</script>');
  });

  test('an <img onerror> is text: no img element and no on* attribute anywhere', () => {
    const root = show('<img src=x onerror=alert(1)> and **<b onclick=alert(1)>**');
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('b')).toBeNull();
    const handlers = [...root.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => a.name)).filter((name) => name.startsWith('on'));
    expect(handlers).toEqual([]);
    expect(root.textContent).toContain('<img src=x onerror=alert(1)>');
  });

  test.each([
    '[x](javascript:alert(1))',
    '[x](JAVASCRIPT:alert(1))',
    '[x]( javascript:alert(1))',
    '[x](java\tscript:alert(1))',
    '[x](data:text/html,<script>alert(1)</script>)',
    '[x](vbscript:msgbox(1))',
    '[x](//evil.example)',
    'javascript:alert(1) and data:text/html,x',
  ])('%s renders as text with no link', (text) => {
    const root = show(text);
    expect(root.querySelector('a')).toBeNull();
    expect(root.textContent).toBe(text);
  });

  test('a safe link opens in a new tab with no opener and no referrer', () => {
    const root = show('[ok](https://example.com/a?b=1)');
    const links = root.querySelectorAll('a');
    expect(links).toHaveLength(1);
    expect(links[0]?.getAttribute('href')).toBe('https://example.com/a?b=1');
    expect(links[0]?.getAttribute('rel')).toBe('noopener noreferrer');
    expect(links[0]?.getAttribute('target')).toBe('_blank');
    expect(links[0]?.textContent).toBe('ok');
  });

  test('notes of 10,000 and 10,001 characters render whole', () => {
    for (const length of [10_000, 10_001]) {
      const text = '这是**重点**，见 https://example.com/x 和 `code` *_[`('.repeat(400).padEnd(length, '字').slice(0, length);
      const root = show(text);
      expect(root.querySelector('.note-markdown')).not.toBeNull();
      expect(root.textContent?.length).toBeGreaterThan(length / 2);
    }
  });

  test('an adversarial 10,000-character run of *_[`( renders promptly', () => {
    const text = '*_[`('.repeat(2_000);
    const started = performance.now();
    const root = show(text);
    expect(performance.now() - started).toBeLessThan(1_000);
    // Backtick pairs become code; everything else stays text, and nothing becomes a link.
    expect(root.querySelectorAll('code').length).toBeGreaterThan(0);
    expect(root.querySelector('a')).toBeNull();
  });
});

describe('noteSummary', () => {
  test('flattens a note to one line of plain text and cuts it with an ellipsis', () => {
    expect(noteSummary('**重点**：见 [文档](https://d.example)\n- a\n- b', 100)).toBe('重点：见 文档 a b');
    expect(noteSummary('abcdefghij', 5)).toBe('abcd…');
    expect(noteSummary('😀😀😀', 2)).toBe('😀…');
  });
});
