import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Two projects: fast unit tests (happy-dom, fake browser APIs) and end-to-end
// tests that drive the built extension in real Chromium (run after `wxt build`)
// and, in firefox.test.ts, in real Firefox (after `wxt build -b firefox`).
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [WxtVitest()],
        // Unit tests look inside the page UI's shadow root, as the build with test hooks allows.
        define: { __LH_TEST_HOOKS__: 'true' },
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['tests/unit/setup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 90_000,
          // One browser at a time: the machine has two cores.
          fileParallelism: false,
        },
      },
      {
        // Fault injection (issue #8): `npm run test:faults` runs this project, then
        // scripts/fault-report.mjs prints the ledger it wrote. Besides the browser
        // tests in tests/faults, it re-runs the unit tests that already inject
        // faults (sync stopped at every step, server down, 409 storms, bad import
        // files) with LH_FAULT_LEDGER set, so they add their counts to the ledger:
        // one copy of each test, and `npm run test:unit` (no variable) unchanged.
        define: { __LH_TEST_HOOKS__: 'true' },
        test: {
          name: 'faults',
          include: [
            'tests/faults/**/*.test.ts',
            'tests/unit/couch-resume.test.ts',
            'tests/unit/couch-failures.test.ts',
            'tests/unit/couch-conflicts.test.ts',
            'tests/unit/import-file.test.ts',
          ],
          environment: 'node',
          // IndexedDB for the import tests' Dexie (the browser tests use the real one).
          setupFiles: ['tests/unit/setup.ts'],
          globalSetup: ['tests/faults/ledger-setup.ts'],
          env: { LH_FAULT_LEDGER: 'test-results/fault-ledger.json' },
          testTimeout: 180_000,
          hookTimeout: 90_000,
          // One file (and one browser) at a time: the ledger is appended to, and the machine has two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
