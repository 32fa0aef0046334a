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
    ],
  },
});
