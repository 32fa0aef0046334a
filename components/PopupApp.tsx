import { useMemo, useRef } from 'preact/hooks';
import {
  countAnnotations,
  groupAnnotations,
  takeAnnotations,
  type CourseGroup,
  type ItemOrder,
  type LessonGroup,
} from '../storage/grouping';
import type { Annotation, LessonNote } from '../storage/model';
import { EmptyState } from './EmptyState';
import { ExportMenu, type ExportChoice } from './ExportMenu';
import { SyncIndicator } from './SyncIndicator';
import type { SyncSummary } from '../storage/sync/sync-summary';
import { CourseGroups, LessonBlock, type ItemView } from './LessonGroups';
import { OrderSwitch } from './OrderSwitch';
import type { ReviewBackend } from '../storage/review-backend';
import { exportChoices, type ExportContext } from './review-export';
import type { ReviewStrings } from './review-strings';
import { clearFilters, itemView, MoreSentinel, NoResults, ReviewMain } from './ReviewList';
import { ReviewToast } from './ReviewToast';
import { SearchBar } from './SearchBar';
import { useReviewData, type ReviewData } from './use-review-data';
import {
  focusFirstItem,
  useFilteredGroups,
  useReviewControls,
  useSearch,
  type ReviewControls,
} from './use-review-view';

/** The popup shows about six items at once; rendering a few screens' worth keeps keystrokes fast. */
const POPUP_PAGE_SIZE = 25;

export interface PopupAppProps {
  backend: ReviewBackend;
  strings: ReviewStrings;
  /** The lesson in the active tab, shown first; null on any other page. */
  currentLessonId: string | null;
  /** Sync's state for the small indicator; absent when no way of syncing is on. */
  sync?: SyncSummary | null;
}

/** The toolbar popup: this lesson's highlights, then all notes, with search, filters and export. */
export function PopupApp({ backend, strings, currentLessonId, sync }: PopupAppProps) {
  const [data, actions] = useReviewData(backend, strings, currentLessonId);
  const controls = useReviewControls('', POPUP_PAGE_SIZE);
  const listRef = useRef<HTMLElement>(null);
  const { terms, filtering, current, others, shownOthers } = usePopupLists(data, controls, currentLessonId);
  const exportContext: ExportContext = {
    backend,
    strings,
    annotations: data.annotations,
    notes: data.notes,
    toast: actions.showToast,
  };
  const firstId = current?.annotations[0]?.id ?? firstAnnotationId(shownOthers);
  const view = itemView(controls, actions, exportContext, terms, firstId);
  const lesson = current?.lesson ?? null;
  const total = (current?.annotations.length ?? 0) + countAnnotations(others);
  return (
    <div class="review popup">
      <PopupHeader
        strings={strings}
        exportDisabled={!data.complete}
        choices={exportChoices(exportContext, lesson, lesson?.courseTitle ?? null)}
        onOpenLibrary={backend.openLibrary}
        sync={sync ?? null}
      />
      <SearchBar
        query={controls.query}
        colors={controls.colors}
        strings={strings}
        onQuery={controls.setQuery}
        onToggleColor={controls.toggleColor}
        onEnterResults={() => focusFirstItem(listRef)}
        autoFocus
      />
      <ReviewMain listRef={listRef} data={data} actions={actions} controls={controls} strings={strings}>
        {currentLessonId && <CurrentLesson lesson={current} view={view} filtering={filtering} />}
        <AllNotes
          data={data}
          others={shownOthers}
          view={view}
          controls={controls}
          hasCurrent={currentLessonId !== null}
          firstId={firstId}
        />
        {data.complete && total === 0 && filtering && (
          <NoResults query={controls.query} strings={strings} onClear={() => clearFilters(controls)} />
        )}
        {countAnnotations(shownOthers) < countAnnotations(others) && (
          <MoreSentinel root={listRef} label={strings.showMore} onMore={controls.showMore} />
        )}
      </ReviewMain>
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

/**
 * What the popup lists: the current lesson (reading order) and the other
 * lessons by course, narrowed by the search. Grouping happens once per list
 * and order; a keystroke only filters the groups.
 */
function usePopupLists(data: ReviewData, controls: ReviewControls, currentLessonId: string | null) {
  const source = data.currentFirst ?? data.annotations;
  const search = useSearch(source, controls.query, controls.colors);
  const { found } = search;
  const grouped = useMemo(
    () => splitByLesson(source, data.notes, currentLessonId, controls.order),
    [source, data.notes, currentLessonId, controls.order],
  );
  const others = useFilteredGroups(grouped.others, search);
  const current = useMemo(
    () =>
      grouped.current && found
        ? { ...grouped.current, annotations: grouped.current.annotations.filter((a) => found.has(a.id)) }
        : grouped.current,
    [grouped, found],
  );
  const shownOthers = useMemo(() => takeAnnotations(others, controls.limit), [others, controls.limit]);
  return { terms: search.terms, filtering: found !== null, current, others, shownOthers };
}

interface PopupHeaderProps {
  sync: SyncSummary | null;
  strings: ReviewStrings;
  exportDisabled: boolean;
  choices: ExportChoice[];
  onOpenLibrary(): void;
}

function PopupHeader({ strings, exportDisabled, choices, onOpenLibrary, sync }: PopupHeaderProps) {
  return (
    <header class="app-bar">
      <div class="brand">
        <img src="/icon/32.png" alt="" width={20} height={20} />
        <h1>{strings.appName}</h1>
        <SyncIndicator summary={sync} words={{ ok: strings.syncOk, pending: strings.syncPending, error: strings.syncError }} />
      </div>
      <div class="bar-actions">
        <a
          class="button link-button"
          href="/library.html"
          onClick={(event) => (event.preventDefault(), onOpenLibrary())}
        >
          {strings.openLibrary}
        </a>
        <ExportMenu label={strings.export} disabled={exportDisabled} choices={choices} />
      </div>
    </header>
  );
}

interface CurrentLessonProps {
  lesson: LessonGroup | null;
  view: ItemView;
  filtering: boolean;
}

/** "This lesson": its highlights in reading order, with their notes. */
function CurrentLesson({ lesson, view, filtering }: CurrentLessonProps) {
  const { strings } = view;
  const count = lesson?.annotations.length ?? 0;
  return (
    <section class="section" aria-labelledby="section-current">
      <h2 class="section-title" id="section-current">
        {strings.thisLesson}
        {count > 0 && <span class="count">{count}</span>}
      </h2>
      {lesson && (count > 0 || (!filtering && lesson.note)) ? (
        <LessonBlock lesson={lesson} view={view} timedId={lesson.annotations[0]?.id} />
      ) : (
        !filtering && <p class="section-hint">{strings.emptyLesson}</p>
      )}
    </section>
  );
}

interface AllNotesProps {
  data: ReviewData;
  others: CourseGroup[];
  view: ItemView;
  controls: ReviewControls;
  hasCurrent: boolean;
  firstId: string | null;
}

/** "All notes" ("Other lessons" when this one is shown above): by course and lesson. */
function AllNotes({ data, others, view, controls, hasCurrent, firstId }: AllNotesProps) {
  const { strings } = view;
  const empty = data.complete && data.annotations.length === 0 && data.notes.length === 0;
  if (empty && !hasCurrent) return <EmptyState title={strings.emptyTitle} hint={strings.emptyHint} />;
  if (others.length === 0 && (data.complete || hasCurrent)) return null;
  return (
    <section class="section" aria-labelledby="section-all">
      <div class="section-head">
        <h2 class="section-title" id="section-all">
          {hasCurrent ? strings.otherNotes : strings.allNotes}
        </h2>
        <OrderSwitch controls={controls} strings={strings} />
      </div>
      {!data.complete && hasCurrent ? (
        <p class="loading" role="status">
          <span class="spinner" aria-hidden="true" />
          {strings.loading}
        </p>
      ) : (
        <CourseGroups
          courses={others}
          view={view}
          showCourses
          timedId={hasCurrent ? undefined : (firstId ?? undefined)}
        />
      )}
    </section>
  );
}

/** The current lesson's group (reading order) and every other lesson's, grouped by course. */
function splitByLesson(
  annotations: readonly Annotation[],
  notes: readonly LessonNote[],
  currentLessonId: string | null,
  order: ItemOrder,
) {
  const isCurrent = (lessonId: string) => lessonId === currentLessonId;
  const theirs = currentLessonId
    ? annotations.filter((annotation) => !isCurrent(annotation.lesson.lessonId))
    : annotations;
  const others = groupAnnotations(
    theirs,
    notes.filter((note) => !isCurrent(note.lessonId)),
    order,
  );
  if (!currentLessonId) return { current: null, others };
  const mine = annotations.filter((annotation) => isCurrent(annotation.lesson.lessonId));
  const current =
    groupAnnotations(
      mine,
      notes.filter((note) => isCurrent(note.lessonId)),
      'reading',
    )[0]?.lessons[0] ?? null;
  return { current, others };
}

function firstAnnotationId(courses: readonly CourseGroup[]): string | null {
  for (const course of courses)
    for (const lesson of course.lessons) if (lesson.annotations[0]) return lesson.annotations[0].id;
  return null;
}
