// @ts-check
/**
 * `npm run lint:firefox`: Mozilla's own linter (`web-ext lint`, the checks
 * addons.mozilla.org runs on upload) over the Firefox build (issue #7).
 * Fails on any error, and on any warning that README "Firefox" does not
 * explain: each explained warning is recognised by its code AND by the
 * source text it points at, so a new warning of the same kind still fails.
 *
 * Usage: node scripts/lint-firefox.mjs [extension dir, default .output/firefox-mv3]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEB_EXT = path.join(ROOT, 'node_modules', 'web-ext', 'bin', 'web-ext.js');
/** How far (characters) around the reported column the patterns below are looked for. */
const CONTEXT_CHARS = 80;

/**
 * The warnings README "Firefox" explains: code lines in bundled libraries
 * that our code never reaches. A pattern must match text that covers the
 * column the linter reports.
 * @type {Array<{ code: string, why: string, source: RegExp }>}
 */
const EXPLAINED = [
  {
    code: 'UNSAFE_VAR_ASSIGNMENT',
    why: "Preact's support for dangerouslySetInnerHTML, which we never use",
    source: /[\w$]+\.innerHTML\s*=\s*[\w$]+\.__html/g,
  },
  {
    code: 'UNSAFE_VAR_ASSIGNMENT',
    why: 'the content script (loader.js) importing our own packaged lesson code (runtime.getURL of lesson.js), on lesson pages only',
    source: /import\([\w$]+\(\)\.getURL\(`\/lesson\.js`\)\)/g,
  },
  {
    code: 'DANGEROUS_EVAL',
    why: "zod's probe for whether eval is allowed; the extension's CSP says no, so zod never compiles code",
    source: /try\s*\{\s*return\s+Function\(``\)/g,
  },
];

/**
 * @typedef {{ code: string, message: string, file?: string, line?: number, column?: number }} LintMessage
 * @typedef {{ summary: { errors: number, warnings: number, notices: number }, errors: LintMessage[], warnings: LintMessage[], notices: LintMessage[] }} LintReport
 */

/** @param {string} sourceDir @returns {LintReport} */
function runWebExtLint(sourceDir) {
  const result = spawnSync(
    process.execPath,
    [WEB_EXT, 'lint', '--source-dir', sourceDir, '--output', 'json', '--no-input', '--no-config-discovery'],
    // No update check: nothing but the linter itself runs.
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_UPDATE_NOTIFIER: '1' }, maxBuffer: 64 * 1024 * 1024 },
  );
  const start = result.stdout.indexOf('{');
  if (start < 0) throw new Error(`web-ext lint printed no report:\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(result.stdout.slice(start));
}

/**
 * Whether the source text the warning points at matches `pattern`.
 * @param {string} sourceDir @param {LintMessage} warning @param {RegExp} pattern
 */
function pointsAt(sourceDir, warning, pattern) {
  if (!warning.file || warning.line === undefined || warning.column === undefined) return false;
  const file = path.join(sourceDir, warning.file);
  if (!existsSync(file)) return false;
  const line = readFileSync(file, 'utf8').split('\n')[warning.line - 1] ?? '';
  const from = Math.max(0, warning.column - CONTEXT_CHARS);
  const text = line.slice(from, warning.column + CONTEXT_CHARS);
  const at = warning.column - from;
  // Linters differ on whether the column is 0- or 1-based, start or middle: allow a few characters.
  return [...text.matchAll(pattern)].some((match) => match.index - 2 <= at && at <= match.index + match[0].length + 2);
}

/** @param {string} sourceDir @param {LintMessage} warning */
function explanationOf(sourceDir, warning) {
  return EXPLAINED.find((known) => known.code === warning.code && pointsAt(sourceDir, warning, known.source));
}

/** @param {LintMessage} message */
const where = (message) => `${message.file ?? 'manifest'}${message.line ? `:${message.line}:${message.column}` : ''}`;

function main() {
  const sourceDir = path.resolve(ROOT, process.argv[2] ?? '.output/firefox-mv3');
  if (!existsSync(path.join(sourceDir, 'manifest.json'))) {
    console.error(`No Firefox build at ${sourceDir}: run "npm run build:firefox" first.`);
    process.exit(1);
  }
  const report = runWebExtLint(sourceDir);
  let failed = report.errors.length > 0;
  for (const error of report.errors) console.error(`error   ${error.code} ${where(error)}: ${error.message}`);
  for (const warning of report.warnings) {
    const known = explanationOf(sourceDir, warning);
    if (known) {
      console.log(`warning ${warning.code} ${where(warning)}: explained in README: ${known.why}`);
    } else {
      failed = true;
      console.error(`warning ${warning.code} ${where(warning)}: ${warning.message} (not explained in README "Firefox")`);
    }
  }
  for (const notice of report.notices) console.log(`notice  ${notice.code} ${where(notice)}: ${notice.message}`);
  const { errors, warnings, notices } = report.summary;
  console.log(`web-ext lint: ${errors} errors, ${warnings} warnings, ${notices} notices`);
  if (failed) process.exit(1);
}

main();
