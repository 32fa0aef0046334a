import { useMemo, useRef, useState } from 'preact/hooks';
import { countAnnotations, groupAnnotations, takeAnnotations } from '../storage/grouping';
import type { Annotation, LessonNote } from '../storage/model';
import { EmptyState } from './EmptyState';
import { ExportMenu, type ExportChoice } from './ExportMenu';
import { ImportButton } from './ImportButton';
import { CourseGroups } from './LessonGroups';
import { LibraryNav, navCourses, type LibraryScope } from './LibraryNav';
import { OrderSwitch } from './OrderSwitch';
import type { ReviewBackend } from '../storage/review-backend';
import { exportChoices, type ExportContext } from './review-export';
import type { ReviewStrings } from './review-strings';
import { clearFilters, itemView, MoreSentinel, NoResults, ReviewMain } from './ReviewList';
import { ReviewToast } from './ReviewToast';
import { SearchBar } from './SearchBar';
import { useReviewData } from './use-review-data';
import {
  focusFirstItem,
  useFilteredGroups,
  useReviewControls,
  useSearch,
  type ReviewControls,
} from './use-review-view';

export interface LibraryAppProps {
  backend: ReviewBackend;
  strings: ReviewStrings;
}

/** The full-page library: course and lesson navigation, search, filters, bulk export. */
export function LibraryApp({ backend, strings }: LibraryAppProps) {
  const [data, actions] = useReviewData(backend, strings, null);
  const [scope, setScope] = useState<LibraryScope>({ type: 'all' });
  const controls = useReviewControls(JSON.stringify(scope));
  const listRef = useRef<HTMLElement>(null);
  const nav = useMemo(() => navCourses(data.annotations), [data.annotations]);
  const scoped = useMemo(() => inScope(data.annotations, scope), [data.annotations, scope]);
  const search = useSearch(scoped, controls.query, controls.colors);
  const filtering = search.found !== null;
  const matchCount = search.found ? search.found.size : scoped.length;
  // Grouped once per scope and order; a keystroke only filters the groups.
  const grouped = useMemo(
    () => groupAnnotations(scoped, inScope(data.notes, scope), controls.order),
    [scoped, data.notes, scope, controls.order],
  );
  const groups = useFilteredGroups(grouped, search);
  const shown = useMemo(() => takeAnnotations(groups, controls.limit), [groups, controls.limit]);
  const exportContext: ExportContext = {
    backend,
    strings,
    annotations: data.annotations,
    notes: data.notes,
    toast: actions.showToast,
  };
  const importFile = async (text: string) => {
    const imported = await backend.importFile(text);
    if (!imported.ok) return actions.showToast({ type: 'error', message: strings.actionFailed(imported.error) });
    actions.showToast({ type: 'info', message: strings.imported(imported.value.imported, imported.value.changed) });
    actions.reload();
  };
  const firstId = shown[0]?.lessons[0]?.annotations[0]?.id ?? null;
  const lesson = scope.type === 'lesson' ? (scoped[0]?.lesson ?? null) : null;
  const title =
    scope.type === 'all'
      ? strings.everything
      : scope.type === 'course'
        ? scope.courseTitle || strings.untitledCourse
        : (lesson?.lessonTitle ?? '');
  return (
    <div class="review library">
      <aside class="library-side">
        <div class="brand">
          <img src="/icon/32.png" alt="" width={22} height={22} />
          <h1>{strings.libraryTitle}</h1>
        </div>
        <LibraryNav courses={nav} total={data.annotations.length} scope={scope} strings={strings} onScope={setScope} />
      </aside>
      <div class="library-main">
        <LibraryBar
          title={title}
          count={filtering ? strings.results(matchCount) : strings.count(matchCount)}
          controls={controls}
          strings={strings}
          exportDisabled={!data.complete}
          choices={exportChoices(exportContext, lesson, scope.type === 'all' ? null : scope.courseTitle)}
          onImport={(text) => void importFile(text)}
          onImportError={(reason) => actions.showToast({ type: 'error', message: strings.actionFailed(reason) })}
        />
        <SearchBar
          query={controls.query}
          colors={controls.colors}
          strings={strings}
          onQuery={controls.setQuery}
          onToggleColor={controls.toggleColor}
          onEnterResults={() => focusFirstItem(listRef)}
        />
        <ReviewMain listRef={listRef} data={data} actions={actions} controls={controls} strings={strings}>
          <CourseGroups
            courses={shown}
            view={itemView(controls, actions, exportContext, search.terms, firstId)}
            showCourses={scope.type === 'all'}
            timedId={firstId ?? undefined}
          />
          {data.complete && data.annotations.length === 0 && data.notes.length === 0 && (
            <EmptyState title={strings.emptyTitle} hint={strings.emptyHint} />
          )}
          {data.complete && filtering && matchCount === 0 && (
            <NoResults query={controls.query} strings={strings} onClear={() => clearFilters(controls)} />
          )}
          {countAnnotations(shown) < countAnnotations(groups) && (
            <MoreSentinel root={listRef} label={strings.showMore} onMore={controls.showMore} />
          )}
          <p class="keyboard-hint">{strings.keyboardHint}</p>
        </ReviewMain>
      </div>
      {data.toast && (
        <ReviewToast
          toast={data.toast}
          strings={strings}
          onUndo={() => void actions.undo()}
          onDismiss={actions.dismissToast}
        />
      )}
    </div>
  );
}

interface LibraryBarProps {
  title: string;
  count: string;
  controls: ReviewControls;
  strings: ReviewStrings;
  exportDisabled: boolean;
  choices: ExportChoice[];
  onImport(text: string): void;
  onImportError(reason: string): void;
}

function LibraryBar({ title, count, controls, strings, exportDisabled, choices, onImport, onImportError }: LibraryBarProps) {
  return (
    <header class="library-bar">
      <h2 class="library-title">{title}</h2>
      <span class="count">{count}</span>
      <div class="bar-actions">
        <OrderSwitch controls={controls} strings={strings} />
        <ImportButton label={strings.import} description={strings.importLabel} onFile={onImport} onReadError={onImportError} />
        <ExportMenu label={strings.export} disabled={exportDisabled} choices={choices} />
      </div>
    </header>
  );
}

/** The annotations or notes of the library's current scope. */
function inScope<T extends Annotation | LessonNote>(records: T[], scope: LibraryScope): T[] {
  if (scope.type === 'all') return records;
  if (scope.type === 'course') return records.filter((record) => record.lesson.courseTitle === scope.courseTitle);
  return records.filter((record) => record.lesson.lessonId === scope.lessonId);
}
