import { useEffect, useRef, useState } from 'preact/hooks';
import type { ReviewStrings } from './review-strings';

export interface ReviewNoteEditorProps {
  initial: string;
  strings: ReviewStrings;
  onSave(note: string): void | Promise<unknown>;
  onCancel(): void;
}

/** Edits a note in place: Ctrl/Cmd+Enter saves, Escape cancels. */
export function ReviewNoteEditor({ initial, strings, onSave, onCancel }: ReviewNoteEditorProps) {
  const [text, setText] = useState(initial);
  const [saving, setSaving] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const area = ref.current;
    if (!area) return;
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
  }, []);
  const save = async () => {
    setSaving(true);
    try {
      // A failed save leaves the editor open with the text (the reason is shown by the list, issue #8).
      await onSave(text);
    } finally {
      // Even a save that threw must not leave Save disabled: the reader retries with the same text.
      setSaving(false);
    }
  };
  const onKeyDown = (event: KeyboardEvent) => {
    // Keys typed here are the note's, not the list's (Delete must not delete the highlight).
    event.stopPropagation();
    if (event.key === 'Escape') {
      event.preventDefault();
      onCancel();
    } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void save();
    }
  };
  return (
    <div class="note-editor">
      <textarea
        ref={ref}
        aria-label={strings.noteLabel}
        placeholder={strings.notePlaceholder}
        value={text}
        rows={3}
        onInput={(event) => setText(event.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      <div class="note-editor-actions">
        <button type="button" class="button subtle" onClick={onCancel}>
          {strings.cancel}
        </button>
        <button type="button" class="button primary" disabled={saving} onClick={() => void save()}>
          {strings.save}
        </button>
      </div>
    </div>
  );
}
