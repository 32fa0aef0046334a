import type { SyncSummary } from '../storage/sync/sync-summary';

export interface SyncIndicatorProps {
  summary: SyncSummary | null;
  /** The indicator's words for each state; `{error}` is the way's last error. */
  words: { ok: string; pending: string; error: (error: string) => string };
}

/** A small dot beside the popup's title: green when synced, amber while changes wait, red with the reason on failure. */
export function SyncIndicator({ summary, words }: SyncIndicatorProps) {
  if (!summary) return null;
  const text = summary.state === 'error' ? words.error(summary.error ?? '') : words[summary.state];
  return (
    <span class={`sync-indicator sync-${summary.state}`} role="img" aria-label={text} title={text}>
      <span class="sync-dot" aria-hidden="true" />
    </span>
  );
}
