/**
 * Test builds only (issue #8): follows the stored count of database writes
 * that should fail (storage/write-faults.ts). The background calls this only
 * under `__LH_TEST_HOOKS__`, so production bundles do not contain it.
 */
import { browser } from 'wxt/browser';
import { createWriteFaults, FAIL_WRITES_KEY, type WriteFaults } from '../../storage/write-faults';

/** Starts the fault hook; registered synchronously so a change that wakes the worker reaches it. */
export function startWriteFaults(): WriteFaults {
  const faults = createWriteFaults(browser.storage.local);
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && FAIL_WRITES_KEY in changes) faults.onStoredCount(changes[FAIL_WRITES_KEY]?.newValue);
  });
  return faults;
}
