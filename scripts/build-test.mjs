#!/usr/bin/env node
/**
 * Builds the extension with its test hooks (`.output/test/<browser>-mv3`):
 * the end-to-end tests drive this build. It differs from the production
 * build in two ways only, both decided in wxt.config.ts:
 * - our in-page UI sits in an *open* shadow root, so Playwright can reach it
 *   (production: closed, so the lesson page's scripts cannot read notes);
 * - the permissions a reader grants at run time through a browser prompt
 *   (the loopback sync server's host, downloads for backups) are granted at
 *   install, because no test can click a browser's permission prompt.
 * Usage: node scripts/build-test.mjs [chrome|firefox]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const browser = process.argv[2] ?? 'chrome';
const wxt = fileURLToPath(new URL('../node_modules/wxt/bin/wxt.mjs', import.meta.url));
const args = [wxt, 'build', ...(browser === 'chrome' ? [] : ['-b', browser])];
const result = spawnSync(process.execPath, args, {
  stdio: 'inherit',
  env: { ...process.env, LH_TEST_HOOKS: '1' },
});
process.exit(result.status ?? 1);
