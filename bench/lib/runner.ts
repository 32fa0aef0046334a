/**
 * Runs the discovered suites one after another (one browser at a time: the
 * machine has two cores), collects their figures into one table and writes
 * bench/results.json. It reports; it does not gate: missed targets still exit
 * 0, but a suite that crashes (including a checker that cannot judge) does not.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { BenchContext, BenchFigure } from '../types';
import { discoverSuites, missingSlots, SUITES_DIR } from './discover';
import { describeMachine, machineInfo, type MachineInfo } from './machine';
import { formatTable } from './table';

export interface RunOptions {
  tiny: boolean;
  /** Run only suites whose name or file contains one of these. */
  only?: readonly string[];
  /** Where to write the results (JSON). */
  outFile: string;
  extensionDir?: string;
  testExtensionDir?: string;
  suitesDir?: string;
  log?: (message: string) => void;
}

export interface BenchResults {
  startedAt: string;
  durationMs: number;
  tiny: boolean;
  machine: MachineInfo;
  figures: BenchFigure[];
  notes: string[];
  records: Record<string, unknown>;
  crashes: Array<{ suite: string; error: string }>;
  missingSlots: string[];
}

export interface RunOutcome {
  table: string;
  results: BenchResults;
  exitCode: number;
}

export async function runBench(options: RunOptions): Promise<RunOutcome> {
  const started = Date.now();
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const machine = machineInfo();
  const { found, broken } = await discoverSuites(options.suitesDir ?? SUITES_DIR);
  const selected = found.filter(({ file, suite }) => !options.only?.length || options.only.some((key) => file.includes(key) || suite.name.includes(key)));
  const results: BenchResults = {
    startedAt: new Date(started).toISOString(),
    durationMs: 0,
    tiny: options.tiny,
    machine,
    figures: [],
    notes: [],
    records: {},
    crashes: broken.map(({ file, error }) => ({ suite: `bench/suites/${file}`, error })),
    missingSlots: missingSlots(found),
  };
  for (const { suite } of selected) {
    const context: BenchContext = {
      tiny: options.tiny,
      extensionDir: resolve(options.extensionDir ?? process.env.LH_PRODUCTION_EXTENSION_DIR ?? '.output/chrome-mv3'),
      testExtensionDir: resolve(options.testExtensionDir ?? process.env.LH_EXTENSION_DIR ?? '.output/test/chrome-mv3'),
      log: (message) => log(`[${suite.name}] ${message}`),
      note: (text) => results.notes.push(text),
      record: (name, data) => (results.records[`${suite.name}/${name}`] = data),
    };
    const suiteStarted = Date.now();
    try {
      results.figures.push(...(await suite.run(context)));
      log(`[${suite.name}] done in ${((Date.now() - suiteStarted) / 1000).toFixed(1)} s`);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      results.crashes.push({ suite: suite.name, error: message });
      log(`[${suite.name}] CRASHED: ${message}`);
    }
  }
  results.durationMs = Date.now() - started;
  await writeFile(options.outFile, `${JSON.stringify(results, null, 2)}\n`);
  const table = formatTable({
    title: `npm run bench${options.tiny ? ' --tiny' : ''} · Lesson Highlighter 划重点 · ${results.startedAt} · ${(results.durationMs / 1000).toFixed(0)} s`,
    machine: describeMachine(machine),
    figures: results.figures,
    footnotes: footnotes(results),
  });
  const exitCode = results.crashes.length > 0 || selected.length === 0 ? 1 : 0;
  return { table, results, exitCode };
}

function footnotes(results: BenchResults): string[] {
  const notes = [...results.notes];
  const missed = results.figures.filter((figure) => figure.pass === false).length;
  notes.push(`Each figure is the median of its runs; "MISS" marks a median that misses the issue's target (${missed} missed). The bench reports, it does not gate.`);
  if (results.missingSlots.length > 0) notes.push(`Not measured yet (no suite in bench/suites): ${results.missingSlots.join('; ')}.`);
  for (const crash of results.crashes) notes.push(`CRASHED: ${crash.suite}: ${crash.error.split('\n')[0]}`);
  return notes;
}
