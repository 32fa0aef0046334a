import { HIGHLIGHT_COLORS, type HighlightColor } from '../storage/model';
import { colorName, type Strings } from './strings';

export interface ColorButtonsProps {
  strings: Strings;
  /** The color currently applied, shown as pressed. */
  current?: HighlightColor;
  onPick(color: HighlightColor): void;
}

/** The five highlighter colors as round swatch buttons. */
export function ColorButtons({ strings, current, onPick }: ColorButtonsProps) {
  return (
    <>
      {HIGHLIGHT_COLORS.map((color) => (
        <button
          key={color}
          type="button"
          class={`swatch swatch-${color}`}
          aria-label={colorName(strings, color)}
          title={colorName(strings, color)}
          aria-pressed={current === undefined ? undefined : current === color}
          onClick={() => onPick(color)}
        />
      ))}
    </>
  );
}
