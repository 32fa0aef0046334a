/**
 * `npm run demo` must keep working: the demo script, run headless in smoke
 * mode, starts the lesson site and a browser with the built extension, and
 * reports that the extension's service worker and the lesson page came up.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const DEMO_SCRIPT = resolve('scripts/demo.mjs');

interface Finished {
  code: number | null;
  output: string;
}

/** Runs the demo script to completion, collecting stdout and stderr together. */
function runDemo(args: string[]): Promise<Finished> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [DEMO_SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
  });
}

describe('npm run demo', () => {
  it('opens lesson 100001 in a browser with the extension running (headless smoke run)', async () => {
    const { code, output } = await runDemo(['--headless', '--smoke']);

    expect(output).toMatch(
      /demo smoke ok: extension [a-p]{32} on http:\/\/time\.geekbang\.org:\d+\/column\/article\/100001/,
    );
    expect(code, output).toBe(0);
  }, 90_000);
});
