/**
 * UI strings. Values come from `browser.i18n` (`public/_locales/<lang>/messages.json`);
 * components receive them as props and never call extension APIs themselves.
 */
import type { HighlightColor } from '../storage/model';

export const MESSAGE_KEYS = [
  'toolbarLabel',
  'menuLabel',
  'colorYellow',
  'colorGreen',
  'colorBlue',
  'colorPink',
  'colorPurple',
  'deleteHighlight',
  'undo',
  'highlightDeleted',
  'dismiss',
  'noteAdd',
  'noteEdit',
  'noteLabel',
  'noteSave',
  'noteDelete',
  'noteClose',
  'noteLessonNote',
  'noteUnplaced',
  'noteUnplacedTitle',
  'noteUnplacedHint',
  'noteSaving',
  'noteSaved',
  'noteUnsaved',
  'noteMore',
  'noteLess',
  'notePlaceholder',
  'noteLessonPlaceholder',
  'noteShow',
  'noteNoNote',
  'noteKeys',
  'noteCardsLabel',
  'noteOtherVersionOne',
  'noteOtherVersions',
  'noteVersionsLabel',
  'noteVersionsHint',
  'noteUseVersion',
  'noteVersionEmpty',
  'noteKeepOnlyCurrent',
] as const;

export type MessageKey = (typeof MESSAGE_KEYS)[number];
export type Strings = Record<MessageKey, string>;

/** Reads every UI string once through `getMessage` (e.g. `browser.i18n.getMessage`). */
export function loadStrings(getMessage: (key: MessageKey) => string): Strings {
  const strings = {} as Strings;
  for (const key of MESSAGE_KEYS) strings[key] = getMessage(key) || key;
  return strings;
}

/** "1 other version", "3 other versions": the disclosure under a note with conflict versions. */
export function otherVersionsLabel(strings: Strings, count: number): string {
  return count === 1 ? strings.noteOtherVersionOne : strings.noteOtherVersions.replace('{count}', count.toLocaleString());
}

/** The accessible name of a color button. */
export function colorName(strings: Strings, color: HighlightColor): string {
  const keys: Record<HighlightColor, MessageKey> = {
    yellow: 'colorYellow',
    green: 'colorGreen',
    blue: 'colorBlue',
    pink: 'colorPink',
    purple: 'colorPurple',
  };
  return strings[keys[color]];
}
