import { NoteMarkdown } from './NoteMarkdown';
import { NoteVersions, type NoteVersionsLabels, type ShownVersion } from './NoteVersions';
import { otherVersionsLabel, type Strings } from './strings';

export interface PageNoteVersionsProps {
  versions: readonly ShownVersion[];
  strings: Strings;
  onRestore(stamp: string): void;
}

/** The disclosure on the lesson page: versions rendered as note Markdown, like the note. */
export function PageNoteVersions({ versions, strings, onRestore }: PageNoteVersionsProps) {
  // Almost every card has no other version: mount nothing (no hooks) for those 200 cards.
  if (versions.length < 2) return null;
  const labels: NoteVersionsLabels = {
    toggle: (count) => otherVersionsLabel(strings, count),
    list: strings.noteVersionsLabel,
    hint: strings.noteVersionsHint,
    use: strings.noteUseVersion,
    empty: strings.noteVersionEmpty,
    keepOnly: strings.noteKeepOnlyCurrent,
  };
  return (
    <NoteVersions
      versions={versions}
      labels={labels}
      renderText={(text) => <NoteMarkdown text={text} />}
      formatDate={formatInBrowserLanguage}
      onRestore={onRestore}
    />
  );
}

/**
 * Date and time in the browser's language (the page UI has no locale of its
 * own), without the year when it is this year: short enough for a narrow card.
 */
function formatInBrowserLanguage(at: number): string {
  const date = new Date(at);
  const year = date.getFullYear() === new Date().getFullYear() ? {} : { year: 'numeric' as const };
  return date.toLocaleString(undefined, { ...year, month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
}
