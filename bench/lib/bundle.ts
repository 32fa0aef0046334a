/**
 * Bundles the bench's in-page code (bench/browser/page-bench.ts: our
 * anchoring and painting, both libraries, the checker) into one classic
 * script with esbuild, to inject into a lesson page.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('../browser/page-bench.ts', import.meta.url));
let bundled: Promise<string> | null = null;

/** The in-page bench as script text (built once per process). */
export function pageBenchScript(): Promise<string> {
  bundled ??= build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  }).then((result) => result.outputFiles[0]!.text);
  return bundled;
}
