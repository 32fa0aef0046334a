import { useLayoutEffect, useRef } from 'preact/hooks';
import type { EditorState, PageUiActions } from '../page/page-ui-state';
import { MAX_NOTE_LENGTH } from '../storage/model';
import type { Strings } from './strings';

/** The counter appears when the note gets this close to the limit. */
const COUNTER_THRESHOLD = MAX_NOTE_LENGTH - 1000;

export interface NoteEditorProps {
  editor: EditorState;
  strings: Strings;
  placeholder: string;
  onText(text: string): void;
  /** Save and stop editing (Save button, Ctrl/Cmd+Enter). */
  onSave(): void;
  /** Stop editing; unsaved text is saved first (Esc, Close). */
  onClose(): void;
  onDelete?(): void;
}

/** A note's textarea with autosave status, a length counter near the limit, and its buttons. */
export function NoteEditor({ editor, strings, placeholder, onText, onSave, onClose, onDelete }: NoteEditorProps) {
  const textarea = useRef<HTMLTextAreaElement>(null);
  const targetKey = editor.target.type === 'lesson' ? 'lesson' : editor.target.id;
  // Focus as soon as the editor is in the page, before the reader's next key.
  useLayoutEffect(() => {
    const element = textarea.current;
    if (!element) return;
    element.focus();
    element.setSelectionRange(element.value.length, element.value.length);
  }, [targetKey]);
  useLayoutEffect(() => {
    // Grow with the text (CSS caps the height), so nothing hides behind a scrollbar.
    const element = textarea.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${element.scrollHeight + 2}px`;
  }, [editor.text]);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onSave();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
  };
  const length = editor.text.length;
  const over = length > MAX_NOTE_LENGTH;
  return (
    <div class="editor" onClick={(event) => event.stopPropagation()} onKeyDown={onKeyDown}>
      <textarea
        ref={textarea}
        class={over ? 'invalid' : undefined}
        aria-label={strings.noteLabel}
        aria-invalid={over}
        placeholder={placeholder}
        value={editor.text}
        rows={4}
        onInput={(event) => onText(event.currentTarget.value)}
      />
      <div class="editor-status">
        <EditorStatus editor={editor} strings={strings} />
        {length > COUNTER_THRESHOLD && (
          <span class={`counter${over ? ' over' : ''}`}>
            {length.toLocaleString()} / {MAX_NOTE_LENGTH.toLocaleString()}
          </span>
        )}
      </div>
      <div class="editor-actions">
        {onDelete && (
          <button type="button" class="text-button danger" onClick={onDelete}>
            {strings.noteDelete}
          </button>
        )}
        <span class="spacer" />
        <button type="button" class="text-button" onClick={onClose}>
          {strings.noteClose}
        </button>
        <button type="button" class="primary-button" disabled={over} onClick={onSave} title={strings.noteKeys}>
          {strings.noteSave}
        </button>
      </div>
    </div>
  );
}

function EditorStatus({ editor, strings }: { editor: EditorState; strings: Strings }) {
  if (editor.status === 'error') {
    return (
      <span class="status error" role="alert">
        {editor.message}
      </span>
    );
  }
  const words = { saved: strings.noteSaved, dirty: strings.noteUnsaved, saving: strings.noteSaving }[editor.status];
  return (
    <span class="status" role="status">
      {editor.text || editor.status !== 'saved' ? words : strings.noteKeys}
    </span>
  );
}

/** The editor of a highlight's note, wired to the page UI's actions (in a card or in the panel). */
export function HighlightNoteEditor({ editor, strings, actions }: { editor: EditorState; strings: Strings; actions: PageUiActions }) {
  return (
    <NoteEditor
      editor={editor}
      strings={strings}
      placeholder={strings.notePlaceholder}
      onText={actions.editText}
      onSave={actions.saveNote}
      onClose={actions.closeEditor}
      onDelete={actions.deleteNote}
    />
  );
}
