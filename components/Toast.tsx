import type { ToastState } from '../page/page-ui-state';
import type { Strings } from './strings';

export interface ToastProps {
  toast: ToastState;
  strings: Strings;
  onUndo(): void;
  onDismiss(): void;
}

/** A message at the bottom of the window: an undo offer, or an error in words. */
export function Toast({ toast, strings, onUndo, onDismiss }: ToastProps) {
  return (
    <div class={`toast toast-${toast.type}`} role={toast.type === 'error' ? 'alert' : 'status'}>
      <span class="toast-message">{toast.message}</span>
      {toast.type === 'undo' && (
        <button type="button" class="toast-action" onClick={onUndo}>
          {strings.undo}
        </button>
      )}
      <button type="button" class="toast-close" aria-label={strings.dismiss} onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
