#!/usr/bin/env node
/**
 * Prints the fault ledger written by `npm run test:faults` (issue #8) as a
 * Markdown table: each fault injected, how many times, how many edits had
 * been acknowledged, and what was lost. Rows of the same fault are added up.
 *
 * Exits non-zero when an acknowledged edit was lost or a record was found
 * half-written, when a fault was recorded but never actually injected, or
 * when there is no ledger at all (the tests did not run).
 *
 * Usage: node scripts/fault-report.mjs [--write-readme]
 *   --write-readme  also replaces the table between `<!-- faults:start -->`
 *                   and `<!-- faults:end -->` in README.md.
 * The ledger is `LH_FAULT_LEDGER`, by default test-results/fault-ledger.json.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const LEDGER = process.env.LH_FAULT_LEDGER || 'test-results/fault-ledger.json';
const README = 'README.md';
const START = '<!-- faults:start -->';
const END = '<!-- faults:end -->';
const COUNTS = ['injected', 'acknowledged', 'unacknowledged', 'lost', 'halfWritten'];

/** The ledger's entries, checked; exits with the problem in words when it cannot be read. */
function readLedger() {
  if (!existsSync(LEDGER)) fail(`No fault ledger at ${LEDGER}: run "npm run test:faults" first.`);
  let entries;
  try {
    entries = JSON.parse(readFileSync(LEDGER, 'utf8'));
  } catch (error) {
    fail(`The fault ledger ${LEDGER} is not JSON: ${error.message}`);
  }
  if (!Array.isArray(entries) || entries.length === 0) fail(`The fault ledger ${LEDGER} holds no entries: no fault test ran.`);
  for (const [index, entry] of entries.entries()) {
    const bad = typeof entry?.fault !== 'string' || typeof entry.file !== 'string' || COUNTS.some((key) => !Number.isInteger(entry[key]) || entry[key] < 0);
    if (bad) fail(`Entry ${index + 1} of ${LEDGER} is malformed: ${JSON.stringify(entry)}`);
  }
  return entries;
}

/** One row per fault, counts added up; browser tests (tests/faults) first, then the unit tests, each by file. */
function summarize(entries) {
  const rows = new Map();
  for (const entry of entries) {
    const row = rows.get(entry.fault) ?? { fault: entry.fault, file: entry.file, ...Object.fromEntries(COUNTS.map((key) => [key, 0])) };
    for (const key of COUNTS) row[key] += entry[key];
    rows.set(entry.fault, row);
  }
  const rank = (row) => (row.file.startsWith('tests/faults/') ? 0 : 1);
  return [...rows.values()].sort((a, b) => rank(a) - rank(b) || a.file.localeCompare(b.file) || a.fault.localeCompare(b.fault));
}

function markdownTable(rows) {
  const lines = [
    '| Fault injected | Times | Edits acknowledged | Failed visibly (not acknowledged) | Lost | Half-written | Test |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const row of rows) {
    lines.push(`| ${row.fault} | ${row.injected} | ${row.acknowledged} | ${row.unacknowledged} | ${row.lost} | ${row.halfWritten} | \`${row.file}\` |`);
  }
  const total = (key) => rows.reduce((sum, row) => sum + row[key], 0);
  lines.push(`| **Total** | **${total('injected')}** | **${total('acknowledged')}** | **${total('unacknowledged')}** | **${total('lost')}** | **${total('halfWritten')}** | |`);
  return lines.join('\n');
}

/** Replaces the table between the markers in README.md. */
function writeReadme(table) {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) fail(`${README} has no "${START}" … "${END}" markers to put the table between.`);
  writeFileSync(README, `${text.slice(0, start + START.length)}\n${table}\n${text.slice(end)}`);
  console.log(`Wrote the table into ${README}.`);
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

const rows = summarize(readLedger());
const table = markdownTable(rows);
console.log(`\nFault injection (${LEDGER}):\n\n${table}\n`);
if (process.argv.includes('--write-readme')) writeReadme(table);

const problems = [
  ...rows.filter((row) => row.lost > 0).map((row) => `${row.lost} acknowledged edit(s) lost: ${row.fault}`),
  ...rows.filter((row) => row.halfWritten > 0).map((row) => `${row.halfWritten} record(s) half-written: ${row.fault}`),
  ...rows.filter((row) => row.injected === 0).map((row) => `never injected (the test broke nothing): ${row.fault}`),
];
if (problems.length > 0) fail(`Fault report FAILED:\n- ${problems.join('\n- ')}`);
console.log(`Fault report: ${rows.length} faults, nothing lost.`);
