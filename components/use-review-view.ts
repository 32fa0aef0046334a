/**
 * The reader's view of the list, shared by the popup and the library: the
 * query and color filter, the order within a lesson, paging, the focused
 * item (one tab stop, arrow keys between items) and the note being edited.
 */
import type { RefObject } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { filterGroups, type CourseGroup, type ItemOrder } from '../storage/grouping';
import type { Annotation, HighlightColor } from '../storage/model';
import { buildSearchIndex, parseQuery, searchAnnotations } from '../storage/search';

/** How many highlights a long list renders at first, and how many more each time the end comes into view. */
export const PAGE_SIZE = 60;

export interface ReviewControls {
  query: string;
  setQuery(query: string): void;
  colors: ReadonlySet<HighlightColor>;
  toggleColor(color: HighlightColor): void;
  order: ItemOrder;
  setOrder(order: ItemOrder): void;
  activeId: string | null;
  setActiveId(id: string | null): void;
  editingId: string | null;
  setEditingId(id: string | null): void;
  /** Highlights rendered; grows as the reader scrolls or arrows down. */
  limit: number;
  showMore(): void;
}

/** The view state; paging (by `pageSize`) starts over whenever the query, colors or `scopeKey` change. */
export function useReviewControls(scopeKey = '', pageSize = PAGE_SIZE): ReviewControls {
  const [query, setQueryState] = useState('');
  const [colors, setColors] = useState<ReadonlySet<HighlightColor>>(new Set());
  const [order, setOrder] = useState<ItemOrder>('recent');
  const [activeId, setActiveId] = useState<string | null>(null);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [paging, setPaging] = useState({ key: '', limit: pageSize });
  const key = `${query}\u0000${[...colors].join()}\u0000${scopeKey}`;
  const limit = paging.key === key ? paging.limit : pageSize;
  return {
    query,
    setQuery: setQueryState,
    colors,
    toggleColor: (color) =>
      setColors((previous) => {
        const next = new Set(previous);
        if (!next.delete(color)) next.add(color);
        return next;
      }),
    order,
    setOrder,
    activeId,
    setActiveId,
    editingId,
    setEditingId,
    limit,
    showMore: () => setPaging({ key, limit: limit + pageSize }),
  };
}

/** What a search found: the ids of the matches (null when nothing narrows the list) and the terms to emphasise. */
export interface SearchResult {
  terms: string[];
  found: Set<string> | null;
}

/** Searches `annotations` as the reader types. */
export function useSearch(
  annotations: readonly Annotation[],
  query: string,
  colors: ReadonlySet<HighlightColor>,
): SearchResult {
  // Prepared once per list, so a keystroke only scans the prepared strings.
  const index = useMemo(() => buildSearchIndex(annotations), [annotations]);
  return useMemo(
    () => ({ terms: parseQuery(query), found: searchAnnotations(index, query, colors) }),
    [index, query, colors],
  );
}

/** `groups` narrowed to what `search` found (unchanged when it narrows nothing). */
export function useFilteredGroups(groups: CourseGroup[], search: SearchResult): CourseGroup[] {
  return useMemo(() => {
    const { found } = search;
    return found ? filterGroups(groups, (annotation) => found.has(annotation.id), false) : groups;
  }, [groups, search]);
}

/** What the arrow, Enter and Delete keys do on a list item. */
export interface ListKeyActions {
  open(id: string): void;
  remove(id: string): void;
  /** Render more items (the reader arrowed past the last one rendered). */
  showMore(): void;
}

const ITEM_SELECTOR = '[data-annotation-id]';

/**
 * Keyboard handling for every item under `container`: ↑/↓/Home/End move the
 * focus, Enter opens, Delete (or Backspace) deletes and moves to the next item.
 */
export function listKeyHandler(container: RefObject<HTMLElement>, actions: ListKeyActions) {
  return (event: KeyboardEvent) => {
    const item = event.target instanceof HTMLElement && event.target.matches(ITEM_SELECTOR) ? event.target : null;
    const id = item?.dataset.annotationId;
    if (!item || !id || event.altKey || event.ctrlKey || event.metaKey) return;
    const items = [...(container.current?.querySelectorAll<HTMLElement>(ITEM_SELECTOR) ?? [])];
    const at = items.indexOf(item);
    const moves: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      if (target >= items.length) actions.showMore();
      items[Math.max(0, Math.min(target, items.length - 1))]?.focus();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      actions.open(id);
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      // Keep the keyboard in the list: focus the next item (or the previous one at the end).
      (items[at + 1] ?? items[at - 1])?.focus();
      actions.remove(id);
    }
  };
}

/** Focuses the first item under `container`. */
export function focusFirstItem(container: RefObject<HTMLElement>): void {
  container.current?.querySelector<HTMLElement>(ITEM_SELECTOR)?.focus();
}
