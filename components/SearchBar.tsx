import type { Ref } from 'preact';
import { HIGHLIGHT_COLORS, type HighlightColor } from '../storage/model';
import type { ReviewStrings } from './review-strings';

export interface SearchBarProps {
  query: string;
  colors: ReadonlySet<HighlightColor>;
  strings: ReviewStrings;
  inputRef?: Ref<HTMLInputElement>;
  onQuery(query: string): void;
  onToggleColor(color: HighlightColor): void;
  /** Arrow Down in the box: move into the results. */
  onEnterResults(): void;
  /** Focus the box when the page opens (the popup: type to search at once). */
  autoFocus?: boolean;
}

/** The search box and the color filter; results follow every keystroke. */
export function SearchBar({
  query,
  colors,
  strings,
  inputRef,
  onQuery,
  onToggleColor,
  onEnterResults,
  autoFocus,
}: SearchBarProps) {
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      onEnterResults();
    } else if (event.key === 'Escape' && query !== '') {
      // Escape clears the box first; a second one may close the popup.
      event.preventDefault();
      onQuery('');
    }
  };
  return (
    <div class="search-bar">
      <div class="search-field">
        <SearchIcon />
        <input
          ref={inputRef}
          type="search"
          aria-label={strings.searchLabel}
          placeholder={strings.searchPlaceholder}
          value={query}
          autoComplete="off"
          autoFocus={autoFocus}
          spellcheck={false}
          onInput={(event) => onQuery(event.currentTarget.value)}
          onKeyDown={onKeyDown}
        />
        {query !== '' && (
          <button
            type="button"
            class="clear-button"
            aria-label={strings.clearSearch}
            title={strings.clearSearch}
            onClick={() => onQuery('')}
          >
            ×
          </button>
        )}
      </div>
      <div class={`color-filter${colors.size > 0 ? ' filtering' : ''}`} role="group" aria-label={strings.filterLabel}>
        {HIGHLIGHT_COLORS.map((color) => (
          <button
            key={color}
            type="button"
            class={`swatch dot-${color}`}
            aria-label={strings.colors[color]}
            title={strings.colors[color]}
            aria-pressed={colors.has(color)}
            onClick={() => onToggleColor(color)}
          />
        ))}
      </div>
    </div>
  );
}

function SearchIcon() {
  return (
    <svg class="search-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <circle cx="7" cy="7" r="4.75" fill="none" stroke="currentColor" stroke-width="1.5" />
      <path d="M10.5 10.5 14 14" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" />
    </svg>
  );
}
