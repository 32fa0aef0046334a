import type {
  EditorState,
  NoteVersionState,
  OrphanState,
  PageUiActions,
  PanelAnnotationState,
  PanelState,
} from '../page/page-ui-state';
import { HighlightNoteEditor, NoteEditor } from './NoteEditor';
import { NoteMarkdown } from './NoteMarkdown';
import { PageNoteVersions } from './PageNoteVersions';
import type { Strings } from './strings';

/** What the panel needs to know about a highlight it shows (with its note's conflict versions). */
export type PanelAnnotation = PanelAnnotationState;

export interface NotePanelProps {
  panel: PanelState;
  /** Bottom sheet (markers mode, small screens) or a drawer over the margin. */
  placement: 'sheet' | 'drawer';
  editor: EditorState | null;
  /** The highlight a `note` panel shows. */
  annotation: PanelAnnotation | null;
  orphans: OrphanState[];
  /** Conflict versions of the lesson's page-level note. */
  lessonNoteVersions: NoteVersionState[];
  strings: Strings;
  actions: PageUiActions;
}

/** A panel for one note, the lesson note, or the highlights that could not be placed. */
export function NotePanel({ panel, placement, editor, annotation, orphans, lessonNoteVersions, strings, actions }: NotePanelProps) {
  const title =
    panel.type === 'lesson' ? strings.noteLessonNote : panel.type === 'unplaced' ? strings.noteUnplacedTitle : strings.noteLabel;
  return (
    <section class={`panel panel-${placement}`} role="dialog" aria-label={title}>
      <header class="panel-header">
        <h2>{title}</h2>
        <button type="button" class="icon-button" aria-label={strings.noteClose} onClick={actions.closePanel}>
          ×
        </button>
      </header>
      <div class="panel-body">
        {panel.type === 'lesson' && editor && (
          <>
            <NoteEditor
              editor={editor}
              strings={strings}
              placeholder={strings.noteLessonPlaceholder}
              onText={actions.editText}
              onSave={actions.saveNote}
              onClose={actions.closePanel}
            />
            <PageNoteVersions versions={lessonNoteVersions} strings={strings} onRestore={actions.restoreLessonNoteVersion} />
          </>
        )}
        {panel.type === 'note' && annotation && (
          <PanelNote annotation={annotation} editor={editor} strings={strings} actions={actions} />
        )}
        {panel.type === 'unplaced' && (
          <>
            <p class="hint">{strings.noteUnplacedHint}</p>
            <ul class="orphans">
              {orphans.map((orphan) => (
                <li key={orphan.id} class={`orphan quote-${orphan.color}`}>
                  <blockquote>{orphan.quote}</blockquote>
                  {orphan.note ? <NoteMarkdown text={orphan.note} /> : <p class="muted">{strings.noteNoNote}</p>}
                  <button type="button" class="text-button" onClick={() => actions.editNote(orphan.id)}>
                    {orphan.note ? strings.noteEdit : strings.noteAdd}
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </section>
  );
}

function PanelNote({ annotation, editor, strings, actions }: { annotation: PanelAnnotation; editor: EditorState | null; strings: Strings; actions: PageUiActions }) {
  const editing = editor?.target.type === 'annotation' && editor.target.id === annotation.id;
  return (
    <>
      <blockquote class={`quote-${annotation.color}`}>{annotation.quote}</blockquote>
      {editing && editor ? (
        <HighlightNoteEditor editor={editor} strings={strings} actions={actions} />
      ) : (
        <div role="note" class={`quote-${annotation.color}`}>
          {annotation.note ? <NoteMarkdown text={annotation.note} /> : <p class="muted">{strings.noteNoNote}</p>}
          <button type="button" class="text-button" onClick={() => actions.editNote(annotation.id)}>
            {annotation.note ? strings.noteEdit : strings.noteAdd}
          </button>
          <PageNoteVersions
            versions={annotation.versions}
            strings={strings}
            onRestore={(stamp) => actions.restoreNoteVersion(annotation.id, stamp)}
          />
        </div>
      )}
    </>
  );
}
