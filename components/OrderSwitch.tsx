import type { ReviewStrings } from './review-strings';
import type { ReviewControls } from './use-review-view';

export interface OrderSwitchProps {
  controls: ReviewControls;
  strings: ReviewStrings;
}

/** Most recent first, or reading order, within each lesson. */
export function OrderSwitch({ controls, strings }: OrderSwitchProps) {
  return (
    <div class="segmented" role="group" aria-label={strings.orderLabel}>
      {(['recent', 'reading'] as const).map((order) => (
        <button
          key={order}
          type="button"
          aria-pressed={controls.order === order}
          onClick={() => controls.setOrder(order)}
        >
          {order === 'recent' ? strings.orderRecent : strings.orderReading}
        </button>
      ))}
    </div>
  );
}
