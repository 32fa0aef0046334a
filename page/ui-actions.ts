/** Routes the in-page UI's buttons to the current lesson's controller (if any). */
import type { LessonController } from './lesson-controller';
import type { PageUiActions } from './page-ui-state';

export function createUiActions(current: () => LessonController | null): PageUiActions {
  const notes = () => current()?.notesController;
  return {
    pickToolbarColor: (color) => void current()?.highlightSelection(color),
    addNoteFromToolbar: () => void current()?.highlightSelectionWithNote(),
    pickMenuColor: (color) => void current()?.recolorMenuHighlight(color),
    editNoteFromMenu: () => void current()?.editMenuNote(),
    deleteFromMenu: () => void current()?.deleteMenuHighlight(),
    undo: () => void current()?.undoDelete(),
    dismiss: () => current()?.dismiss(),
    openNote: (id) => void notes()?.openNote(id, { edit: current()?.marginMode() === 'cards' }),
    editNote: (id) => void notes()?.openNote(id, { edit: true }),
    openLessonNote: () => void notes()?.openLessonNote(),
    openUnplaced: () => void notes()?.openUnplaced(),
    closePanel: () => void notes()?.closePanel(),
    hoverNote: (id) => current()?.hoverNote(id),
    editText: (text) => notes()?.editText(text),
    // Save is the reader's "done": store the text, then show the note as a card again.
    saveNote: () => void notes()?.closeEditor(),
    closeEditor: () => void notes()?.closeEditor(),
    deleteNote: () => void notes()?.deleteNote(),
    restoreNoteVersion: (id, stamp) => void current()?.restoreNoteVersion(id, stamp),
    restoreLessonNoteVersion: (stamp) => void current()?.restoreLessonNoteVersion(stamp),
  };
}
