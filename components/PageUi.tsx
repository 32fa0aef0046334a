import type { PageUiActions, PageUiState } from '../page/page-ui-state';
import { ColorButtons } from './ColorButtons';
import { MarginNotes, NoteIcon } from './MarginNotes';
import { NotePanel, type PanelAnnotation } from './NotePanel';
import { NotesDock } from './NotesDock';
import { Popover } from './Popover';
import type { Strings } from './strings';
import { Toast } from './Toast';

export interface PageUiProps {
  state: PageUiState;
  strings: Strings;
  actions: PageUiActions;
  /** Looks up the highlight a note panel shows. */
  annotation(id: string): PanelAnnotation | null;
}

/** Everything we show on a lesson page: toolbar, highlight menu, margin notes, panels, toast. */
export function PageUi({ state, strings, actions, annotation }: PageUiProps) {
  const { toolbar, menu, toast, margin, panel, editor } = state;
  return (
    <>
      {margin && <MarginNotes margin={margin} editor={editor} hoveredId={state.hoveredId} strings={strings} actions={actions} />}
      {margin && (
        <NotesDock
          hasLessonNote={state.hasLessonNote}
          unplacedCount={state.orphans.length}
          strings={strings}
          onLessonNote={actions.openLessonNote}
          onUnplaced={actions.openUnplaced}
        />
      )}
      {panel && (
        <NotePanel
          panel={panel}
          placement={margin?.mode === 'cards' && panel.type !== 'note' ? 'drawer' : 'sheet'}
          editor={editor}
          annotation={panel.type === 'note' ? annotation(panel.id) : null}
          orphans={state.orphans}
          lessonNoteVersions={state.lessonNoteVersions}
          strings={strings}
          actions={actions}
        />
      )}
      {toolbar && (
        <Popover label={strings.toolbarLabel} top={toolbar.top} left={toolbar.left} onEscape={actions.dismiss}>
          <ColorButtons strings={strings} onPick={actions.pickToolbarColor} />
          <span class="divider" aria-hidden="true" />
          <button type="button" class="text-button with-icon" onClick={actions.addNoteFromToolbar}>
            <NoteIcon />
            {strings.noteAdd}
          </button>
        </Popover>
      )}
      {menu && (
        <Popover label={strings.menuLabel} top={menu.top} left={menu.left} onEscape={actions.dismiss}>
          <ColorButtons strings={strings} current={menu.color} onPick={actions.pickMenuColor} />
          <span class="divider" aria-hidden="true" />
          <button type="button" class="text-button with-icon" onClick={actions.editNoteFromMenu}>
            <NoteIcon />
            {menu.hasNote ? strings.noteEdit : strings.noteAdd}
          </button>
          <button type="button" class="text-button danger" onClick={actions.deleteFromMenu}>
            {strings.deleteHighlight}
          </button>
        </Popover>
      )}
      {toast && <Toast toast={toast} strings={strings} onUndo={actions.undo} onDismiss={actions.dismiss} />}
    </>
  );
}
