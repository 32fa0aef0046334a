/**
 * The contract between `npm run bench` (bench/run.ts) and its suites
 * (bench/suites/*.ts). Each suite measures one area and returns figures; the
 * runner prints them as one table and writes bench/results.json.
 */

/** One measured figure: the median of several runs, with their spread. */
export interface BenchFigure {
  /** Table section, e.g. "Re-anchoring, unchanged lesson". */
  group: string;
  /** What was measured, e.g. "ours, 500 highlights / 100k chars". */
  name: string;
  unit: 'ms' | 'bytes' | 'count' | 'ratio' | 'percent' | 'kB';
  median: number;
  /** Smallest and largest run; omitted for single-shot figures (sizes, counts). */
  spread?: { min: number; max: number };
  runs: number;
  /** The target in words, e.g. "< 20 ms", when the issue sets one. */
  target?: string;
  /** Whether the median meets the target; omitted when there is none. */
  pass?: boolean;
  /** What stands behind the number, printed beside it (e.g. "498 correct · 2 orphaned · 0 wrong"). */
  note?: string;
}

/** What the runner hands every suite. */
export interface BenchContext {
  /** Tiny configuration (few runs, small inputs) for the smoke test that keeps the bench from rotting. */
  tiny: boolean;
  /** Directory of the production Chrome build (.output/chrome-mv3): what readers install. */
  extensionDir: string;
  /**
   * The build with test hooks (.output/test/chrome-mv3): the same code, but its
   * page UI's shadow root is open, for suites that measure inside it.
   */
  testExtensionDir: string;
  /** Logs progress to stderr (the table goes to stdout). */
  log(message: string): void;
  /** Adds a footnote under the table (how something was measured, what the inputs were). */
  note(text: string): void;
  /** Keeps diagnostic data (e.g. which anchors failed) in bench/results.json under `records[name]`. */
  record(name: string, data: unknown): void;
}

/** A named group of measurements. */
export interface BenchSuite {
  name: string;
  run(context: BenchContext): Promise<BenchFigure[]>;
}
