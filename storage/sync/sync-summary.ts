/**
 * One line about sync for the popup's small indicator: the worst of the
 * enabled ways wins (an error over pending changes over all synced).
 */
import type { SyncStatus } from './sync-status';

export interface SyncSummary {
  state: 'ok' | 'pending' | 'error';
  /** Which way, and its error in words (error) or when it last succeeded. */
  way: SyncStatus['way'];
  error: string | null;
  lastSuccessAt: number | null;
}

/** The summary of the enabled ways, or null when no way of syncing is on. */
export function summarizeSync(statuses: ReadonlyArray<SyncStatus | null | undefined>): SyncSummary | null {
  const enabled = statuses.filter((status): status is SyncStatus => Boolean(status?.enabled));
  if (enabled.length === 0) return null;
  const rank = (status: SyncStatus) => (status.lastError ? 2 : status.pendingChanges > 0 ? 1 : 0);
  const worst = enabled.reduce((a, b) => (rank(b) > rank(a) ? b : a));
  const state = (['ok', 'pending', 'error'] as const)[rank(worst)]!;
  return { state, way: worst.way, error: worst.lastError, lastSuccessAt: worst.lastSuccessAt };
}
