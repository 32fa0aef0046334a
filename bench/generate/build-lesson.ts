/**
 * Writes an original lesson of about `chars` characters in the lesson page's
 * real shape: paragraphs with bold, inline code and links, h2 sections,
 * block quotes, lists, Go code blocks, images, and a 精选留言 comment list.
 */
import { IdSource, run, type Block, type LessonModel, type Line, type LessonComment } from './lesson-model';
import type { Random } from './random';
import { codeLines, comment, heading, reply, sentence, title, type Piece } from './vocabulary';

const USERS = ['小林', 'Geek_7a3c', '陈工', 'momo', '老周', 'Alex', '北冥', '写代码的猫', 'ZZ', '阿杰'];

/** Builds a lesson; every character gets an id from `ids`. */
export function buildLesson(random: Random, chars: number, lessonNumber: number, ids: IdSource): LessonModel {
  const blocks: Block[] = [];
  let size = 0;
  let sinceHeading = 0;
  while (size < chars) {
    const block = nextBlock(random, ids, sinceHeading);
    sinceHeading = block.kind === 'heading' ? 0 : sinceHeading + 1;
    blocks.push(block);
    size += block.lines.reduce((sum, line) => sum + line.runs.reduce((n, r) => n + r.text.length, 0), 0);
  }
  const commentCount = Math.max(3, Math.round(chars / 5000));
  const comments: LessonComment[] = Array.from({ length: commentCount }, (_, i) => ({
    user: USERS[i % USERS.length]!,
    content: { runs: [run('text', comment(random), ids)] },
    reply: reply(random),
    likes: random.int(0, 300),
  }));
  return { title: { runs: [run('text', title(random, lessonNumber), ids)] }, blocks, comments };
}

function nextBlock(random: Random, ids: IdSource, sinceHeading: number): Block {
  if (sinceHeading >= 8 && random.chance(0.5)) return { kind: 'heading', lines: [textLine(heading(random), ids)] };
  const roll = random.next();
  if (roll < 0.72) return { kind: 'paragraph', lines: [paragraph(random, ids, random.int(2, 6))] };
  if (roll < 0.8) {
    const items = Array.from({ length: random.int(3, 5) }, () => paragraph(random, ids, 1));
    return { kind: 'list', ordered: random.chance(0.4), lines: items };
  }
  if (roll < 0.86) return { kind: 'quote', lines: Array.from({ length: random.int(1, 2) }, () => paragraph(random, ids, random.int(1, 2))) };
  if (roll < 0.96) {
    const lines = codeLines(random, random.int(5, 14)).map((text) => textLine(text, ids));
    return { kind: 'code', language: 'go', lines };
  }
  return { kind: 'image', lines: [], src: '/static/img/cover.svg', alt: '示意图' };
}

function textLine(text: string, ids: IdSource): Line {
  return { runs: [run('text', text, ids)] };
}

/** A line of `sentences` sentences, inline elements kept as their own runs. */
function paragraph(random: Random, ids: IdSource, sentences: number): Line {
  const pieces: Piece[] = [];
  for (let i = 0; i < sentences; i++) pieces.push(...sentence(random));
  const runs = [];
  for (const piece of pieces) {
    if (typeof piece === 'string') {
      const last = runs[runs.length - 1];
      // Adjacent plain text is one run, as in the API's HTML.
      if (last?.kind === 'text') {
        last.text += piece;
        last.ids.push(...ids.take(piece.length));
      } else runs.push(run('text', piece, ids));
    } else if ('bold' in piece) runs.push(run('bold', piece.bold, ids));
    else if ('code' in piece) runs.push(run('code', piece.code, ids));
    else runs.push(run('link', piece.link, ids));
  }
  return { runs };
}
