import { NoteIcon } from './MarginNotes';
import type { Strings } from './strings';

export interface NotesDockProps {
  hasLessonNote: boolean;
  unplacedCount: number;
  strings: Strings;
  onLessonNote(): void;
  onUnplaced(): void;
}

/** Small buttons at the bottom right: the lesson note, and highlights that could not be placed. */
export function NotesDock({ hasLessonNote, unplacedCount, strings, onLessonNote, onUnplaced }: NotesDockProps) {
  return (
    <div class="dock">
      {unplacedCount > 0 && (
        <button type="button" class="dock-button warn" onClick={onUnplaced}>
          {strings.noteUnplaced} <span class="count">{unplacedCount}</span>
        </button>
      )}
      <button type="button" class={`dock-button${hasLessonNote ? ' filled' : ''}`} onClick={onLessonNote}>
        <NoteIcon />
        {strings.noteLessonNote}
      </button>
    </div>
  );
}
