/**
 * The fault ledger (issue #8): every fault test writes down what it broke,
 * how often, how many edits had been acknowledged, and how many of those
 * were lost or found half-written. `scripts/fault-report.mjs` turns the
 * ledger into the README's reliability table and fails the run when
 * anything was lost or a fault was never actually injected.
 *
 * The ledger is a JSON file named by `LH_FAULT_LEDGER` (the `faults` vitest
 * project sets it). Without the variable nothing is written, so the unit
 * fault tests that also record here stay silent in `npm run test:unit`.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { expect, onTestFinished } from 'vitest';

/** One row of the ledger: one test's tally for one kind of fault. */
export interface LedgerEntry {
  /** What was broken, in words (rows with the same words are added up in the report). */
  fault: string;
  /** How many times the fault was injected. */
  injected: number;
  /** Edits the product acknowledged (a reply with ok, a painted highlight, "Saved"). */
  acknowledged: number;
  /** Edits that failed visibly while the fault was in effect (not acknowledged; may or may not be stored). */
  unacknowledged: number;
  /** Acknowledged edits missing afterwards. */
  lost: number;
  /** Records found malformed or part-applied afterwards. */
  halfWritten: number;
  /** The test file that recorded it. */
  file: string;
}

/** A tally a test fills in as it goes; written to the ledger when the test ends, passed or failed. */
export type FaultTally = Omit<LedgerEntry, 'fault' | 'file'>;

/** The ledger file, or null when this run keeps no ledger. */
export function ledgerFile(): string | null {
  return process.env.LH_FAULT_LEDGER || null;
}

/** Every entry recorded so far in `file` (none when it does not exist). */
export function readLedger(file: string): LedgerEntry[] {
  if (!existsSync(file)) return [];
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`The fault ledger ${file} is not a JSON array`);
  return parsed as LedgerEntry[];
}

/**
 * Appends `tally` for `fault`, naming the running test file. The faults
 * project runs one file at a time, so a plain read-modify-write is safe; the
 * rename keeps a reader from seeing half a file.
 */
export function recordFault(fault: string, tally: FaultTally): void {
  const file = ledgerFile();
  if (!file) return;
  const testFile = relative(process.cwd(), expect.getState().testPath ?? 'unknown');
  mkdirSync(dirname(file), { recursive: true });
  const next: LedgerEntry[] = [...readLedger(file), { fault, file: testFile, ...tally }];
  writeFileSync(`${file}.tmp`, `${JSON.stringify(next, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/**
 * Starts a tally for `fault` in the running test and records it when the
 * test finishes — also when an assertion failed halfway, so the report shows
 * what was lost rather than nothing. Call inside a test.
 */
export function trackFault(fault: string): FaultTally {
  const tally: FaultTally = { injected: 0, acknowledged: 0, unacknowledged: 0, lost: 0, halfWritten: 0 };
  onTestFinished(() => recordFault(fault, tally));
  return tally;
}
