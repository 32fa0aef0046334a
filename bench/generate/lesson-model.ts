/**
 * A generated lesson as data: blocks of lines of inline runs, where every
 * character carries an id. Edits keep the ids of the characters they do not
 * touch, which is how the generator knows where each highlighted passage went
 * (the ground truth the checker compares anchors with).
 */

export type RunKind = 'text' | 'bold' | 'code' | 'link';

/** A run of characters with one inline style; `ids[i]` identifies `text[i]`. */
export interface Run {
  kind: RunKind;
  text: string;
  ids: number[];
}

/** One line of text: a paragraph, heading, quote line, list item, code line or comment. */
export interface Line {
  runs: Run[];
}

export type Block =
  | { kind: 'paragraph' | 'heading'; lines: [Line] }
  | { kind: 'quote'; lines: Line[] }
  | { kind: 'list'; ordered: boolean; lines: Line[] }
  | { kind: 'code'; language: string; lines: Line[] }
  | { kind: 'image'; lines: []; src: string; alt: string };

export type BlockKind = Block['kind'];

export interface LessonComment {
  user: string;
  content: Line;
  reply: string;
  likes: number;
}

export interface LessonModel {
  title: Line;
  blocks: Block[];
  comments: LessonComment[];
}

/** The parts of a lesson page whose text anchoring reads, as the checker counts them. */
export type RegionName = 'title' | 'body' | 'comments';
export const REGIONS: readonly RegionName[] = ['title', 'body', 'comments'];

/** A region's text (lines joined by "\n") with the id of each character (-1 for separators). */
export interface RegionText {
  text: string;
  ids: number[];
  /** Each line's [start, end) in `text`, and the kind of block it belongs to. */
  lines: Array<{ start: number; end: number; kind: BlockKind }>;
  /** Positions inside a line where one inline run ends and another begins. */
  runBoundaries: number[];
}

/** Hands out character ids; edits take fresh ones for inserted text. */
export class IdSource {
  constructor(private nextId = 0) {}

  take(count: number): number[] {
    const ids = Array.from({ length: count }, (_, i) => this.nextId + i);
    this.nextId += count;
    return ids;
  }
}

export function run(kind: RunKind, text: string, ids: IdSource): Run {
  return { kind, text, ids: ids.take(text.length) };
}

export function lineText(line: Line): string {
  return line.runs.map((r) => r.text).join('');
}

export function lineIds(line: Line): number[] {
  return line.runs.flatMap((r) => r.ids);
}

/** The lines of a region, each with its block kind. */
function regionLines(model: LessonModel, region: RegionName): Array<{ line: Line; kind: BlockKind }> {
  if (region === 'title') return [{ line: model.title, kind: 'heading' }];
  if (region === 'comments') return model.comments.map((c) => ({ line: c.content, kind: 'paragraph' as const }));
  return model.blocks.flatMap((block) => block.lines.map((line) => ({ line, kind: block.kind })));
}

export function regionText(model: LessonModel, region: RegionName): RegionText {
  let text = '';
  const ids: number[] = [];
  const lines: RegionText['lines'] = [];
  const runBoundaries: number[] = [];
  for (const { line, kind } of regionLines(model, region)) {
    if (text.length > 0) {
      text += '\n';
      ids.push(-1);
    }
    const start = text.length;
    line.runs.forEach((r, i) => {
      if (i > 0) runBoundaries.push(text.length);
      text += r.text;
      ids.push(...r.ids);
    });
    lines.push({ start, end: text.length, kind });
  }
  return { text, ids, lines, runBoundaries };
}

/** A deep copy (edits work on a copy of the original). */
export function cloneModel(model: LessonModel): LessonModel {
  return structuredClone(model);
}

/** `text` with every whitespace character removed: the checker's coordinates. */
export function countedText(text: string): string {
  return text.replace(/\s+/g, '');
}

/** For each position of `text`, how many non-whitespace characters come before it. */
export function countedOffsets(text: string): Int32Array {
  const offsets = new Int32Array(text.length + 1);
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    offsets[i] = count;
    if (!/\s/.test(text[i]!)) count++;
  }
  offsets[text.length] = count;
  return offsets;
}
