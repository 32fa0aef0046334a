/**
 * Strings of the popup and the library (issue #4). Values come from
 * `browser.i18n` (`public/_locales/<lang>/messages.json`, keys prefixed
 * `review`); components receive them as props and never call extension APIs.
 */
import { HIGHLIGHT_COLORS, type HighlightColor } from '../storage/model';

/** Keys of the plain strings (no placeholders). */
export const REVIEW_MESSAGE_KEYS = [
  'reviewSyncOk',
  'reviewSyncPending',
  'reviewImport',
  'reviewImportLabel',
  'reviewSearchLabel',
  'reviewSearchPlaceholder',
  'reviewClearSearch',
  'reviewFilterLabel',
  'reviewThisLesson',
  'reviewAllNotes',
  'reviewOtherNotes',
  'reviewOrderLabel',
  'reviewOrderRecent',
  'reviewOrderReading',
  'reviewOpen',
  'reviewOpenHint',
  'reviewDelete',
  'reviewAddNote',
  'reviewEditNote',
  'reviewNoteLabel',
  'reviewNotePlaceholder',
  'reviewSave',
  'reviewCancel',
  'reviewDeleted',
  'reviewUndo',
  'reviewDismiss',
  'reviewExport',
  'reviewExportLesson',
  'reviewExportCourse',
  'reviewExportAll',
  'reviewExportJson',
  'reviewCopyLessonMarkdown',
  'reviewCopied',
  'reviewOpenLibrary',
  'reviewOrphan',
  'reviewOrphanHint',
  'reviewEmptyTitle',
  'reviewEmptyHint',
  'reviewEmptyLesson',
  'reviewNoMatchesHint',
  'reviewLoading',
  'reviewRetry',
  'reviewLessonNote',
  'reviewUntitledCourse',
  'reviewUntitledLesson',
  'reviewCountOne',
  'reviewLibraryTitle',
  'reviewCourses',
  'reviewEverything',
  'reviewListLabel',
  'reviewKeyboardHint',
  'reviewShowMore',
  'reviewOtherVersionOne',
  'reviewVersionsLabel',
  'reviewVersionsHint',
  'reviewUseVersion',
  'reviewVersionEmpty',
  'reviewKeepOnlyCurrent',
] as const;

export type ReviewMessageKey = (typeof REVIEW_MESSAGE_KEYS)[number];

/** `reviewSearchLabel` → `searchLabel`. */
type Unprefixed<K extends string> = K extends `review${infer Rest}` ? Uncapitalize<Rest> : never;

/** Every string of the review pages, plus the ones that take a value. */
export type ReviewStrings = { [K in ReviewMessageKey as Unprefixed<K>]: string } & {
  /** Accessible names of the colors ("Yellow" …), shared with the page UI. */
  colors: Record<HighlightColor, string>;
  downloaded(fileName: string): string;
  noMatches(query: string): string;
  loadFailed(reason: string): string;
  actionFailed(reason: string): string;
  imported(count: number, changed: number): string;
  syncError(reason: string): string;
  /** "3 highlights". */
  count(count: number): string;
  /** "3 found". */
  results(count: number): string;
  /** "1 other version", "3 other versions": conflict versions of a note (issue #5). */
  otherVersions(count: number): string;
  /** The extension's name ("划重点" / "Lesson Highlighter"). */
  appName: string;
  /** The UI language (e.g. "zh-CN"), for dates and numbers. */
  locale: string;
};

/** Reads a message; `substitutions` fill its placeholders ($1 …). Answers '' when the key is unknown. */
export type GetMessage = (key: string, substitutions?: string[]) => string;

/** Reads every review string once through `getMessage` (e.g. `browser.i18n.getMessage`). */
export function loadReviewStrings(getMessage: GetMessage, locale: string): ReviewStrings {
  const read = (key: string, substitutions?: string[]) => getMessage(key, substitutions) || key;
  const plain: Record<string, string> = {};
  for (const key of REVIEW_MESSAGE_KEYS) plain[unprefix(key)] = read(key);
  const colorKey = (color: HighlightColor) => `color${color[0]!.toUpperCase()}${color.slice(1)}`;
  const number = (count: number) => count.toLocaleString(locale);
  return {
    ...(plain as { [K in ReviewMessageKey as Unprefixed<K>]: string }),
    colors: Object.fromEntries(HIGHLIGHT_COLORS.map((color) => [color, read(colorKey(color))])) as Record<
      HighlightColor,
      string
    >,
    downloaded: (fileName) => read('reviewDownloaded', [fileName]),
    noMatches: (query) => read('reviewNoMatches', [query]),
    loadFailed: (reason) => read('reviewLoadFailed', [reason]),
    actionFailed: (reason) => read('reviewActionFailed', [reason]),
    syncError: (reason) => read('reviewSyncError', [reason]),
    imported: (count, changed) => read('reviewImported', [number(count), number(changed)]),
    count: (count) => (count === 1 ? read('reviewCountOne') : read('reviewCountMany', [number(count)])),
    results: (count) => read('reviewResults', [number(count)]),
    otherVersions: (count) => (count === 1 ? read('reviewOtherVersionOne') : read('reviewOtherVersions', [number(count)])),
    appName: read('extName'),
    locale,
  };
}

function unprefix(key: ReviewMessageKey): string {
  const rest = key.slice('review'.length);
  return rest[0]!.toLowerCase() + rest.slice(1);
}
