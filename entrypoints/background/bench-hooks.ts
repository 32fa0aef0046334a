/**
 * Build with test hooks only (`__LH_TEST_HOOKS__`): lets the benchmark time
 * the real merge of remote records in this worker's real IndexedDB, without
 * the message transfer and file checks an import adds around it
 * (bench/suites/sync-merge.ts). The production build does not contain it.
 */
import type { LessonHighlighterDb } from '../../storage/db';
import { mergeReplicated } from '../../storage/sync/local-store';
import type { ReplicatedAnnotation } from '../../storage/sync/merge';

/** What the benchmark finds on the worker's global object. */
export interface BenchHooks {
  /** Merges `records` as a sync would; answers how many changed and the milliseconds the merge took. */
  merge(records: ReplicatedAnnotation[]): Promise<{ changed: number; ms: number }>;
}

export function exposeBenchHooks(database: () => LessonHighlighterDb): void {
  const hooks: BenchHooks = {
    async merge(records) {
      const start = performance.now();
      const { changed } = await mergeReplicated(database(), records, Date.now());
      return { changed, ms: performance.now() - start };
    },
  };
  (globalThis as { __lhBenchHooks?: BenchHooks }).__lhBenchHooks = hooks;
}
