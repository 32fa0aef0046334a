/**
 * The bench's configurations: the full one (`npm run bench`) and the tiny one
 * (`--tiny`, the smoke test). Inputs are generated once per process.
 */
import type { RunPolicy } from '../browser/page-bench';
import { generateLesson, LESSON_SPECS, type GeneratedLesson, type LessonSpec } from '../generate-lesson';

export interface BenchConfig {
  /** Highlight counts for the anchoring suites. */
  counts: number[];
  /** The configuration the targets are about. */
  headline: { lesson: string; count: number };
  policy: RunPolicy;
  paintRuns: number;
  /** Highlight counts and page loads of the end-to-end suite. */
  endToEndCounts: number[];
  endToEndRuns: number;
  /** Page loads per weight figure. */
  weightRuns: number;
  /**
   * Fresh browsers started for the content script's first-load cost: one
   * sample each, and a first load on a shared machine is now and then slowed
   * several-fold by whatever else starts with the browser, so more are taken.
   */
  coldLaunches: number;
  /**
   * The largest highlight count the libraries are run at on a lesson. One
   * library pass over 2,000 highlights on 100k characters takes 12–18 s (and
   * describing them ~80 s): that configuration only runs with BENCH_EXHAUSTIVE=1.
   */
  librariesUpTo(lesson: LessonSpec): number;
}

export function benchConfig(tiny: boolean): BenchConfig {
  if (tiny) {
    return {
      counts: [10, 40],
      headline: { lesson: '5k', count: 40 },
      policy: { minRuns: 1, maxRuns: 2, budgetMs: 200, longRunMs: 1_000, warmupCount: 5 },
      paintRuns: 2,
      endToEndCounts: [10],
      endToEndRuns: 1,
      weightRuns: 1,
      coldLaunches: 1,
      librariesUpTo: () => Infinity,
    };
  }
  return {
    counts: [50, 500, 2000],
    headline: { lesson: '100k', count: 500 },
    policy: { minRuns: 3, maxRuns: 9, budgetMs: 1_500, longRunMs: 2_500, warmupCount: 20 },
    paintRuns: 7,
    endToEndCounts: [50, 500],
    endToEndRuns: 7,
    weightRuns: 3,
    coldLaunches: 9,
    librariesUpTo: (lesson) => (lesson.chars >= 100_000 && process.env.BENCH_EXHAUSTIVE !== '1' ? 500 : Infinity),
  };
}

const cache = new Map<boolean, GeneratedLesson[]>();

/** The generated lessons of a configuration (20k and 100k, or one 5k for the smoke test). */
export function generatedLessons(tiny: boolean): GeneratedLesson[] {
  let lessons = cache.get(tiny);
  if (!lessons) {
    lessons = LESSON_SPECS[tiny ? 'tiny' : 'full'].map(generateLesson);
    cache.set(tiny, lessons);
  }
  return lessons;
}
