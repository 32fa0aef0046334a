/**
 * Finding the suites: every `bench/suites/*.ts` file is imported and each of
 * its exports that is a {@link BenchSuite} runs. A new area (notes, popup,
 * sync) joins the bench by adding a file there; nothing else to register.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchSuite } from '../types';

export const SUITES_DIR = fileURLToPath(new URL('../suites/', import.meta.url));

export interface FoundSuite {
  /** The file's name without extension, e.g. "popup". */
  file: string;
  suite: BenchSuite;
}

export function isBenchSuite(value: unknown): value is BenchSuite {
  const candidate = value as Partial<BenchSuite> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.name === 'string' && typeof candidate.run === 'function';
}

/** A suite file that could not be used: it failed to load or exports no suite. */
export interface BrokenSuiteFile {
  file: string;
  error: string;
}

/** The suites in `dir`, in file-name order (export order within a file). */
export async function discoverSuites(dir: string = SUITES_DIR): Promise<{ found: FoundSuite[]; broken: BrokenSuiteFile[] }> {
  const files = (await readdir(dir)).filter((name) => /\.(ts|mts|js|mjs)$/.test(name) && !/\.d\.m?ts$/.test(name)).sort();
  const found: FoundSuite[] = [];
  const broken: BrokenSuiteFile[] = [];
  for (const name of files) {
    const file = name.replace(/\.[^.]+$/, '');
    try {
      const module: Record<string, unknown> = await import(pathToFileURL(path.join(dir, name)).href);
      const suites = Object.values(module).filter(isBenchSuite);
      if (suites.length === 0) throw new Error('exports no BenchSuite ({ name, run })');
      for (const suite of suites) found.push({ file, suite });
    } catch (error) {
      broken.push({ file, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  }
  return { found, broken };
}

/** Measurements other issues will add; listed under the table until a suite provides them. */
export const EXPECTED_SLOTS = [
  { key: 'notes', what: 'margin notes: card layout time, forced layouts while scrolling' },
  { key: 'popup', what: 'popup: first paint, search latency with 10,000 annotations' },
  { key: 'sync', what: 'sync: merge time, storage.sync bytes per annotation, CouchDB initial sync' },
] as const;

/** The slots no discovered suite fills (matched on the suite's file or name). */
export function missingSlots(found: readonly FoundSuite[]): string[] {
  const covered = (key: string) => found.some(({ file, suite }) => file.toLowerCase().includes(key) || suite.name.toLowerCase().includes(key));
  return EXPECTED_SLOTS.filter((slot) => !covered(slot.key)).map((slot) => slot.what);
}
