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
  hasNote: boolean;
  top: number;
  left: number;
}

/** A short message at the bottom of the page; `undo` offers to revert a deletion. */
export type ToastState =
  | { type: 'undo'; message: string }
  | { type: 'error'; message: string };

/**
 * A conflict version of a note (issue #5): a text written at the same time
 * on another profile, shown under the note for the reader to restore.
 */
export interface NoteVersionState {
  /** Names the version in the restore request, and tells when it was written. */
  stamp: string;
  text: string;
}

/** A note card in the margin. `top` is in the scrolling content's coordinates. */
export interface NoteCardState {
  id: string;
  top: number;
  color: HighlightColor;
  note: string;
  /** With conflict versions (usually none): every version of the note, the shown one first (`conflictStates`). */
  versions: NoteVersionState[];
}

/** A highlight as a note panel shows it: its quote, note and the note's conflict versions. */
export interface PanelAnnotationState {
  id: string;
  quote: string;
  note: string;
  color: HighlightColor;
  versions: NoteVersionState[];
}

/** A small marker beside an annotated line, used when the margin is too narrow for cards. */
export interface NoteMarkerState {
  id: string;
  top: number;
  color: HighlightColor;
}

/** The margin beside the lesson column: cards, or markers when it is too narrow. */
export interface MarginState {
  mode: 'cards' | 'markers';
  /** Visible margin area, viewport coordinates. */
  clip: { top: number; left: number; width: number; height: number };
  cardWidth: number;
  markerLeft: number;
  /** Content coordinate 0 relative to `clip.top`; updated directly on scroll. */
  offset: number;
  cards: NoteCardState[];
  markers: NoteMarkerState[];
}

/** What a note editor edits: a highlight's note or the lesson's page-level note. */
export type EditorTarget = { type: 'annotation'; id: string } | { type: 'lesson' };

/** The open note editor. `text` is what the reader typed, saved or not. */
export interface EditorState {
  target: EditorTarget;
  text: string;
  /** `saved`: `text` is stored; `dirty`: waiting for autosave; `error`: see `message`. */
  status: 'saved' | 'dirty' | 'saving' | 'error';
  message: string | null;
}

/** A side or bottom panel: one note (markers mode), the lesson note, or the unplaced highlights. */
export type PanelState = { type: 'note'; id: string } | { type: 'lesson' } | { type: 'unplaced' };

/** A highlight that could not be placed on the page, listed so its note is never lost. */
export interface OrphanState {
  id: string;
  quote: string;
  note: string;
  color: HighlightColor;
}

export interface PageUiState {
  toolbar: ToolbarState | null;
  menu: MenuState | null;
  toast: ToastState | null;
  margin: MarginState | null;
  editor: EditorState | null;
  panel: PanelState | null;
  orphans: OrphanState[];
  /** The highlight under the pointer, emphasised in the margin too. */
  hoveredId: string | null;
  /** Whether the lesson has a page-level note (shown on its button). */
  hasLessonNote: boolean;
  /** With conflict versions: every version of the lesson's page-level note, the shown one first. */
  lessonNoteVersions: NoteVersionState[];
}

/** What the UI reports back when the reader acts. */
export interface PageUiActions {
  pickToolbarColor(color: HighlightColor): void;
  addNoteFromToolbar(): void;
  pickMenuColor(color: HighlightColor): void;
  editNoteFromMenu(): void;
  deleteFromMenu(): void;
  undo(): void;
  dismiss(): void;
  /** Show a highlight's note: edit it in its card, or show it in the panel (markers, unplaced). */
  openNote(id: string): void;
  /** Open a highlight's note in the editor. */
  editNote(id: string): void;
  openLessonNote(): void;
  openUnplaced(): void;
  closePanel(): void;
  hoverNote(id: string | null): void;
  editText(text: string): void;
  saveNote(): void;
  closeEditor(): void;
  deleteNote(): void;
  /** Make a conflict version of a highlight's note the note (the replaced text becomes a version). */
  restoreNoteVersion(id: string, stamp: string): void;
  /** The same for the lesson's page-level note. */
  restoreLessonNoteVersion(stamp: string): void;
}

export const EMPTY_UI_STATE: PageUiState = {
  toolbar: null,
  menu: null,
  toast: null,
  margin: null,
  editor: null,
  panel: null,
  orphans: [],
  hoveredId: null,
  hasLessonNote: false,
  lessonNoteVersions: [],
};

/** Sizes used to place popovers before they render (kept in sync with components' CSS). */
export const TOOLBAR_SIZE = { width: 300, height: 44 };
export const MENU_SIZE = { width: 380, height: 44 };
