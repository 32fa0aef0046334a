/**
 * The browsers the bench drives: the same Debian Chromium as the e2e tests,
 * headless, with time.geekbang.org mapped to the local fixture site. A plain
 * one (no extension) for in-page measurements and baselines; the extension
 * one comes from tests/e2e/harness.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../tests/e2e/harness';

const CHROMIUM_PATHS = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'];

export function chromiumPath(): string {
  const path = CHROMIUM_PATHS.find((candidate) => existsSync(candidate));
  if (!path) throw new Error('Debian chromium is not installed (apt-get install -y chromium)');
  return path;
}

/** "Chromium 156.0.8078.108", from the binary itself. */
export function chromiumVersion(): string {
  try {
    return execFileSync(chromiumPath(), ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch (error) {
    return `unknown (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
}


export const VIEWPORT = { width: 1440, height: 900 };

export function launchPlainBrowser(): Promise<Browser> {
  // The e2e harness's flags, without the extension.
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: [...CHROMIUM_ARGS] });
}
