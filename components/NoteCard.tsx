import { useState } from 'preact/hooks';
import type { EditorState, NoteCardState } from '../page/page-ui-state';
import { NoteMarkdown } from './NoteMarkdown';
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
}

/** One note in the margin, beside its highlight; clamped with "More" when long. */
export function NoteCard({ card, width, emphasized, editor, strings, children, onOpen, onHover }: NoteCardProps) {
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
        </>
      )}
    </div>
  );
}

/** Lines shown before "More" (matches `.card-body.clamped` in page-ui.css: 8em at line-height 1.6). */
const CLAMPED_LINES = 5;
/** Width units per card line: a CJK character is two, a Latin one, at the card's usual width. */
const UNITS_PER_LINE = 40;

/** Whether a note is likely longer than the clamped card shows. */
export function exceedsClamp(note: string): boolean {
  let lines = 0;
  for (const paragraph of note.split('\n')) {
    let units = 0;
    for (const char of paragraph) units += char.charCodeAt(0) > 0x2e80 ? 2 : 1;
    lines += Math.max(1, Math.ceil(units / UNITS_PER_LINE));
    if (lines > CLAMPED_LINES) return true;
  }
  return false;
}
