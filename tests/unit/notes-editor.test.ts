import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { HighlightPainter } from '../../page/highlight-painter';
import type { AnnotationStore } from '../../page/lesson-controller';
import type { LessonParts } from '../../page/lesson-dom';
import { AUTOSAVE_DELAY_MS, NotesController } from '../../page/notes-controller';
import { UiStateStore } from '../../page/ui-state-store';
import type { Annotation, AnnotationPatch, LessonNote, LessonRef } from '../../storage/model';
import type { Result } from '../../storage/protocol';

const lesson: LessonRef = {
  site: 'time.geekbang.org',
  lessonId: '100001',
  url: 'https://time.geekbang.org/column/article/100001',
  lessonTitle: '01 | 超时之后',
  courseTitle: '分布式系统实战',
};

function annotation(id: string, note = ''): Annotation {
  return {
    id,
    lesson,
    target: {
      quote: { type: 'TextQuoteSelector', exact: '超时不等于失败', prefix: '', suffix: '' },
      position: { type: 'TextPositionSelector', start: 0, end: 7 },
    },
    color: 'yellow',
    note,
    tags: [],
    createdAt: 1,
    updatedAt: 1,
    deletedAt: null,
    anchorStatus: 'anchored',
  };
}

/** Remembers every note saved; can be told to fail. */
class NoteStore {
  readonly saved: Array<{ id: string; note: string }> = [];
  readonly lessonNotes: string[] = [];
  failure: string | null = null;
  constructor(private readonly annotations: Map<string, Annotation>) {}

  async update(id: string, patch: AnnotationPatch): Promise<Result<Annotation>> {
    if (this.failure) return { ok: false, error: this.failure };
    this.saved.push({ id, note: patch.note! });
    return { ok: true, value: { ...this.annotations.get(id)!, note: patch.note! } };
  }

  async getLessonNote(): Promise<Result<LessonNote | null>> {
    return { ok: true, value: null };
  }

  async saveLessonNote(ref: LessonRef, note: string): Promise<Result<LessonNote>> {
    if (this.failure) return { ok: false, error: this.failure };
    this.lessonNotes.push(note);
    return { ok: true, value: { lessonId: ref.lessonId, lesson: ref, note, createdAt: 1, updatedAt: 2 } };
  }
}

let annotations: Map<string, Annotation>;
let store: NoteStore;
let ui: UiStateStore;
let notes: NotesController;

beforeEach(() => {
  vi.useFakeTimers();
  annotations = new Map([['a1', annotation('a1', '旧笔记')]]);
  store = new NoteStore(annotations);
  ui = new UiStateStore({ render: () => {} });
  const range = document.createRange();
  const painter = { rangeOf: () => range, emphasize: () => {} } as unknown as HighlightPainter;
  notes = new NotesController({
    doc: document,
    lesson: () => lesson,
    parts: () => ({ layout: 'desktop', body: document.body, scrollContainer: null } as unknown as LessonParts),
    annotations: () => annotations,
    onAnnotationSaved: (saved) => annotations.set(saved.id, saved),
    store: store as unknown as AnnotationStore,
    painter,
    ui,
    host: { setTheme: () => {}, scrollMargin: () => {}, measureCards: () => new Map(), onCardsResized: () => () => {} },
    messages: { tooLong: (length) => `This note has ${length} characters`, saveFailed: (reason) => `Could not save: ${reason}` },
  });
});

afterEach(() => {
  notes.destroy();
  vi.useRealTimers();
});

describe('the note editor', () => {
  test('opens with the saved note and autosaves after the reader pauses typing', async () => {
    await notes.openNote('a1');
    expect(ui.state.editor?.text).toBe('旧笔记');

    notes.editText('新的想法：重试要有预算');
    expect(ui.state.editor?.status).toBe('dirty');
    expect(store.saved).toEqual([]);

    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS + 10);

    expect(store.saved).toEqual([{ id: 'a1', note: '新的想法：重试要有预算' }]);
    expect(ui.state.editor?.status).toBe('saved');
    expect(annotations.get('a1')?.note).toBe('新的想法：重试要有预算');
  });

  test('saves only the last text of a burst of typing', async () => {
    await notes.openNote('a1');
    for (const text of ['重', '重试', '重试预算']) {
      notes.editText(text);
      await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS / 3);
    }
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);

    expect(store.saved).toEqual([{ id: 'a1', note: '重试预算' }]);
  });

  test('closing saves what was typed but not yet autosaved', async () => {
    await notes.openNote('a1');
    notes.editText('关掉之前写的');

    expect(await notes.closeEditor()).toBe(true);

    expect(store.saved.at(-1)).toEqual({ id: 'a1', note: '关掉之前写的' });
    expect(ui.state.editor).toBeNull();
  });

  test('refuses a note over 10,000 characters with a message, keeps every character, and saves nothing', async () => {
    await notes.openNote('a1');
    const long = '字'.repeat(10_001);

    notes.editText(long);
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS * 2);
    const closed = await notes.closeEditor();

    expect(closed).toBe(false);
    expect(store.saved).toEqual([]);
    expect(ui.state.editor?.text).toBe(long);
    expect(ui.state.editor?.status).toBe('error');
    expect(ui.state.editor?.message).toBe('This note has 10001 characters');
  });

  test('a failed save keeps the text in the editor and says why', async () => {
    await notes.openNote('a1');
    store.failure = "the browser's storage is full";
    notes.editText('不能丢的一句话');

    const closed = await notes.closeEditor();

    expect(closed).toBe(false);
    expect(ui.state.editor?.text).toBe('不能丢的一句话');
    expect(ui.state.editor?.message).toBe("Could not save: the browser's storage is full");
  });

  test('deleting the note clears it but keeps the highlight', async () => {
    await notes.openNote('a1');

    await notes.deleteNote();

    expect(store.saved.at(-1)).toEqual({ id: 'a1', note: '' });
    expect(annotations.has('a1')).toBe(true);
    expect(ui.state.editor).toBeNull();
  });

  test('the lesson note is saved on its own, not on any highlight', async () => {
    await notes.openLessonNote();
    notes.editText('这一讲的主线：超时后状态未知');
    await notes.saveNote();

    expect(store.lessonNotes).toEqual(['这一讲的主线：超时后状态未知']);
    expect(store.saved).toEqual([]);
    expect(ui.state.hasLessonNote).toBe(true);
  });
});
