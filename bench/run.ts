/**
 * `npm run bench` (after `npm run build`): runs every suite in bench/suites,
 * prints one table to stdout and writes bench/results.json.
 *   --tiny (or BENCH_TINY=1)  the smoke configuration: small inputs, few runs
 *   --only <name>[,<name>]     run only the matching suites
 *   --out <file>               write the results elsewhere
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { runBench } from './lib/runner';

const { values } = parseArgs({
  options: {
    tiny: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
  },
});

const outcome = await runBench({
  tiny: values.tiny || process.env.BENCH_TINY === '1',
  only: values.only?.split(',').filter(Boolean),
  outFile: values.out ?? fileURLToPath(new URL('./results.json', import.meta.url)),
});
process.stdout.write(`${outcome.table}\n`);
process.exitCode = outcome.exitCode;
