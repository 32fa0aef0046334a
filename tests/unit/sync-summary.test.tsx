import { describe, expect, test } from 'vitest';
import { summarizeSync } from '../../storage/sync/sync-summary';
import type { SyncStatus } from '../../storage/sync/sync-status';

const status = (patch: Partial<SyncStatus>): SyncStatus => ({
  way: 'browser',
  enabled: true,
  lastSuccessAt: 1000,
  pendingChanges: 0,
  lastError: null,
  ...patch,
});

describe('the popup\'s sync indicator', () => {
  test('is absent when no way of syncing is on', () => {
    expect(summarizeSync([null, status({ enabled: false })])).toBeNull();
  });

  test('shows the worst enabled way: an error over pending changes over synced', () => {
    expect(summarizeSync([status({})])?.state).toBe('ok');
    expect(summarizeSync([status({}), status({ way: 'server', pendingChanges: 3 })])?.state).toBe('pending');
    const failed = summarizeSync([status({ pendingChanges: 2 }), status({ way: 'server', lastError: 'The server said 401: check the password.' })]);
    expect(failed).toEqual({ state: 'error', way: 'server', error: 'The server said 401: check the password.', lastSuccessAt: 1000 });
  });
});

describe('SyncIndicator', () => {
  test('says the failing way\'s reason in words, and shows nothing when sync is off', async () => {
    const { render } = await import('preact');
    const { SyncIndicator } = await import('../../components/SyncIndicator');
    const words = { ok: 'Synced', pending: 'Changes waiting to sync', error: (reason: string) => `Sync problem: ${reason}` };
    const root = document.createElement('div');

    render(<SyncIndicator summary={{ state: 'error', way: 'server', error: 'the server is down', lastSuccessAt: null }} words={words} />, root);
    expect(root.querySelector('.sync-indicator')?.getAttribute('aria-label')).toBe('Sync problem: the server is down');

    render(<SyncIndicator summary={null} words={words} />, root);
    expect(root.querySelector('.sync-indicator')).toBeNull();
  });
});
