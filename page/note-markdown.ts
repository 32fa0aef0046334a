/**
 * Light Markdown for margin notes, parsed into a small AST (no DOM, no HTML): notes are shown
 * inside a third-party page, so the renderer turns nodes into elements and text nodes, never
 * markup. Links exist only for absolute http(s) URLs; other link syntax stays as typed. Parsing is
 * one left-to-right pass that never rescans much, so hostile runs of `*`, `_` or `[` stay linear.
 */

/** Inline content of a paragraph or list item. A link's `href` is `new URL(…).href`, always http(s). */
export type NoteInline =
  | { type: 'text'; text: string }
  | { type: 'strong'; children: NoteInline[] }
  | { type: 'emphasis'; children: NoteInline[] }
  | { type: 'code'; text: string }
  | { type: 'link'; href: string; children: NoteInline[] }
  | { type: 'break' };

/** A block of a note; list items are inline content only (no nesting). */
export type NoteBlock =
  | { type: 'paragraph'; children: NoteInline[] }
  | { type: 'list'; ordered: false; items: NoteInline[][] }
  | { type: 'list'; ordered: true; start: number; items: NoteInline[][] }
  | { type: 'code'; text: string };

/** Parses a note's text into blocks; never throws, whatever the input. */
export function parseNoteMarkdown(text: string): NoteBlock[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  return groupLines(lines).map(toBlock);
}

/** Lines grouped into a block, before inline parsing. */
type Draft =
  | { type: 'paragraph'; lines: string[] }
  | { type: 'list'; marker: string; start: number | null; items: string[][] }
  | { type: 'code'; text: string };

const BLANK = /^\s*$/;
// An info string may follow the opening fence, but not a backtick: "```x```" is inline code.
const FENCE_OPEN = /^ {0,3}```[^`]*$/;
const FENCE_CLOSE = /^ {0,3}```\s*$/;
// Bullet (`-`, `*`, `+`) or number with `.`/`)`, then space and some content.
const LIST_ITEM = /^ {0,3}(?:([-*+])|(\d{1,9})([.)]))[ \t]+(\S.*)$/;

function groupLines(lines: string[]): Draft[] {
  const drafts: Draft[] = [];
  // Past the last closing fence no opening fence can close, so none is searched for.
  const lastClose = lines.findLastIndex((line) => FENCE_CLOSE.test(line));
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const afterBlank = i > 0 && BLANK.test(lines[i - 1] ?? '');
    if (BLANK.test(line)) continue;
    if (i < lastClose && FENCE_OPEN.test(line)) {
      let close = i + 1;
      while (!FENCE_CLOSE.test(lines[close] ?? '```')) close++;
      drafts.push({ type: 'code', text: lines.slice(i + 1, close).join('\n') });
      i = close;
    } else if (!addListItem(drafts, line, afterBlank)) {
      addTextLine(drafts, line, afterBlank);
    }
  }
  return drafts;
}

/** Adds `line` as a list item if it is one (and may start a list here); says whether it did. */
function addListItem(drafts: Draft[], line: string, afterBlank: boolean): boolean {
  const item = LIST_ITEM.exec(line);
  if (!item) return false;
  const last = drafts.at(-1);
  const marker = item[1] ?? item[3] ?? '';
  const start = item[2] === undefined ? null : Number(item[2]);
  const content = (item[4] ?? '').trim();
  if (last?.type === 'list' && last.marker === marker) {
    last.items.push([content]);
    return true;
  }
  // As in CommonMark, "2024. …" inside a paragraph is prose; only "1." or a bullet starts a list there.
  if (last?.type === 'paragraph' && !afterBlank && start !== null && start !== 1) return false;
  drafts.push({ type: 'list', marker, start, items: [[content]] });
  return true;
}

/** Adds a line of prose: continues a list item or paragraph, or starts a paragraph. */
function addTextLine(drafts: Draft[], line: string, afterBlank: boolean): void {
  const last = drafts.at(-1);
  const text = line.trim();
  // Only an indented line continues a list item: a reader who types a list and
  // then a plain line underneath means a new paragraph.
  if (last?.type === 'list' && !afterBlank && /^\s/.test(line)) last.items.at(-1)?.push(text);
  else if (last?.type === 'paragraph' && !afterBlank) last.lines.push(text);
  else drafts.push({ type: 'paragraph', lines: [text] });
}

function toBlock(draft: Draft): NoteBlock {
  if (draft.type === 'code') return draft;
  if (draft.type === 'paragraph') return { type: 'paragraph', children: parseInlines(draft.lines.join('\n'), true) };
  const items = draft.items.map((lines) => parseInlines(lines.join('\n'), true));
  return draft.start === null ? { type: 'list', ordered: false, items } : { type: 'list', ordered: true, start: draft.start, items };
}

/** A run of `*` or `_`; once open (stack: innermost last) it holds what followed it. `count` is what is left of `length`. */
interface Frame { marker: '*' | '_'; count: number; length: number; canOpen: boolean; canClose: boolean; children: NoteInline[] }

interface InlineState {
  source: string;
  /** False inside a link label: links do not nest. */
  allowLinks: boolean;
  root: NoteInline[];
  stack: Frame[];
  /** Per kind of closer, the stack depth below which no opener matches it. */
  searched: Map<string, number>;
  /** Backtick run lengths known to have no closer further on. */
  unclosedTicks: Set<number>;
}

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;
// Sticky patterns whose alternatives never start alike, so a failed match backtracks once per character.
// A label has no brackets but escaped ones; the URL may hold one level of balanced parentheses.
const LINK = /\[((?:\\[\s\S]|[^\\[\]])+)\]\([ \t]*((?:[^\s()]|\([^\s()]*\))*)[ \t]*\)/y;
// A bare URL stops at whitespace, <>"`[], general and CJK punctuation, CJK, full-width forms and emoji.
const BARE_URL = /https?:\/\/[^\s<>"`[\]\u2000-\u206f\u2e80-\u9fff\uac00-\ud7af\ud800-\udfff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]+/iy;
const URL_TRAILING = '.,;:!?*_\'';
// CJK characters count as punctuation for emphasis, so `是**“重点”**内容` works without spaces.
const PUNCTUATION_LIKE = /[\p{P}\p{S}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

function parseInlines(source: string, allowLinks: boolean): NoteInline[] {
  const state: InlineState = { source, allowLinks, root: [], stack: [], searched: new Map(), unclosedTicks: new Set() };
  for (let i = 0; i < source.length; ) i = readInline(state, i);
  // Openers never closed are literal text, in document order.
  flattenFrom(state, 0, state.root);
  return state.root;
}

/** Reads one construct starting at `i`; returns where the next one starts. */
function readInline(state: InlineState, i: number): number {
  const ch = state.source[i] ?? '';
  const next = state.source[i + 1] ?? '';
  // A backslash makes the next ASCII punctuation literal: \*not emphasis\*.
  if (ch === '\\' && ASCII_PUNCTUATION.test(next)) return emit(state, { type: 'text', text: next }, i + 2);
  if (ch === '\n') return emit(state, { type: 'break' }, i + 1);
  if (ch === '`') return readCodeSpan(state, i);
  if (ch === '*' || ch === '_') return readDelimiterRun(state, i, ch);
  if (ch === '[' && state.allowLinks) return readLink(state, i);
  if ((ch === 'h' || ch === 'H') && state.allowLinks) return readBareUrl(state, i);
  return emit(state, { type: 'text', text: ch }, i + 1);
}

/** Where content goes inside the first `depth` frames (by default all): the innermost's children, or the top level. */
function innermost(state: InlineState, depth = state.stack.length): NoteInline[] {
  return state.stack[depth - 1]?.children ?? state.root;
}

/** Appends a node where content goes now; returns `next`, where reading resumes. */
function emit(state: InlineState, node: NoteInline, next: number): number {
  append(innermost(state), node);
  return next;
}

/** Appends a node, merging adjacent text so the AST stays small. */
function append(children: NoteInline[], node: NoteInline): void {
  const last = children.at(-1);
  if (node.type === 'text' && last?.type === 'text') children[children.length - 1] = { type: 'text', text: last.text + node.text };
  else if (node.type !== 'text' || node.text !== '') children.push(node);
}

/** `code`: literal text between equal runs of backticks; an unmatched run is text. */
function readCodeSpan(state: InlineState, i: number): number {
  const { source } = state;
  let end = i;
  while (source[end] === '`') end++;
  const length = end - i;
  // The closer is exactly `length` backticks, not part of a longer run.
  const closer = new RegExp(`(?<!\`)\`{${length}}(?!\`)`, 'g');
  closer.lastIndex = end;
  const close = state.unclosedTicks.has(length) ? -1 : (closer.exec(source)?.index ?? -1);
  if (close < 0) {
    state.unclosedTicks.add(length);
    return emit(state, { type: 'text', text: source.slice(i, end) }, end);
  }
  let text = source.slice(end, close).replace(/\n/g, ' ');
  // One space on each side lets a span start or end with a backtick: `` `x` ``.
  if (text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '') text = text.slice(1, -1);
  return emit(state, { type: 'code', text }, close + length);
}

/** A run of `*` or `_`: closes open emphasis first, then opens with what is left. */
function readDelimiterRun(state: InlineState, i: number, marker: Frame['marker']): number {
  const { source } = state;
  let end = i;
  while (source[end] === marker) end++;
  // Whole code points either side (slicing two units keeps surrogate pairs, e.g. emoji, intact).
  const before = kindOf(Array.from(source.slice(Math.max(0, i - 2), i)).at(-1));
  const after = kindOf(Array.from(source.slice(end, end + 2))[0]);
  // CommonMark's flanking rules; `_` also refuses to open or close inside a word (snake_case).
  const leftFlanking = after !== 'space' && (after !== 'punctuation' || before !== 'other');
  const rightFlanking = before !== 'space' && (before !== 'punctuation' || after !== 'other');
  const canOpen = leftFlanking && (marker === '*' || !rightFlanking || before === 'punctuation');
  const canClose = rightFlanking && (marker === '*' || !leftFlanking || after === 'punctuation');
  const run: Frame = { marker, count: end - i, length: end - i, canOpen, canClose, children: [] };
  if (canClose) closeEmphasis(state, run);
  if (run.count > 0 && canOpen) state.stack.push(run);
  else if (run.count > 0) append(innermost(state), { type: 'text', text: marker.repeat(run.count) });
  return end;
}

/** Pairs a closing run with open frames, using up its `count`. */
function closeEmphasis(state: InlineState, closer: Frame): void {
  while (closer.count > 0) {
    const at = findOpener(state, closer);
    const opener = state.stack[at];
    if (!opener) return;
    // Openers between the pair can no longer close: they become text inside it.
    flattenFrom(state, at + 1, opener.children);
    const used = closer.count >= 2 && opener.count >= 2 ? 2 : 1;
    const node: NoteInline = { type: used === 2 ? 'strong' : 'emphasis', children: opener.children };
    opener.count -= used;
    closer.count -= used;
    // The markers used are the inner ones: `***a*` is `**` then <em>a</em>.
    opener.children = [node];
    if (opener.count === 0) flattenFrom(state, at, innermost(state, at));
  }
}

/**
 * The nearest frame `closer` may pair with, or -1. CommonMark's rule of 3 keeps `*a**b**c*` and `**重点*斜体*重点**`
 * nested; failed searches are remembered per kind of closer, so no frame is searched twice in vain.
 */
function findOpener(state: InlineState, closer: Frame): number {
  const kind = `${closer.marker}${closer.length % 3}${closer.canOpen}`;
  for (let at = state.stack.length - 1; at >= (state.searched.get(kind) ?? 0); at--) {
    const opener = state.stack[at];
    if (opener?.marker !== closer.marker) continue;
    const sum = opener.length + closer.length;
    const bothSided = opener.canClose || closer.canOpen;
    if (!bothSided || sum % 3 !== 0 || (opener.length % 3 === 0 && closer.length % 3 === 0)) return at;
  }
  state.searched.set(kind, state.stack.length);
  return -1;
}

/** Turns frames `from…top` into literal markers plus content, appended to `into`. */
function flattenFrom(state: InlineState, from: number, into: NoteInline[]): void {
  for (const frame of state.stack.splice(from)) {
    append(into, { type: 'text', text: frame.marker.repeat(frame.count) });
    for (const child of frame.children) append(into, child);
  }
  // Frames pushed from here on have not been searched yet.
  for (const [kind, depth] of state.searched) state.searched.set(kind, Math.min(depth, from));
}

/** How a neighbouring character counts for flanking; the edge of the text counts as space. */
function kindOf(ch: string | undefined): 'space' | 'punctuation' | 'other' {
  return ch === undefined || /\s/.test(ch) ? 'space' : PUNCTUATION_LIKE.test(ch) ? 'punctuation' : 'other';
}

/** `[label](url)`; a rejected URL leaves the whole construct as typed. */
function readLink(state: InlineState, i: number): number {
  LINK.lastIndex = i;
  const match = LINK.exec(state.source);
  if (!match) return emit(state, { type: 'text', text: '[' }, i + 1);
  const end = i + match[0].length;
  const href = safeHref(match[2] ?? '');
  if (href === null) return emit(state, { type: 'text', text: match[0] }, end);
  return emit(state, { type: 'link', href, children: parseInlines(match[1] ?? '', false) }, end);
}

/** A bare `http(s)://…` URL, ending before spaces, CJK text and trailing punctuation. */
function readBareUrl(state: InlineState, i: number): number {
  const { source } = state;
  BARE_URL.lastIndex = i;
  const match = /[a-z0-9]/i.test(source[i - 1] ?? '') ? null : BARE_URL.exec(source);
  if (!match) return emit(state, { type: 'text', text: source[i] ?? '' }, i + 1);
  const raw = trimUrl(match[0]);
  const href = safeHref(raw);
  // An unusable URL is skipped whole as text, so it is not rescanned from every position.
  const node: NoteInline = href === null ? { type: 'text', text: raw } : { type: 'link', href, children: [{ type: 'text', text: raw }] };
  return emit(state, node, i + raw.length);
}

/** Drops sentence punctuation after a URL, and `)` closing a parenthesis opened before it. */
function trimUrl(url: string): string {
  let unbalanced = url.split(')').length - url.split('(').length;
  for (let end = url.length; end > 0; end--) {
    const ch = url[end - 1] ?? '';
    if (ch === ')' && unbalanced > 0) unbalanced--;
    else if (!URL_TRAILING.includes(ch)) return url.slice(0, end);
  }
  return '';
}

/** The normalised URL when `raw` is an absolute http(s) URL, else null. */
function safeHref(raw: string): string | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    // Relative, protocol-relative or malformed: nothing absolute to check, so never a link.
    return null;
  }
}
