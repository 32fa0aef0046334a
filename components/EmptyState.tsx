import type { ComponentChildren } from 'preact';

export interface EmptyStateProps {
  title: string;
  hint?: string;
  children?: ComponentChildren;
}

/** Says why a list is empty and what to do about it. */
export function EmptyState({ title, hint, children }: EmptyStateProps) {
  return (
    <div class="empty-state">
      <svg viewBox="0 0 48 48" width="40" height="40" aria-hidden="true">
        <rect x="8" y="10" width="32" height="28" rx="5" fill="none" stroke="currentColor" stroke-width="2" />
        <path d="M15 20h18M15 26h10" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
        <path d="M15 32h14" stroke="var(--mark, #ffd400)" stroke-width="5" stroke-linecap="round" opacity="0.7" />
      </svg>
      <p class="empty-title">{title}</p>
      {hint && <p class="empty-hint">{hint}</p>}
      {children}
    </div>
  );
}
