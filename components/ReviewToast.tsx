import type { ReviewToastState } from './use-review-data';
import type { ReviewStrings } from './review-strings';

export interface ReviewToastProps {
  toast: ReviewToastState;
  strings: ReviewStrings;
  onUndo(): void;
  onDismiss(): void;
}

/** A message at the bottom: an undo offer, a confirmation, or an error in words. */
export function ReviewToast({ toast, strings, onUndo, onDismiss }: ReviewToastProps) {
  return (
    <div class={`review-toast toast-${toast.type}`} role={toast.type === 'error' ? 'alert' : 'status'}>
      <span class="toast-message">{toast.message}</span>
      {toast.type === 'undo' && (
        <button type="button" class="toast-action" onClick={onUndo}>
          {strings.undo}
        </button>
      )}
      <button
        type="button"
        class="toast-close"
        aria-label={strings.dismiss}
        title={strings.dismiss}
        onClick={onDismiss}
      >
        ×
      </button>
    </div>
  );
}
