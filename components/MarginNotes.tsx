import type { EditorState, MarginState, PageUiActions } from '../page/page-ui-state';
import { NoteCard } from './NoteCard';
import { HighlightNoteEditor } from './NoteEditor';
import type { Strings } from './strings';

export interface MarginNotesProps {
  margin: MarginState;
  editor: EditorState | null;
  hoveredId: string | null;
  strings: Strings;
  actions: PageUiActions;
}

/**
 * The margin beside the lesson: note cards aligned with their highlights, or
 * small markers when there is no room. The layer's transform follows the
 * lesson's scrolling (set directly by the UI host between renders).
 */
export function MarginNotes({ margin, editor, hoveredId, strings, actions }: MarginNotesProps) {
  const { clip } = margin;
  const editingId = editor?.target.type === 'annotation' ? editor.target.id : null;
  return (
    <div
      class={`margin-clip margin-${margin.mode}`}
      aria-label={strings.noteCardsLabel}
      role="region"
      style={{ top: `${clip.top}px`, left: `${clip.left}px`, width: `${clip.width}px`, height: `${clip.height}px` }}
    >
      <div class="margin-layer" style={{ transform: `translateY(${margin.offset}px)` }}>
        {margin.cards.map((card) => (
          <NoteCard
            key={card.id}
            card={card}
            width={margin.cardWidth}
            emphasized={card.id === hoveredId}
            editor={card.id === editingId ? editor : null}
            strings={strings}
            onOpen={actions.openNote}
            onHover={actions.hoverNote}
            onRestoreVersion={actions.restoreNoteVersion}
          >
            {card.id === editingId && editor && (
              <HighlightNoteEditor editor={editor} strings={strings} actions={actions} />
            )}
          </NoteCard>
        ))}
        {margin.markers.map((marker) => (
          <button
            key={marker.id}
            type="button"
            class={`marker marker-${marker.color}${marker.id === hoveredId ? ' emphasized' : ''}`}
            style={{ top: `${marker.top}px`, left: `${margin.markerLeft}px` }}
            aria-label={strings.noteShow}
            onClick={() => actions.openNote(marker.id)}
            onMouseEnter={() => actions.hoverNote(marker.id)}
            onMouseLeave={() => actions.hoverNote(null)}
          >
            <NoteIcon />
          </button>
        ))}
      </div>
    </div>
  );
}

/** A small speech-bubble glyph. */
export function NoteIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path
        d="M3 2.5h10a1.5 1.5 0 0 1 1.5 1.5v6a1.5 1.5 0 0 1-1.5 1.5H8l-3.2 2.6V11.5H3A1.5 1.5 0 0 1 1.5 10V4A1.5 1.5 0 0 1 3 2.5z"
        fill="currentColor"
      />
    </svg>
  );
}
