/**
 * `npm run bench` must not rot: run it in its tiny configuration (a 5k
 * lesson, a few highlights, one or two runs) exactly as the command does,
 * and check that it prints its table, writes its results and that the
 * checker judged real anchors. Timings are not asserted.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchResults } from '../../bench/lib/runner';

const run = promisify(execFile);
let dir = '';

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm run bench --tiny', () => {
  it('prints one table naming the machine, writes results.json, and its checker judges anchors', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lh-bench-'));
    const out = join(dir, 'results.json');
    const tsx = resolve('node_modules/tsx/dist/cli.mjs');
    const { stdout } = await run(process.execPath, [tsx, 'bench/run.ts', '--tiny', '--out', out], { maxBuffer: 16 * 1024 * 1024, timeout: 110_000 });

    expect(stdout).toMatch(/^Machine: .+, \d+ cores, .+ · Node v\d+.+ · Chromium \d+/m);
    for (const group of ['Re-anchoring, unchanged lesson', 'Re-anchoring, edited lesson', 'Painting', 'End to end (built extension)', 'Weight']) {
      expect(stdout).toContain(group);
    }
    expect(stdout).toMatch(/ours, 40 hl \/ 5k\b/);
    expect(stdout).toMatch(/@apache-annotator\/dom, 40 hl \/ 5k/);
    expect(stdout).toMatch(/dom-anchor-text-quote, 40 hl \/ 5k/);

    const results = JSON.parse(await readFile(out, 'utf8')) as BenchResults;
    expect(results.crashes).toEqual([]);
    expect(results.tiny).toBe(true);
    expect(results.figures.length).toBeGreaterThan(20);
    for (const figure of results.figures) expect(Number.isFinite(figure.median), `${figure.group} / ${figure.name}`).toBe(true);

    // The checker ran on the real page: every passage got exactly one verdict,
    // and on the unchanged lesson it recognised correct anchors as correct.
    type Judged = Record<string, { tally: { surviving: number; correct: number; orphaned: number; wrong: number; removed: number; removedOrphaned: number } }>;
    const unchanged = results.records['anchoring/5k/40/unchanged'] as Judged;
    const edited = results.records['anchoring/5k/40/edited'] as Judged;
    expect(Object.keys(unchanged).sort()).toEqual(['apache', 'ours', 'textQuote']);
    for (const { tally } of [...Object.values(unchanged), ...Object.values(edited)]) {
      expect(tally.surviving + tally.removed).toBe(40);
      expect(tally.correct + tally.orphaned + tally.wrong - (tally.removed - tally.removedOrphaned)).toBe(tally.surviving);
    }
    expect(Object.values(unchanged).some(({ tally }) => tally.correct === 40)).toBe(true);
    expect(Object.values(edited).every(({ tally }) => tally.removed > 0)).toBe(true);
  }, 120_000);
});
