import type { Annotation, NoteVersion } from '../storage/model';
import { splitMatches } from '../storage/search';
import { NoteMarkdown } from './NoteMarkdown';
import { NoteVersions, type NoteVersionsLabels } from './NoteVersions';
import { ReviewNoteEditor } from './ReviewNoteEditor';
import { formatFullTime, formatRelativeTime } from './relative-time';
import type { ReviewStrings } from './review-strings';

/** What a list item can ask for. */
export interface ItemActions {
  open(id: string): void;
  remove(id: string): void;
  saveNote(id: string, note: string): Promise<boolean>;
  /** Starts (id) or ends (null) editing a note. */
  editNote(id: string | null): void;
  /** The item received focus: it becomes the list's tab stop. */
  focus(id: string): void;
  /** "Use this version" on a conflict version of the note (issue #5). */
  restoreVersion(id: string, stamp: string): void;
}

export interface AnnotationItemProps {
  annotation: Annotation;
  /** Search terms to emphasise. */
  terms: readonly string[];
  strings: ReviewStrings;
  now: number;
  /** The list's one tab stop (roving tabindex). */
  active: boolean;
  editing: boolean;
  actions: ItemActions;
  /** Marks the first item for the Element Timing API (the popup's first-paint measure). */
  timing?: string;
}

/** One highlight: color, quote, note, date, and its actions. */
export function AnnotationItem({
  annotation,
  terms,
  strings,
  now,
  active,
  editing,
  actions,
  timing,
}: AnnotationItemProps) {
  const { id, color, note } = annotation;
  const tabIndex = active ? 0 : -1;
  return (
    <li
      class={`item dot-${color}`}
      data-annotation-id={id}
      tabIndex={tabIndex}
      onFocus={(event) => event.target === event.currentTarget && actions.focus(id)}
    >
      <span class="dot" role="img" aria-label={strings.colors[color]} title={strings.colors[color]} />
      <div class="item-body">
        <blockquote class="quote" {...(timing ? { elementtiming: timing } : {})}>
          <Emphasised text={annotation.target.quote.exact} terms={terms} />
        </blockquote>
        {editing ? (
          <ReviewNoteEditor
            initial={note}
            strings={strings}
            onSave={async (text) => (await actions.saveNote(id, text)) && actions.editNote(null)}
            onCancel={() => actions.editNote(null)}
          />
        ) : (
          <>
            {note.trim() !== '' && (
              <div class="note">
                <NoteMarkdown text={note} renderText={(text) => <Emphasised text={text} terms={terms} />} />
              </div>
            )}
            <ReviewNoteVersions
              versions={annotation.sync?.notes}
              strings={strings}
              terms={terms}
              tabIndex={tabIndex}
              onRestore={(stamp) => actions.restoreVersion(id, stamp)}
            />
          </>
        )}
        <div class="meta">
          <time
            dateTime={new Date(annotation.updatedAt).toISOString()}
            title={formatFullTime(annotation.updatedAt, strings.locale)}
          >
            {formatRelativeTime(annotation.updatedAt, now, strings.locale)}
          </time>
          {annotation.anchorStatus === 'orphan' && (
            <span class="orphan" title={strings.orphanHint}>
              {strings.orphan}
            </span>
          )}
          <span class="actions">
            <button
              type="button"
              class="action"
              tabIndex={tabIndex}
              title={strings.openHint}
              onClick={() => actions.open(id)}
            >
              {strings.open}
            </button>
            {!editing && (
              <button type="button" class="action" tabIndex={tabIndex} onClick={() => actions.editNote(id)}>
                {note.trim() ? strings.editNote : strings.addNote}
              </button>
            )}
            <button type="button" class="action danger" tabIndex={tabIndex} onClick={() => actions.remove(id)}>
              {strings.delete}
            </button>
          </span>
        </div>
      </div>
    </li>
  );
}

export interface EmphasisedProps {
  text: string;
  terms: readonly string[];
}

/** `text` with every occurrence of the search terms in `<mark>`. */
export function Emphasised({ text, terms }: EmphasisedProps) {
  if (terms.length === 0) return <>{text}</>;
  return (
    <>
      {splitMatches(text, terms).map((segment, index) =>
        segment.match ? <mark key={index}>{segment.text}</mark> : segment.text,
      )}
    </>
  );
}

export interface ReviewNoteVersionsProps {
  /** Every version of the note, the shown one first (`annotation.sync.notes`); the others are offered. */
  versions: readonly NoteVersion[] | undefined;
  strings: ReviewStrings;
  /** Search terms to emphasise, as in the note. */
  terms: readonly string[];
  tabIndex?: number;
  onRestore(stamp: string): void;
}

/** The popup's and library's "1 other version" disclosure: versions shown as plain text, like the note. */
export function ReviewNoteVersions({ versions, strings, terms, tabIndex, onRestore }: ReviewNoteVersionsProps) {
  const labels: NoteVersionsLabels = {
    toggle: strings.otherVersions,
    list: strings.versionsLabel,
    hint: strings.versionsHint,
    use: strings.useVersion,
    empty: strings.versionEmpty,
    keepOnly: strings.keepOnlyCurrent,
  };
  return (
    <NoteVersions
      versions={versions ?? []}
      labels={labels}
      renderText={(text) => (
        <div class="version-note">
          <NoteMarkdown text={text} renderText={(run) => <Emphasised text={run} terms={terms} />} />
        </div>
      )}
      formatDate={(at) => formatFullTime(at, strings.locale)}
      tabIndex={tabIndex}
      onRestore={onRestore}
    />
  );
}
