import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import { parseNoteMarkdown, type NoteBlock, type NoteInline } from '../page/note-markdown';

export interface NoteMarkdownProps {
  /** The note as the reader typed it. */
  text: string;
  /**
   * How a run of plain text is shown (default: as it is). The popup and
   * library mark search matches with it; whatever it returns is still text.
   */
  renderText?: (text: string) => ComponentChildren;
}

type TextRenderer = (text: string) => ComponentChildren;
const asIs: TextRenderer = (text) => text;

/**
 * A note's light Markdown as elements. Everything the reader typed reaches the
 * page as text nodes (we are inside a third-party page's shadow root, so no
 * HTML string is ever built), and links are only the http(s) ones the parser allowed.
 */
export function NoteMarkdown({ text, renderText = asIs }: NoteMarkdownProps) {
  const blocks = useMemo(() => parseCached(text), [text]);
  return <div class="note-markdown">{blocks.map((block, index) => renderBlock(block, index, renderText))}</div>;
}

/** Parsed notes by text: a relayout re-renders every card, and notes rarely change. */
const parsed = new Map<string, NoteBlock[]>();
const PARSED_LIMIT = 500;

function parseCached(text: string): NoteBlock[] {
  let blocks = parsed.get(text);
  if (!blocks) {
    blocks = parseNoteMarkdown(text);
    if (parsed.size >= PARSED_LIMIT) parsed.delete(parsed.keys().next().value!);
    parsed.set(text, blocks);
  }
  return blocks;
}

/**
 * The note as one line of plain text, at most `maxLength` characters (an
 * ellipsis marks a cut), for places with room for a line only.
 */
export function noteSummary(text: string, maxLength: number): string {
  const plain = parseNoteMarkdown(text).map(blockText).join(' ').replace(/\s+/g, ' ').trim();
  // Count code points, so a cut never splits an emoji or other astral character.
  const chars = Array.from(plain);
  if (chars.length <= maxLength) return plain;
  if (maxLength <= 0) return '';
  return `${chars.slice(0, maxLength - 1).join('').trimEnd()}…`;
}

function renderBlock(block: NoteBlock, index: number, renderText: TextRenderer): ComponentChildren {
  switch (block.type) {
    case 'paragraph':
      return <p key={index}>{renderInlines(block.children, renderText)}</p>;
    case 'code':
      return (
        <pre key={index}>
          <code>{block.text}</code>
        </pre>
      );
    case 'list': {
      const items = block.items.map((item, at) => <li key={at}>{renderInlines(item, renderText)}</li>);
      return block.ordered ? <ol key={index} start={block.start}>{items}</ol> : <ul key={index}>{items}</ul>;
    }
  }
}

function renderInlines(nodes: NoteInline[], renderText: TextRenderer): ComponentChildren {
  return nodes.map((node, index) => renderInline(node, index, renderText));
}

function renderInline(node: NoteInline, index: number, renderText: TextRenderer): ComponentChildren {
  switch (node.type) {
    // A string child becomes a text node: never parsed as markup.
    case 'text':
      return renderText(node.text);
    case 'strong':
      return <strong key={index}>{renderInlines(node.children, renderText)}</strong>;
    case 'emphasis':
      return <em key={index}>{renderInlines(node.children, renderText)}</em>;
    case 'code':
      return <code key={index}>{node.text}</code>;
    case 'break':
      return <br key={index} />;
    case 'link':
      // Notes link out of the lesson: a new tab, with no way back to the page (opener) and no referrer.
      return (
        <a key={index} href={node.href} target="_blank" rel="noopener noreferrer">
          {renderInlines(node.children, renderText)}
        </a>
      );
  }
}

function blockText(block: NoteBlock): string {
  if (block.type === 'code') return block.text;
  if (block.type === 'paragraph') return inlineText(block.children);
  return block.items.map(inlineText).join(' ');
}

function inlineText(nodes: NoteInline[]): string {
  return nodes.map((node) => (node.type === 'break' ? ' ' : 'children' in node ? inlineText(node.children) : node.text)).join('');
}
