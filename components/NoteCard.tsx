import { useState } from 'preact/hooks';
import { exceedsClamp } from '../page/card-size';
import type { EditorState, NoteCardState } from '../page/page-ui-state';
import { NoteMarkdown } from './NoteMarkdown';
import { PageNoteVersions } from './PageNoteVersions';
import type { Strings } from './strings';

export interface NoteCardProps {
  card: NoteCardState;
  width: number;
  emphasized: boolean;
  /** Set when this card's note is being edited. */
  editor: EditorState | null;
  strings: Strings;
  children?: preact.ComponentChildren;
  onOpen(id: string): void;
  onHover(id: string | null): void;
  /** "Use this version" on one of the note's conflict versions. */
  onRestoreVersion(id: string, stamp: string): void;
}

/** One note in the margin, beside its highlight; clamped with "More" when long, with its conflict versions under it. */
export function NoteCard({ card, width, emphasized, editor, strings, children, onOpen, onHover, onRestoreVersion }: NoteCardProps) {
  const [expanded, setExpanded] = useState(false);
  // Judged from the text, not measured: measuring every card as it mounts
  // forced a layout per restore of 200 cards.
  const overflows = exceedsClamp(card.note);
  const classes = ['card', `card-${card.color}`, emphasized && 'emphasized', editor && 'editing'].filter(Boolean).join(' ');
  return (
    <div
      class={classes}
      role="note"
      data-note-card={card.id}
      style={{ top: `${card.top}px`, width: `${width}px` }}
      onMouseEnter={() => onHover(card.id)}
      onMouseLeave={() => onHover(null)}
      onClick={(event) => {
        if (!editor && !(event.target as Element).closest('a, button')) onOpen(card.id);
      }}
    >
      {editor ? (
        children
      ) : (
        <>
          <div class={`card-body${expanded ? '' : ' clamped'}`}>
            <NoteMarkdown text={card.note} />
          </div>
          {(overflows || expanded) && (
            <button
              type="button"
              class="more"
              aria-expanded={expanded}
              onClick={(event) => {
                event.stopPropagation();
                setExpanded(!expanded);
              }}
            >
              {expanded ? strings.noteLess : strings.noteMore}
            </button>
          )}
          <PageNoteVersions versions={card.versions} strings={strings} onRestore={(stamp) => onRestoreVersion(card.id, stamp)} />
        </>
      )}
    </div>
  );
}
