/**
 * The bench's inputs, generated from fixed seeds: lessons of about 20,000 and
 * 100,000 characters in the lesson page's real structure, a lightly edited
 * version of each, and sets of highlights with their ground truth in both.
 *
 * Lessons are produced as the article API returns them (article_content
 * HTML + comments) and served by the fixture site, whose Slate renderer turns
 * them into the DOM the extension meets on the real page.
 */
import type { Lesson } from '../tests/fixtures/lesson-site/lessons.mjs';
import { articleHtml } from './generate/article-html';
import { buildLesson } from './generate/build-lesson';
import { applyEdits, describePlan, planEdits, withTypos, type EditPlan } from './generate/edits';
import { generateHighlights, type HighlightCase, type HighlightOptions } from './generate/highlights';
import { countedText, IdSource, lineText, regionText, REGIONS, type LessonModel, type RegionName } from './generate/lesson-model';
import { createRandom, hash } from './generate/random';

export type { CountedSpan, HighlightCase, HighlightKind } from './generate/highlights';
export type { RegionName } from './generate/lesson-model';

export interface LessonSpec {
  /** Lesson id the fixture site serves it under (digits). */
  id: string;
  /** Short name for the table, e.g. "100k". */
  label: string;
  /** Approximate length of the body in characters. */
  chars: number;
  seed: number;
}

export interface GeneratedLesson {
  spec: LessonSpec;
  title: string;
  original: LessonModel;
  edited: LessonModel;
  plan: EditPlan;
  /** What the edit changed, in words. */
  editSummary: string;
  /** Characters of the original body. */
  bodyChars: number;
}

/** The lessons of the full bench and of the tiny (smoke) configuration. */
export const LESSON_SPECS: Record<'full' | 'tiny', LessonSpec[]> = {
  full: [
    { id: '900020', label: '20k', chars: 20_000, seed: 20_000 },
    { id: '900100', label: '100k', chars: 100_000, seed: 100_000 },
  ],
  tiny: [{ id: '900005', label: '5k', chars: 5_000, seed: 5_000 }],
};

export function generateLesson(spec: LessonSpec): GeneratedLesson {
  const random = createRandom(spec.seed);
  const ids = new IdSource();
  const clean = buildLesson(random.fork('text'), spec.chars, 7, ids);
  const plan = planEdits(random.fork('edits'), clean, Math.max(1, Math.round(spec.chars / 20_000)));
  const original = withTypos(clean, plan);
  const edited = applyEdits(original, plan, ids);
  return {
    spec,
    title: lineText(original.title),
    original,
    edited,
    plan,
    editSummary: describePlan(plan),
    bodyChars: regionText(original, 'body').text.length,
  };
}

/**
 * Highlight sets of the given sizes on a lesson, each the start of the
 * largest: the 50 are among the 500, which are among the 2,000 (so each
 * implementation describes the largest set once). Same arguments, same sets.
 */
export function highlightSets(lesson: GeneratedLesson, counts: readonly number[], options: HighlightOptions = {}): Map<number, HighlightCase[]> {
  const random = createRandom(hash(`${lesson.spec.seed}/${(options.regions ?? []).join(',')}`));
  const all = generateHighlights(random, lesson.original, lesson.edited, lesson.plan, Math.max(...counts), options);
  return new Map(counts.map((count) => [count, all.slice(0, count)]));
}

/** The lesson as the fixture site's data (edition 1: original, edition 2: edited). */
export function fixtureLesson(lesson: GeneratedLesson): Lesson {
  return {
    id: lesson.spec.id,
    title: lesson.title,
    subtitle: `生成的基准课程（${lesson.spec.label}）`,
    ctime: 1_700_000_000 + Number(lesson.spec.id),
    repeatedPhrase: '最终一致性',
    comments: lesson.original.comments.map((c) => ({
      user_name: c.user,
      comment_content: lineText(c.content),
      reply: c.reply,
      like_count: c.likes,
    })),
    editions: { 1: articleHtml(lesson.original.blocks), 2: articleHtml(lesson.edited.blocks) },
  };
}

/** Each region's text as the checker counts it (whitespace removed), to verify the page renders the model. */
export function countedRegions(model: LessonModel): Record<RegionName, string> {
  const entries = REGIONS.map((region) => [region, countedText(regionText(model, region).text)] as const);
  return Object.fromEntries(entries) as Record<RegionName, string>;
}
