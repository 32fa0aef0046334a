/**
 * What our in-page UI shows, as plain data. The lesson controller decides it;
 * components render it. Coordinates are viewport pixels (the UI is fixed).
 */
import type { HighlightColor } from '../storage/model';

/** The color toolbar shown for a fresh selection. */
export interface ToolbarState {
  top: number;
  left: number;
}

/** The menu of a clicked highlight. */
export interface MenuState {
  annotationId: string;
  color: HighlightColor;
  top: number;
  left: number;
}

/** A short message at the bottom of the page; `undo` offers to revert a deletion. */
export type ToastState =
  | { type: 'undo'; message: string }
  | { type: 'error'; message: string };

export interface PageUiState {
  toolbar: ToolbarState | null;
  menu: MenuState | null;
  toast: ToastState | null;
}

/** What the UI reports back when the reader acts. */
export interface PageUiActions {
  pickToolbarColor(color: HighlightColor): void;
  pickMenuColor(color: HighlightColor): void;
  deleteFromMenu(): void;
  undo(): void;
  dismiss(): void;
}

export const EMPTY_UI_STATE: PageUiState = { toolbar: null, menu: null, toast: null };

/** Sizes used to place popovers before they render (kept in sync with components' CSS). */
export const TOOLBAR_SIZE = { width: 196, height: 44 };
export const MENU_SIZE = { width: 276, height: 44 };
