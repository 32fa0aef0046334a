/**
 * The lesson's text as anchoring sees it, with a map back to the DOM.
 *
 * Describing a selection and anchoring it later must read exactly the same
 * text, whatever the markup: Slate spans or plain `<p>`, indentation inside
 * `<pre>`, line-number gutters, our own UI. So the text is normalised:
 * - every run of whitespace becomes one space, or one "\n" when it crosses a
 *   block boundary (paragraph, list line, code line, region) or a line break
 *   inside `<pre>` (a code line, as Slate's code-line blocks are);
 * - a source line break between two CJK characters disappears, as CSS Text
 *   specifies: a hard-wrapped Chinese paragraph reads like an unwrapped one;
 * - text under skipped elements (scripts, buttons, gutters, hidden nodes,
 *   the site's own menus, our shadow host) is left out.
 * Offsets in TextPositionSelectors count characters of this normalised text.
 */

/** Elements whose text is not lesson text, by tag. */
const SKIPPED_TAGS = new Set([
  'SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'BUTTON', 'INPUT', 'TEXTAREA', 'SELECT',
  'AUDIO', 'VIDEO', 'IFRAME', 'SVG', 'CANVAS', 'LESSON-HIGHLIGHTER-UI',
]);
/**
 * …and by class (lower-cased): code line-number gutters, the site's own
 * selection menu, and the audio player, whose ticking clock is not lesson
 * text (and would re-anchor every second).
 */
const SKIPPED_CLASS_PARTS = ['linenumber', 'line-number', 'notemenu_', 'audioplayer', 'audio-player'];

/**
 * Whether an element's text is left out. Checked on every element of a
 * 100k-character lesson, so it avoids selector matching.
 */
function isSkipped(element: Element): boolean {
  if (SKIPPED_TAGS.has(element.tagName.toUpperCase())) return true;
  if (element.hasAttribute('hidden') || element.getAttribute('aria-hidden') === 'true') return true;
  const style = element.getAttribute('style');
  if (style && /display:\s*none/.test(style)) return true;
  const className = element.getAttribute('class');
  if (!className) return false;
  const lower = className.toLowerCase();
  return SKIPPED_CLASS_PARTS.some((part) => lower.includes(part));
}

/** Elements that start a new line of text. */
const BLOCK_TAGS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'BR', 'DD', 'DIV', 'DL', 'DT', 'FIELDSET',
  'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER',
  'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE', 'SECTION', 'TABLE', 'TD', 'TH', 'TR', 'UL',
]);

/** Invisible characters (Slate's zero-width spacers among them): not text, not whitespace. */
function isZeroWidth(code: number): boolean {
  return (code >= 0x200b && code <= 0x200d) || code === 0x2060 || code === 0xfeff;
}

/** JavaScript's `\s`, without a regular expression per character. */
function isWhitespace(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  return (
    code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000
  );
}
/** East Asian wide characters: CJK ideographs, kana, CJK and full-width punctuation. */
const WIDE = /[\u2E80-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF]/;

/** Normalised text of some root elements and the DOM position of each character. */
export interface TextIndex {
  readonly text: string;
  /** Text nodes in document order. */
  readonly nodes: readonly Text[];
  /** For each character: index into `nodes`, or -1 for a block separator. */
  readonly charNode: Int32Array;
  /** For each character: offset of its source character in its text node. */
  readonly charOffset: Int32Array;
  /** For each text node: the index of its first character in `text`. */
  readonly nodeStart: Int32Array;
  /** For each text node: 1 when skipped content (e.g. a line number) lies between it and the previous one. */
  readonly nodeAfterSkip: Uint8Array;
}

/** Builds the index of `roots`, read in order, each starting a new block. */
export function buildTextIndex(roots: readonly Element[]): TextIndex {
  const builder = new IndexBuilder();
  for (const root of roots) {
    builder.breakLine();
    builder.walk(root);
  }
  return builder.finish();
}

class IndexBuilder {
  private chars: string[] = [];
  private charNode: number[] = [];
  private charOffset: number[] = [];
  private nodes: Text[] = [];
  private nodeStart: number[] = [];
  private nodeAfterSkip: number[] = [];
  private skippedSinceText = false;
  /** Depth of `<pre>` elements around the walk: their line breaks are code lines. */
  private preDepth = 0;
  /** Whitespace seen but not yet emitted: ' ' or '\n' (a block boundary). */
  private pendingSpace: '' | ' ' | '\n' = '';
  private pendingAt: [node: number, offset: number] = [-1, 0];
  /** Whether the pending whitespace holds a source line break. */
  private pendingLineBreak = false;

  walk(element: Element): void {
    for (let child = element.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) this.addText(child as Text);
      else if (child.nodeType === 1) this.addElement(child as Element);
    }
  }

  breakLine(): void {
    this.pendingSpace = '\n';
    this.pendingAt = [-1, 0];
    this.pendingLineBreak = false;
  }

  private addElement(element: Element): void {
    if (isSkipped(element)) {
      this.skippedSinceText = true;
      return;
    }
    const tag = element.tagName.toUpperCase();
    const block = BLOCK_TAGS.has(tag);
    const pre = tag === 'PRE';
    if (block) this.breakLine();
    if (pre) this.preDepth++;
    this.walk(element);
    if (pre) this.preDepth--;
    if (block) this.breakLine();
  }

  private addText(node: Text): void {
    const data = node.data;
    if (data.length === 0) return;
    const nodeIndex = this.nodes.push(node) - 1;
    this.nodeStart.push(this.chars.length);
    this.nodeAfterSkip.push(this.skippedSinceText ? 1 : 0);
    this.skippedSinceText = false;
    const preformatted = this.preDepth > 0;
    for (let offset = 0; offset < data.length; offset++) {
      const code = data.charCodeAt(offset);
      if (isWhitespace(code)) {
        this.addSpace(code === 10 || code === 13, preformatted, nodeIndex, offset);
        continue;
      }
      if (isZeroWidth(code)) continue;
      if (this.pendingSpace) this.flushSpace(data[offset]!);
      this.push(data[offset]!, nodeIndex, offset);
    }
  }

  private addSpace(lineBreak: boolean, preformatted: boolean, node: number, offset: number): void {
    if (lineBreak && preformatted && this.pendingSpace !== '\n') {
      // `<pre><code>` separates code lines with "\n" where Slate uses blocks:
      // both must read the same.
      this.pendingSpace = '\n';
      this.pendingAt = [node, offset];
    } else if (!this.pendingSpace) {
      this.pendingSpace = ' ';
      this.pendingAt = [node, offset];
    }
    if (lineBreak) this.pendingLineBreak = true;
  }

  private flushSpace(next: string): void {
    const previous = this.chars[this.chars.length - 1];
    // Leading whitespace of the whole text carries no meaning: drop it.
    // So does a wrapped source line between CJK characters (CSS Text 3,
    // segment break transformation): browsers may render it as nothing.
    const dropped =
      previous === undefined ||
      (this.pendingSpace === ' ' && this.pendingLineBreak && WIDE.test(previous) && WIDE.test(next));
    if (this.pendingSpace && !dropped) this.push(this.pendingSpace, ...this.pendingAt);
    this.pendingSpace = '';
    this.pendingLineBreak = false;
  }

  private push(char: string, node: number, offset: number): void {
    this.chars.push(char);
    this.charNode.push(node);
    this.charOffset.push(offset);
  }

  finish(): TextIndex {
    return {
      text: this.chars.join(''),
      nodes: this.nodes,
      charNode: Int32Array.from(this.charNode),
      charOffset: Int32Array.from(this.charOffset),
      nodeStart: Int32Array.from(this.nodeStart),
      nodeAfterSkip: Uint8Array.from(this.nodeAfterSkip),
    };
  }
}

/**
 * Turns `[start, end)` of the index's text into a DOM Range, or null when the
 * span holds no lesson character (e.g. only a separator).
 */
export function rangeFromOffsets(index: TextIndex, start: number, end: number): Range | null {
  let first = start;
  while (first < end && index.charNode[first]! < 0) first++;
  let last = end - 1;
  while (last >= first && index.charNode[last]! < 0) last--;
  if (first > last) return null;
  const startNode = index.nodes[index.charNode[first]!]!;
  const endNode = index.nodes[index.charNode[last]!]!;
  const range = startNode.ownerDocument.createRange();
  range.setStart(startNode, index.charOffset[first]!);
  range.setEnd(endNode, index.charOffset[last]! + 1);
  return range;
}

/**
 * Like {@link rangeFromOffsets}, but split into several ranges wherever
 * skipped content lies inside the span, so that painting a highlight across
 * code lines does not paint their line numbers too.
 */
export function rangesFromOffsets(index: TextIndex, start: number, end: number): Range[] {
  const whole = rangeFromOffsets(index, start, end);
  if (!whole) return [];
  const ranges: Range[] = [];
  let current = whole.cloneRange();
  const firstNode = index.nodes.indexOf(whole.startContainer as Text);
  const lastNode = index.nodes.indexOf(whole.endContainer as Text);
  for (let node = firstNode + 1; node <= lastNode; node++) {
    if (!index.nodeAfterSkip[node]) continue;
    const previous = index.nodes[node - 1]!;
    current.setEnd(previous, previous.data.length);
    ranges.push(current);
    current = whole.cloneRange();
    current.setStart(index.nodes[node]!, 0);
  }
  ranges.push(current);
  return ranges.filter((range) => range.toString().trim() !== '');
}

/** The `[start, end)` of the index's text covered by a DOM range. */
export function offsetsFromRange(index: TextIndex, range: Range): { start: number; end: number } {
  return {
    start: offsetOfPoint(index, range.startContainer, range.startOffset),
    end: offsetOfPoint(index, range.endContainer, range.endOffset),
  };
}

/** The index of the first character at or after a DOM boundary point. */
export function offsetOfPoint(index: TextIndex, container: Node, offset: number): number {
  const nodeIndex = container.nodeType === 3 ? index.nodes.indexOf(container as Text) : -1;
  if (nodeIndex >= 0) return offsetInNode(index, nodeIndex, offset);
  // The point lies between nodes: find the first indexed text node after it.
  const point = container.ownerDocument!.createRange();
  point.setStart(container, Math.min(offset, maxOffset(container)));
  let low = 0;
  let high = index.nodes.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (point.comparePoint(index.nodes[middle]!, 0) < 0) low = middle + 1;
    else high = middle;
  }
  return low < index.nodes.length ? index.nodeStart[low]! : index.text.length;
}

function offsetInNode(index: TextIndex, nodeIndex: number, offset: number): number {
  let position = index.nodeStart[nodeIndex]!;
  const limit = nodeIndex + 1 < index.nodes.length ? index.nodeStart[nodeIndex + 1]! : index.text.length;
  while (
    position < limit &&
    (index.charNode[position] !== nodeIndex || index.charOffset[position]! < offset)
  ) {
    position++;
  }
  return position;
}

function maxOffset(node: Node): number {
  return node.nodeType === 3 ? (node as Text).data.length : node.childNodes.length;
}
