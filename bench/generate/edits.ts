/**
 * The light editorial pass a course author makes on a published lesson:
 * typos fixed, punctuation changed, sentences inserted and deleted,
 * paragraphs split, one paragraph removed. Each edit touches its own
 * sentence, and is described by character ids so the ground truth of every
 * highlight can be followed from the original into the edited lesson.
 */
import { cloneModel, lineIds, regionText, run, type Block, type IdSource, type LessonModel, type Line } from './lesson-model';
import type { Random } from './random';
import { plain, sentence, TYPO_PAIRS } from './vocabulary';

/** Every edit, by the ids of the characters it touches (ids of the original lesson). */
export interface EditPlan {
  /** Typos: the original has `typo` where the edited lesson has the correct character. */
  typos: Array<{ id: number; typo: string; correct: string }>;
  /** Punctuation changed in the edited lesson (，→；). */
  punctuation: Array<{ id: number; char: string }>;
  /** A sentence inserted right after the character `afterId`. */
  insertions: Array<{ afterId: number; text: string }>;
  /** Sentences deleted: the characters `firstId`..`lastId` of one line. */
  deletions: Array<{ firstId: number; lastId: number }>;
  /** Paragraphs split after the character `afterId`. */
  splits: Array<{ afterId: number }>;
  /** The paragraph removed as a whole (it holds a highlighted passage). */
  removed: { firstId: number; lastId: number };
}

interface Sentence {
  lineIndex: number;
  start: number;
  end: number;
  blockKind: Block['kind'];
  lastInLine: boolean;
}

/** Plans `scale` × a base number of edits on the body of `clean`. */
export function planEdits(random: Random, clean: LessonModel, scale: number): EditPlan {
  const body = regionText(clean, 'body');
  const sentences = shuffle(random, findSentences(body));
  const used = new Set<number>();
  const take = (accept: (s: Sentence) => boolean) => {
    const index = sentences.findIndex((s, i) => !used.has(i) && accept(s));
    if (index < 0) return null;
    used.add(index);
    return sentences[index]!;
  };
  const idAt = (position: number) => body.ids[position]!;
  const plan: EditPlan = { typos: [], punctuation: [], insertions: [], deletions: [], splits: [], removed: { firstId: -1, lastId: -1 } };

  const removedLine = removedParagraph(random, clean, body, sentences, used);
  plan.removed = { firstId: body.ids[removedLine.start]!, lastId: body.ids[removedLine.end - 1]! };
  for (let i = 0; i < 6 * scale; i++) {
    const pair = random.pick(TYPO_PAIRS);
    const s = take((c) => body.text.slice(c.start, c.end).includes(pair.correct));
    if (!s) continue;
    const at = body.text.indexOf(pair.correct, s.start);
    const k = [...pair.correct].findIndex((char, j) => char !== pair.typo[j]);
    plan.typos.push({ id: idAt(at + k), typo: pair.typo[k]!, correct: pair.correct[k]! });
  }
  for (let i = 0; i < 6 * scale; i++) {
    const s = take((c) => body.text.slice(c.start, c.end).includes('，'));
    if (s) plan.punctuation.push({ id: idAt(body.text.indexOf('，', s.start)), char: '；' });
  }
  for (let i = 0; i < 3 * scale; i++) {
    const s = take((c) => c.blockKind === 'paragraph');
    if (s) plan.insertions.push({ afterId: idAt(s.end - 1), text: plain(sentence(random)) });
  }
  for (let i = 0; i < 3 * scale; i++) {
    const s = take((c) => c.blockKind === 'paragraph' && !isOnlySentence(body, c));
    if (s) plan.deletions.push({ firstId: idAt(s.start), lastId: idAt(s.end - 1) });
  }
  for (let i = 0; i < 2 * scale; i++) {
    const s = take((c) => c.blockKind === 'paragraph' && !c.lastInLine);
    if (s) plan.splits.push({ afterId: idAt(s.end - 1) });
  }
  return plan;
}

/** The original lesson: `clean` with the typos the edit will fix. */
export function withTypos(clean: LessonModel, plan: EditPlan): LessonModel {
  const model = cloneModel(clean);
  for (const typo of plan.typos) replaceChar(model, typo.id, typo.typo);
  return model;
}

/** The edited lesson: `original` after every edit of `plan`. */
export function applyEdits(original: LessonModel, plan: EditPlan, ids: IdSource): LessonModel {
  const model = cloneModel(original);
  for (const typo of plan.typos) replaceChar(model, typo.id, typo.correct);
  for (const change of plan.punctuation) replaceChar(model, change.id, change.char);
  for (const { firstId, lastId } of plan.deletions) {
    editLine(model, firstId, (line, at) => {
      const end = lineIds(line).indexOf(lastId) + 1;
      return [joinLines(cutLine(line, at)[0], cutLine(line, end)[1])];
    });
  }
  for (const { afterId, text } of plan.insertions) {
    editLine(model, afterId, (line, at) => {
      const [before, after] = cutLine(line, at + 1);
      return [joinLines(joinLines(before, { runs: [run('text', text, ids)] }), after)];
    });
  }
  for (const { afterId } of plan.splits) editLine(model, afterId, (line, at) => cutLine(line, at + 1));
  const removedBlock = model.blocks.findIndex((block) => block.lines.some((line) => lineIds(line).includes(plan.removed.firstId)));
  model.blocks.splice(removedBlock, 1);
  return model;
}

function findSentences(body: ReturnType<typeof regionText>): Sentence[] {
  const found: Sentence[] = [];
  body.lines.forEach((line, lineIndex) => {
    if (line.kind !== 'paragraph' && line.kind !== 'list' && line.kind !== 'quote') return;
    let start = line.start;
    for (let i = line.start; i < line.end; i++) {
      if (!'。？！'.includes(body.text[i]!)) continue;
      found.push({ lineIndex, start, end: i + 1, blockKind: line.kind, lastInLine: i + 1 === line.end });
      start = i + 1;
    }
  });
  return found;
}

function isOnlySentence(body: ReturnType<typeof regionText>, s: Sentence): boolean {
  const line = body.lines[s.lineIndex]!;
  return s.start === line.start && s.end === line.end;
}

/** A paragraph of 2–4 sentences that no other edit touches; its sentences are marked used. */
function removedParagraph(random: Random, clean: LessonModel, body: ReturnType<typeof regionText>, sentences: Sentence[], used: Set<number>) {
  const candidates = body.lines
    .map((line, lineIndex) => ({ ...line, lineIndex }))
    .filter((line) => line.kind === 'paragraph' && line.end - line.start >= 60 && line.end - line.start <= 300);
  if (candidates.length === 0) throw new Error(`no paragraph to remove among ${clean.blocks.length} blocks`);
  const chosen = random.pick(candidates);
  sentences.forEach((s, i) => {
    if (s.lineIndex === chosen.lineIndex) used.add(i);
  });
  return chosen;
}

function shuffle<T>(random: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Replaces the character with id `id`, keeping its id (the slot stays the same passage). */
function replaceChar(model: LessonModel, id: number, char: string): void {
  for (const line of allLines(model)) {
    for (const r of line.runs) {
      const at = r.ids.indexOf(id);
      if (at >= 0) {
        r.text = r.text.slice(0, at) + char + r.text.slice(at + 1);
        return;
      }
    }
  }
  throw new Error(`no character with id ${id}`);
}

function allLines(model: LessonModel): Line[] {
  return [model.title, ...model.blocks.flatMap((b) => b.lines), ...model.comments.map((c) => c.content)];
}

/** Replaces the body line holding character `id` by `edit(line, offset of id)`; several lines become several paragraphs. */
function editLine(model: LessonModel, id: number, edit: (line: Line, at: number) => Line[]): void {
  for (let b = 0; b < model.blocks.length; b++) {
    const block = model.blocks[b]!;
    for (let l = 0; l < block.lines.length; l++) {
      const at = lineIds(block.lines[l]!).indexOf(id);
      if (at < 0) continue;
      const lines = edit(block.lines[l]!, at);
      if (lines.length === 1) block.lines[l] = lines[0]!;
      else if (block.kind === 'paragraph') model.blocks.splice(b, 1, ...lines.map((line): Block => ({ kind: 'paragraph', lines: [line] })));
      else throw new Error(`cannot split a ${block.kind} block`);
      return;
    }
  }
  throw new Error(`no body character with id ${id}`);
}

/** Splits a line at a character offset; runs that straddle it are cut in two. */
function cutLine(line: Line, at: number): [Line, Line] {
  const before: Line = { runs: [] };
  const after: Line = { runs: [] };
  let position = 0;
  for (const r of line.runs) {
    const cut = Math.max(0, Math.min(r.text.length, at - position));
    if (cut > 0) before.runs.push({ kind: r.kind, text: r.text.slice(0, cut), ids: r.ids.slice(0, cut) });
    if (cut < r.text.length) after.runs.push({ kind: r.kind, text: r.text.slice(cut), ids: r.ids.slice(cut) });
    position += r.text.length;
  }
  return [before, after];
}

function joinLines(first: Line, second: Line): Line {
  return { runs: [...first.runs, ...second.runs] };
}

/** How many edits of each kind a plan makes, for the bench's notes. */
export function describePlan(plan: EditPlan): string {
  return `${plan.typos.length} typos fixed, ${plan.punctuation.length} punctuation changes, ${plan.insertions.length} sentences inserted, ${plan.deletions.length} deleted, ${plan.splits.length} paragraphs split, 1 paragraph removed`;
}
