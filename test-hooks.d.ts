/**
 * True only in the build with test hooks (scripts/build-test.mjs); a
 * compile-time constant, so production code paths guarded by it vanish.
 */
declare const __LH_TEST_HOOKS__: boolean;
