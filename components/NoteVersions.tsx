import type { ComponentChildren } from 'preact';
import { useId, useRef, useState } from 'preact/hooks';
import { parseStamp } from '../storage/sync/hlc';

/** A conflict version as the disclosure shows it; `stamp` names it and tells when it was written. */
export interface ShownVersion {
  stamp: string;
  text: string;
}

/** The words of the disclosure, from the page's or the review pages' strings. */
export interface NoteVersionsLabels {
  /** "1 other version", "3 other versions". */
  toggle(count: number): string;
  list: string;
  hint: string;
  use: string;
  empty: string;
  /** "Keep only the current note": dismisses the other versions. */
  keepOnly: string;
}

export interface NoteVersionsProps {
  /**
   * Every version of the note, the shown one first, then its conflict
   * versions latest first; nothing is shown unless there are other versions.
   */
  versions: readonly ShownVersion[];
  labels: NoteVersionsLabels;
  /** Renders a version's text the way the note above it is rendered. */
  renderText(text: string): ComponentChildren;
  formatDate(at: number): string;
  /** The buttons' tab index (a list with one tab stop passes -1 for items not active). */
  tabIndex?: number;
  onRestore(stamp: string): void;
}

/**
 * Under a note (issue #5): a quiet "1 other version" that opens the texts
 * written at the same time on another device, each with when it was written
 * and "Use this version", and "Keep only the current note", the one way to
 * let them go: editing the note keeps them (storage/sync/merge.ts editNote).
 * Clicks inside do not reach the note around it (which would open its editor).
 */
export function NoteVersions({ versions: all, labels, renderText, formatDate, tabIndex, onRestore }: NoteVersionsProps) {
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const listId = useId();
  const [shown, ...versions] = all;
  if (!shown || versions.length === 0) return null;
  return (
    <div class="versions" onClick={(event) => event.stopPropagation()}>
      <button
        ref={toggle}
        type="button"
        class="versions-toggle"
        tabIndex={tabIndex}
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen(!open)}
      >
        <Chevron />
        {labels.toggle(versions.length)}
      </button>
      {open && (
        <div id={listId} class="versions-panel" role="group" aria-label={labels.list}>
          <p class="versions-hint">{labels.hint}</p>
          <ul class="versions-list">
            {versions.map((version) => {
              const writtenAt = parseStamp(version.stamp)?.wall;
              return (
                <li key={version.stamp} class="version">
                  <div class="version-text">
                    {version.text.trim() ? renderText(version.text) : <p class="version-empty">{labels.empty}</p>}
                  </div>
                  <div class="version-meta">
                    {writtenAt !== undefined && (
                      <time dateTime={new Date(writtenAt).toISOString()}>{formatDate(writtenAt)}</time>
                    )}
                    <button
                      type="button"
                      class="version-use"
                      tabIndex={tabIndex}
                      onClick={() => {
                        onRestore(version.stamp);
                        // This version becomes the note and leaves the list: keep the keyboard on the disclosure.
                        toggle.current?.focus();
                      }}
                    >
                      {labels.use}
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
          <button
            type="button"
            class="versions-keep-only"
            tabIndex={tabIndex}
            onClick={() => {
              // Restoring the shown version dismisses the others (storage/annotations.ts restoreNoteVersion).
              onRestore(shown.stamp);
              setOpen(false);
              toggle.current?.focus();
            }}
          >
            {labels.keepOnly}
          </button>
        </div>
      )}
    </div>
  );
}

/** A small chevron that turns when the disclosure opens (CSS). */
function Chevron() {
  return (
    <svg class="chevron" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
      <path d="M6 3.5 10.5 8 6 12.5" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}
