/**
 * Conflict versions in the UI (issue #5): under a note, "1 other version"
 * opens the texts written at the same time elsewhere, each with "Use this
 * version"; using one swaps it with the note. On the lesson page (cards and
 * panels), in the controller that asks the background, and in the popup.
 * Strings come from the real messages.json files.
 */
import { readFileSync } from 'node:fs';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { NoteCard } from '../../components/NoteCard';
import { NotePanel } from '../../components/NotePanel';
import { PopupApp } from '../../components/PopupApp';
import { loadReviewStrings } from '../../components/review-strings';
import { loadStrings, type MessageKey } from '../../components/strings';
import type { HighlightPainter } from '../../page/highlight-painter';
import type { AnnotationStore } from '../../page/lesson-controller';
import type { LessonParts } from '../../page/lesson-dom';
import { NotesController } from '../../page/notes-controller';
import type { NoteCardState, PageUiActions } from '../../page/page-ui-state';
import { UiStateStore } from '../../page/ui-state-store';
import type { Annotation, LessonNote, NoteVersion } from '../../storage/model';
import type { Result } from '../../storage/protocol';
import type { ReviewBackend } from '../../storage/review-backend';
import { LESSON } from '../fixtures/sync/sync-fixtures';
import { useRenderRoot } from './render-root';

type Messages = Record<string, { message: string }>;
const messages = (locale: string) => JSON.parse(readFileSync(`public/_locales/${locale}/messages.json`, 'utf8')) as Messages;

/** `browser.i18n.getMessage` over a messages.json: $NAME$ placeholders filled in order. */
function getMessageFrom(table: Messages) {
  return (key: string, substitutions: string[] = []) => {
    let index = 0;
    return table[key]?.message.replace(/\$\$|\$[A-Z_]+\$/g, (match) => (match === '$$' ? '$' : (substitutions[index++] ?? ''))) ?? '';
  };
}

const en = loadStrings((key: MessageKey) => getMessageFrom(messages('en'))(key));
const zh = loadStrings((key: MessageKey) => getMessageFrom(messages('zh_CN'))(key));

/** Versions written at home (shown), at work, and on a laptop; stamps name when. */
const HOME: NoteVersion = { text: '家里写的：**超时**不等于失败', stamp: '1772352000000-000000-homeprofile1', seen: { homeprofile1: 2 } };
const WORK: NoteVersion = { text: '公司写的：先问*幂等*', stamp: '1772348400000-000000-workprofile1', seen: { homeprofile1: 1, workprofile1: 1 } };
const LAPTOP: NoteVersion = { text: '<img src=x onerror="alert(1)">', stamp: '1772344800000-000000-laptopprofil', seen: { laptopprofil: 1 } };

/** A note's text as its rendered Markdown reads (these notes use only * and ** for emphasis). */
const shown = (text: string) => text.replace(/\*/g, '');

const mount = useRenderRoot();

const button = (name: string | RegExp) => {
  const found = [...mount.root.querySelectorAll('button')].find((element) =>
    typeof name === 'string' ? element.textContent?.trim() === name : name.test(element.textContent ?? ''),
  );
  if (!found) throw new Error(`no button ${String(name)} in ${mount.root.innerHTML}`);
  return found;
};

/** Every action the page UI can report, each a mock. */
function pageActions(): PageUiActions & Record<keyof PageUiActions, ReturnType<typeof vi.fn>> {
  const names: Array<keyof PageUiActions> = [
    'pickToolbarColor', 'addNoteFromToolbar', 'pickMenuColor', 'editNoteFromMenu', 'deleteFromMenu', 'undo', 'dismiss',
    'openNote', 'editNote', 'openLessonNote', 'openUnplaced', 'closePanel', 'hoverNote', 'editText', 'saveNote',
    'closeEditor', 'deleteNote', 'restoreNoteVersion', 'restoreLessonNoteVersion',
  ];
  return Object.fromEntries(names.map((name) => [name, vi.fn()])) as never;
}

/** A card showing HOME's text with `others` as its conflict versions (page state lists the shown version first). */
function card(others: NoteVersion[]): NoteCardState {
  const versions = others.length > 0 ? [HOME, ...others] : [];
  return { id: 'a1', top: 0, color: 'green', note: HOME.text, versions: versions.map(({ stamp, text }) => ({ stamp, text })) };
}

describe('a note card with conflict versions', () => {
  test('shows a closed "1 other version" under the note; opened, the version as Markdown with its date and "Use this version"', async () => {
    const actions = pageActions();
    await act(() => render(<NoteCard card={card([WORK])} width={240} emphasized={false} editor={null} strings={en} onOpen={actions.openNote} onHover={actions.hoverNote} onRestoreVersion={actions.restoreNoteVersion} />, mount.root));

    const toggle = button('1 other version');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(mount.root.textContent).not.toContain('公司写的');
    await act(() => toggle.click());

    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const group = mount.root.querySelector('[role="group"]')!;
    expect(group.getAttribute('aria-label')).toBe('Other versions of this note');
    expect(group.id).toBe(toggle.getAttribute('aria-controls'));
    expect(group.querySelector('em')?.textContent).toBe('幂等');
    expect(group.querySelector('time')?.getAttribute('dateTime')).toBe(new Date(1772348400000).toISOString());
    await act(() => button('Use this version').click());

    expect(actions.restoreNoteVersion).toHaveBeenCalledWith('a1', WORK.stamp);
    // Using a version is not a click on the note: the editor does not open, and the keyboard stays on the disclosure.
    expect(actions.openNote).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(toggle);
  });

  test('counts several versions, in Chinese too, and renders a hostile text as text', async () => {
    const actions = pageActions();
    await act(() => render(<NoteCard card={card([WORK, LAPTOP])} width={240} emphasized={false} editor={null} strings={zh} onOpen={actions.openNote} onHover={actions.hoverNote} onRestoreVersion={actions.restoreNoteVersion} />, mount.root));

    await act(() => button('另有 2 个版本').click());

    expect(mount.root.querySelectorAll('.version')).toHaveLength(2);
    expect(mount.root.querySelector('img')).toBeNull();
    expect(mount.root.textContent).toContain('<img src=x onerror="alert(1)">');
    expect([...mount.root.querySelectorAll('button')].filter((element) => element.textContent === '用这个版本')).toHaveLength(2);
  });

  test('"Keep only the current note" dismisses the other versions by restoring the shown one', async () => {
    const actions = pageActions();
    await act(() => render(<NoteCard card={card([WORK])} width={240} emphasized={false} editor={null} strings={en} onOpen={actions.openNote} onHover={actions.hoverNote} onRestoreVersion={actions.restoreNoteVersion} />, mount.root));
    const toggle = button('1 other version');
    await act(() => toggle.click());

    await act(() => button('Keep only the current note').click());

    expect(actions.restoreNoteVersion).toHaveBeenCalledWith('a1', HOME.stamp);
    expect(actions.openNote).not.toHaveBeenCalled();
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
  });

  test('shows nothing more without conflict versions', async () => {
    const actions = pageActions();
    await act(() => render(<NoteCard card={card([])} width={240} emphasized={false} editor={null} strings={en} onOpen={actions.openNote} onHover={actions.hoverNote} onRestoreVersion={actions.restoreNoteVersion} />, mount.root));

    expect(mount.root.querySelector('.versions')).toBeNull();
  });
});

describe('the bottom sheet and the lesson note panel', () => {
  test("the sheet of a highlight's note offers its versions", async () => {
    const actions = pageActions();
    const annotation = { id: 'a1', quote: '超时不等于失败', note: HOME.text, color: 'blue' as const, versions: [HOME, WORK].map(({ stamp, text }) => ({ stamp, text })) };
    await act(() => render(<NotePanel panel={{ type: 'note', id: 'a1' }} placement="sheet" editor={null} annotation={annotation} orphans={[]} lessonNoteVersions={[]} strings={en} actions={actions} />, mount.root));

    await act(() => button('1 other version').click());
    await act(() => button('Use this version').click());

    expect(actions.restoreNoteVersion).toHaveBeenCalledWith('a1', WORK.stamp);
  });

  test('the lesson note panel offers the lesson note\'s versions under its editor', async () => {
    const actions = pageActions();
    const editor = { target: { type: 'lesson' as const }, text: HOME.text, status: 'saved' as const, message: null };
    await act(() => render(<NotePanel panel={{ type: 'lesson' }} placement="drawer" editor={editor} annotation={null} orphans={[]} lessonNoteVersions={[HOME, WORK].map(({ stamp, text }) => ({ stamp, text }))} strings={en} actions={actions} />, mount.root));

    await act(() => button('1 other version').click());
    await act(() => button('Use this version').click());

    expect(actions.restoreLessonNoteVersion).toHaveBeenCalledWith(WORK.stamp);
  });
});

/** Storage that swaps a chosen version with the note, as the background does. */
class VersionStore {
  readonly restored: Array<{ id: string; stamp: string }> = [];
  readonly lessonNotesSaved: string[] = [];
  lessonNote: LessonNote = { lessonId: LESSON.lessonId, lesson: LESSON, note: HOME.text, createdAt: 1, updatedAt: 2, sync: { notes: [HOME, WORK] } };
  constructor(private readonly annotations: Map<string, Annotation>) {}

  async restoreNoteVersion(id: string, stamp: string): Promise<Result<Annotation>> {
    this.restored.push({ id, stamp });
    const record = this.annotations.get(id)!;
    const notes = swap(record.sync!.notes, stamp);
    if (!notes) return { ok: false, error: 'This version of the note is no longer there.' };
    return { ok: true, value: { ...record, note: notes[0]!.text, sync: { ...record.sync!, notes } } };
  }

  async restoreLessonNoteVersion(_lessonId: string, stamp: string): Promise<Result<LessonNote>> {
    const notes = swap(this.lessonNote.sync!.notes, stamp);
    if (!notes) return { ok: false, error: 'This version of the lesson note is no longer there.' };
    this.lessonNote = { ...this.lessonNote, note: notes[0]!.text, sync: { notes } };
    return { ok: true, value: this.lessonNote };
  }

  async getLessonNote(): Promise<Result<LessonNote | null>> {
    return { ok: true, value: this.lessonNote };
  }

  async saveLessonNote(_lesson: unknown, note: string): Promise<Result<LessonNote>> {
    this.lessonNotesSaved.push(note);
    // A new text replaces the shown version only; the conflict versions stay (merge.ts editNote).
    const [, ...others] = this.lessonNote.sync!.notes;
    this.lessonNote = { ...this.lessonNote, note, sync: { notes: [{ text: note, stamp: '1772355600000-000000-homeprofile1', seen: {} }, ...others] } };
    return { ok: true, value: this.lessonNote };
  }
}

/** The chosen version first (with a new stamp), the replaced note after it; null when the stamp is not there. */
function swap(notes: NoteVersion[], stamp: string): NoteVersion[] | null {
  const chosen = notes.find((version) => version.stamp === stamp);
  if (!chosen) return null;
  return [{ ...chosen, stamp: `9${chosen.stamp.slice(1)}` }, ...notes.filter((version) => version !== chosen)];
}

describe('the notes controller', () => {
  let annotations: Map<string, Annotation>;
  let store: VersionStore;
  let ui: UiStateStore;
  let notes: NotesController;

  beforeEach(async () => {
    const annotation: Annotation = {
      id: 'a1',
      lesson: LESSON,
      target: {
        quote: { type: 'TextQuoteSelector', exact: '超时不等于失败', prefix: '', suffix: '' },
        position: { type: 'TextPositionSelector', start: 0, end: 7 },
      },
      color: 'yellow',
      note: HOME.text,
      tags: [],
      createdAt: 1,
      updatedAt: 2,
      deletedAt: null,
      anchorStatus: 'anchored',
      sync: { color: HOME.stamp, tags: HOME.stamp, deleted: HOME.stamp, notes: [HOME, WORK] },
    };
    annotations = new Map([['a1', annotation]]);
    store = new VersionStore(annotations);
    ui = new UiStateStore({ render: () => {} });
    const range = document.createRange();
    notes = new NotesController({
      doc: document,
      lesson: () => LESSON,
      parts: () => ({ layout: 'desktop', body: document.body, scrollContainer: null }) as unknown as LessonParts,
      annotations: () => annotations,
      onAnnotationSaved: (saved) => annotations.set(saved.id, saved),
      store: store as unknown as AnnotationStore,
      painter: { rangeOf: () => range, emphasize: () => {} } as unknown as HighlightPainter,
      ui,
      host: { setTheme: () => {}, scrollMargin: () => {}, measureCards: () => new Map(), onCardsResized: () => () => {} },
      messages: { tooLong: (length) => `This note has ${length} characters`, saveFailed: (reason) => `Could not save: ${reason}` },
    });
    await notes.start();
  });

  afterEach(() => notes.destroy());

  test("restoring a highlight's version shows it as the note and keeps the replaced text as the version", async () => {
    expect(await notes.restoreNoteVersion('a1', WORK.stamp)).toEqual({ ok: true });

    expect(annotations.get('a1')?.note).toBe(WORK.text);
    expect(annotations.get('a1')?.sync?.notes.map((version) => version.text)).toEqual([WORK.text, HOME.text]);
  });

  test('a refusal comes back in words and changes nothing shown', async () => {
    const answer = await notes.restoreNoteVersion('a1', LAPTOP.stamp);

    expect(answer).toEqual({ ok: false, error: 'This version of the note is no longer there.' });
    expect(annotations.get('a1')?.note).toBe(HOME.text);
  });

  test("the lesson note's versions reach the UI state; restoring one shows it in the open editor and lists the replaced text", async () => {
    expect(ui.state.lessonNoteVersions.map((version) => version.text)).toEqual([HOME.text, WORK.text]);
    await notes.openLessonNote();

    await notes.restoreLessonNoteVersion(WORK.stamp);

    expect(ui.state.editor).toMatchObject({ target: { type: 'lesson' }, text: WORK.text, status: 'saved' });
    expect(ui.state.lessonNoteVersions.map((version) => version.text)).toEqual([WORK.text, HOME.text]);
    expect(ui.state.hasLessonNote).toBe(true);
  });

  test('text typed in the lesson note but not yet saved is saved before a version is used, never dropped', async () => {
    await notes.openLessonNote();
    notes.editText('刚打的字');

    const answer = await notes.restoreLessonNoteVersion(WORK.stamp);

    expect(store.lessonNotesSaved).toEqual(['刚打的字']);
    // The typed text replaced the shown note only, so the other version could still be chosen, and the typed text stays beside it.
    expect(answer.ok).toBe(true);
    expect(ui.state.lessonNoteVersions.map((version) => version.text)).toEqual([WORK.text, '刚打的字']);
  });
});

describe('the popup', () => {
  const reviewStrings = loadReviewStrings(getMessageFrom(messages('en')), 'en');

  /** A backend over one annotation with a conflict version and a lesson note with one. */
  function conflictBackend(): ReviewBackend & { restored: string[] } {
    let annotation: Annotation = {
      id: '7d3c2a10-1111-4222-8333-944445555666',
      lesson: LESSON,
      target: {
        quote: { type: 'TextQuoteSelector', exact: '超时不等于失败', prefix: '', suffix: '' },
        position: { type: 'TextPositionSelector', start: 0, end: 7 },
      },
      color: 'pink',
      note: HOME.text,
      tags: [],
      createdAt: 1,
      updatedAt: 1772352000000,
      deletedAt: null,
      anchorStatus: 'anchored',
      sync: { color: HOME.stamp, tags: HOME.stamp, deleted: HOME.stamp, notes: [HOME, WORK] },
    };
    let lessonNote: LessonNote = { lessonId: LESSON.lessonId, lesson: LESSON, note: '本讲：重试', createdAt: 1, updatedAt: 2, sync: { notes: [{ ...HOME, text: '本讲：重试' }, { ...WORK, text: '本讲：幂等' }] } };
    const restored: string[] = [];
    const ok = <T,>(value: T) => Promise.resolve({ ok: true as const, value });
    return {
      restored,
      listLessonAnnotations: () => ok([annotation]),
      listAnnotations: () => ok([annotation]),
      listLessonNotes: () => ok([lessonNote]),
      saveNote: () => ok(annotation),
      deleteAnnotation: () => ok(annotation),
      restoreAnnotation: () => ok(annotation),
      restoreNoteVersion: (_id, stamp) => {
        restored.push(stamp);
        const notes = swap(annotation.sync!.notes, stamp)!;
        annotation = { ...annotation, note: notes[0]!.text, sync: { ...annotation.sync!, notes } };
        return ok(annotation);
      },
      restoreLessonNoteVersion: (_lessonId, stamp) => {
        restored.push(stamp);
        const notes = swap(lessonNote.sync!.notes, stamp)!;
        lessonNote = { ...lessonNote, note: notes[0]!.text, sync: { notes } };
        return ok(lessonNote);
      },
      openAnnotation: () => ok({ tabId: 1 }),
      download: () => {},
      copyText: () => ok(null),
      openLibrary: () => {},
      importFile: () => ok({ imported: 0, changed: 0 }),
      newCollectionId: () => 'urn:uuid:test',
    };
  }

  async function settle(): Promise<void> {
    for (let i = 0; i < 5; i++) await act(() => new Promise((resolve) => setTimeout(resolve, 120)));
  }

  test("an item's other version is offered under its note; using it swaps the two texts in place", async () => {
    const backend = conflictBackend();
    await act(() => render(<PopupApp backend={backend} strings={reviewStrings} currentLessonId={LESSON.lessonId} />, mount.root));
    await settle();
    const item = mount.root.querySelector('li[data-annotation-id]')!;
    const toggle = [...item.querySelectorAll('button')].find((element) => element.textContent === '1 other version')!;
    // The list's one tab stop: the first item is active, so its buttons are reachable with Tab.
    expect(toggle.tabIndex).toBe(0);

    await act(() => toggle.click());
    // Versions are rendered as the note is, Markdown and all (the stars are formatting).
    expect(item.querySelector('.versions-panel')?.textContent).toContain(shown(WORK.text));
    await act(() => [...item.querySelectorAll('button')].find((element) => element.textContent === 'Use this version')!.click());
    await settle();

    expect(backend.restored).toEqual([WORK.stamp]);
    expect(item.querySelector('.note')?.textContent).toBe(shown(WORK.text));
    expect(item.querySelector('.note em')?.textContent).toBe('幂等');
    expect(item.querySelector('.versions-panel')?.textContent).toContain(shown(HOME.text));
  });

  test("the lesson note's other version is offered and restored the same way", async () => {
    const backend = conflictBackend();
    await act(() => render(<PopupApp backend={backend} strings={reviewStrings} currentLessonId={LESSON.lessonId} />, mount.root));
    await settle();
    const lessonNote = mount.root.querySelector('.lesson-note')!;

    await act(() => [...lessonNote.querySelectorAll('button')].find((element) => element.textContent === '1 other version')!.click());
    await act(() => [...lessonNote.querySelectorAll('button')].find((element) => element.textContent === 'Use this version')!.click());
    await settle();

    expect(lessonNote.querySelector('p')?.textContent).toBe('本讲：幂等');
    expect(lessonNote.querySelector('.versions-panel')?.textContent).toContain('本讲：重试');
  });
});
