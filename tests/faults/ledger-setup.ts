/**
 * Global setup of the `faults` project: starts every run with an empty
 * ledger, so the report describes this run only.
 */
import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';

export function setup(project: TestProject): void {
  const file = project.config.env?.LH_FAULT_LEDGER;
  if (typeof file === 'string' && file !== '') rmSync(file, { force: true });
}
