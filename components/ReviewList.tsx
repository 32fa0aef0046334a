import type { ComponentChildren, RefObject } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ItemActions } from './AnnotationItem';
import { EmptyState } from './EmptyState';
import type { ItemView } from './LessonGroups';
import type { ExportContext } from './review-export';
import { copyLesson } from './review-export';
import type { ReviewStrings } from './review-strings';
import type { ReviewActions, ReviewData } from './use-review-data';
import { listKeyHandler, type ReviewControls } from './use-review-view';

/** The item view shared by every list of a page: one set of actions, one tab stop, one editor. */
export function itemView(
  controls: ReviewControls,
  actions: ReviewActions,
  exportContext: ExportContext,
  terms: readonly string[],
  firstId: string | null,
): ItemView {
  const itemActions: ItemActions = {
    open: actions.open,
    remove: (id) => void actions.remove(id),
    saveNote: actions.saveNote,
    editNote: controls.setEditingId,
    focus: controls.setActiveId,
    restoreVersion: (id, stamp) => void actions.restoreNoteVersion(id, stamp),
  };
  return {
    terms,
    strings: exportContext.strings,
    now: Date.now(),
    activeId: controls.activeId ?? firstId,
    editingId: controls.editingId,
    actions: itemActions,
    copyLesson: (lesson) => void copyLesson(exportContext, lesson.lesson.lessonId),
    restoreLessonNoteVersion: (lessonId, stamp) => void actions.restoreLessonNoteVersion(lessonId, stamp),
  };
}

export interface MoreSentinelProps {
  /** The scrolling list. */
  root: RefObject<HTMLElement>;
  label: string;
  onMore(): void;
}

/** Renders more items as the end of the list comes into view; also a button for those who prefer one. */
export function MoreSentinel({ root, label, onMore }: MoreSentinelProps) {
  const ref = useRef<HTMLDivElement>(null);
  const latest = useRef(onMore);
  latest.current = onMore;
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new IntersectionObserver(
      (entries) => entries.some((entry) => entry.isIntersecting) && latest.current(),
      {
        root: root.current,
        rootMargin: '400px 0px',
      },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [root]);
  return (
    <div ref={ref} class="more">
      <button type="button" class="button subtle" onClick={onMore}>
        {label}
      </button>
    </div>
  );
}

export interface ListStatusProps {
  data: ReviewData;
  strings: ReviewStrings;
  onRetry(): void;
}

/** Loading and load errors, in words. */
export function ListStatus({ data, strings, onRetry }: ListStatusProps) {
  if (data.loadError) {
    return (
      <div class="load-error" role="alert">
        <p>{strings.loadFailed(data.loadError)}</p>
        <button type="button" class="button" onClick={onRetry}>
          {strings.retry}
        </button>
      </div>
    );
  }
  if (data.loading) {
    return (
      <p class="loading" role="status">
        <span class="spinner" aria-hidden="true" />
        {strings.loading}
      </p>
    );
  }
  return null;
}

export interface NoResultsProps {
  query: string;
  strings: ReviewStrings;
  onClear(): void;
}

/** What an empty search says. */
export function NoResults({ query, strings, onClear }: NoResultsProps) {
  return (
    <EmptyState
      title={query ? strings.noMatches(query) : strings.noMatchesHint}
      hint={query ? strings.noMatchesHint : undefined}
    >
      <button type="button" class="button" onClick={onClear}>
        {strings.clearSearch}
      </button>
    </EmptyState>
  );
}

export interface ReviewMainProps {
  listRef: RefObject<HTMLElement>;
  data: ReviewData;
  actions: ReviewActions;
  controls: ReviewControls;
  strings: ReviewStrings;
  children: ComponentChildren;
}

/**
 * The scrolling list: loading and errors in words, then `children`. Arrow
 * keys, Enter and Delete work on its items; `data-query` tells when the
 * shown results belong to the query in the box (the benchmark waits on it).
 */
export function ReviewMain({ listRef, data, actions, controls, strings, children }: ReviewMainProps) {
  const onKeyDown = listKeyHandler(listRef, {
    open: actions.open,
    remove: (id) => void actions.remove(id),
    showMore: controls.showMore,
  });
  return (
    <main
      class="list-scroll"
      ref={listRef}
      aria-label={strings.listLabel}
      data-query={controls.query}
      onKeyDown={onKeyDown}
    >
      <ListStatus data={data} strings={strings} onRetry={actions.reload} />
      {!data.loading && !data.loadError && children}
    </main>
  );
}

/** Clears the search box and the color filter. */
export function clearFilters(controls: ReviewControls): void {
  controls.setQuery('');
  for (const color of controls.colors) controls.toggleColor(color);
}
