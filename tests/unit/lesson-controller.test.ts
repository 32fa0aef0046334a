import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { describeRange } from '../../page/anchoring';
import type { HighlightPainter } from '../../page/highlight-painter';
import { LessonController, type AnnotationStore, type PageUi } from '../../page/lesson-controller';
import { findLessonParts, textRoots } from '../../page/lesson-dom';
import { parseLessonUrl } from '../../page/lesson-url';
import { EMPTY_UI_STATE, TOOLBAR_SIZE, type PageUiState } from '../../page/page-ui-state';
import { buildTextIndex } from '../../page/text-index';
import type {
  AnchorStatus,
  Annotation,
  AnnotationDraft,
  AnnotationPatch,
  AnnotationTarget,
  HighlightColor,
  LessonNote,
  LessonRef,
} from '../../storage/model';
import type { Result } from '../../storage/protocol';
import {
  compact,
  highlightedText,
  lessonHtml,
  loadLesson,
  selectBetween,
  type HtmlEdit,
} from '../fixtures/anchoring/lesson-fixtures';

const LESSON = parseLessonUrl('https://time.geekbang.org/column/article/486612?free=1')!;
const MESSAGES = {
  deleted: '划线已删除',
  saveFailed: (reason: string) => `没能保存划线：${reason}`,
  tooLong: (length: number) => `笔记有 ${length} 个字符`,
};
const REANCHOR_DELAY_MS = 120;

/** Storage that answers from memory and records what the page sent. */
class FakeStore implements AnnotationStore {
  stored: Annotation[] = [];
  readonly drafts: AnnotationDraft[] = [];
  readonly reports: Array<{ lessonId: string; results: Array<{ id: string; status: AnchorStatus }> }> = [];
  /** When set, every call fails with this reason. */
  failure: string | null = null;

  async list(lessonId: string): Promise<Result<Annotation[]>> {
    return this.answer(() => this.stored.filter((annotation) => annotation.lesson.lessonId === lessonId));
  }

  async create(draft: AnnotationDraft): Promise<Result<Annotation>> {
    this.drafts.push(draft);
    return this.answer(() => {
      const created = annotation(`created-${this.drafts.length}`, draft.target, 'anchored', draft.color);
      this.stored.push(created);
      return created;
    });
  }

  async update(id: string, patch: AnnotationPatch): Promise<Result<Annotation>> {
    return this.answer(() => ({ ...this.find(id), ...patch }));
  }

  async remove(id: string): Promise<Result<Annotation>> {
    return this.answer(() => this.find(id));
  }

  async restore(id: string): Promise<Result<Annotation>> {
    return this.answer(() => this.find(id));
  }

  async reportAnchors(lessonId: string, results: Array<{ id: string; status: 'anchored' | 'orphan' }>) {
    this.reports.push({ lessonId, results });
    return this.answer(() => ({ updated: results.length }));
  }

  lessonNote: LessonNote | null = null;

  async getLessonNote(): Promise<Result<LessonNote | null>> {
    return this.answer(() => this.lessonNote);
  }

  async saveLessonNote(lesson: LessonRef, note: string): Promise<Result<LessonNote>> {
    return this.answer(() => (this.lessonNote = { lessonId: lesson.lessonId, lesson, note, createdAt: 1, updatedAt: 2 }));
  }

  // Conflict versions have their own tests (tests/unit/note-conflicts-ui.test.tsx).
  async restoreNoteVersion(id: string): Promise<Result<Annotation>> {
    return this.answer(() => this.find(id));
  }

  async restoreLessonNoteVersion(): Promise<Result<LessonNote>> {
    return this.answer(() => this.lessonNote!);
  }

  private find(id: string): Annotation {
    const found = this.stored.find((stored) => stored.id === id);
    if (!found) throw new Error(`no annotation ${id}`);
    return found;
  }

  private answer<T>(value: () => T): Result<T> {
    return this.failure ? { ok: false, error: this.failure } : { ok: true, value: value() };
  }
}

/** The UI as the controller sees it: remembers every state it was asked to show. */
class FakeUi implements PageUi {
  readonly states: PageUiState[] = [];

  get shown(): PageUiState {
    return this.states.at(-1) ?? EMPTY_UI_STATE;
  }

  render(state: PageUiState): void {
    this.states.push(state);
  }

  contains(): boolean {
    return false;
  }

  scrollMargin(): void {}

  setTheme(): void {}

  measureCards(): Map<string, number> {
    return new Map();
  }

  onCardsResized(): () => void {
    return () => {};
  }
}

/** Paint kept in a map: happy-dom has no CSS Custom Highlight API. */
class FakePainter implements Pick<HighlightPainter, 'paint' | 'recolor' | 'remove' | 'clear' | 'rangeOf' | 'hitTest'> {
  readonly painted = new Map<string, { range: Range; color: HighlightColor }>();

  paint(id: string, ranges: readonly Range[], color: HighlightColor): void {
    // The whole span, as the real painter's rangeOf reports it.
    const range = ranges[0]!.cloneRange();
    const last = ranges.at(-1)!;
    range.setEnd(last.endContainer, last.endOffset);
    this.painted.set(id, { range, color });
  }

  recolor(id: string, color: HighlightColor): void {
    const painted = this.painted.get(id);
    if (painted) this.painted.set(id, { ...painted, color });
  }

  remove(id: string): void {
    this.painted.delete(id);
  }

  clear(): void {
    this.painted.clear();
  }

  rangeOf(id: string): Range | undefined {
    return this.painted.get(id)?.range;
  }

  hitTest(): string[] {
    return [];
  }

  /** What the reader sees highlighted for `id`, or undefined when it is not painted. */
  textOf(id: string): string | undefined {
    const painted = this.painted.get(id);
    return painted && highlightedText(painted.range);
  }
}

function annotation(id: string, target: AnnotationTarget, anchorStatus: AnchorStatus, color: HighlightColor = 'yellow'): Annotation {
  return {
    id,
    lesson: { site: 'time.geekbang.org', ...LESSON, lessonTitle: '', courseTitle: '' },
    target,
    color,
    note: '',
    tags: [],
    createdAt: 1,
    updatedAt: 1,
    deletedAt: null,
    anchorStatus,
  };
}

/** Highlights a passage of the lesson page (after `edits`) as it was when the reader marked it. */
function targetOn(from: string, to: string, edits: readonly HtmlEdit[] = []): AnnotationTarget {
  loadLesson('slate-desktop', edits);
  const parts = findLessonParts(document)!;
  const target = describeRange(buildTextIndex(textRoots(parts)), selectBetween(parts.body, from, to));
  if (!target) throw new Error(`nothing between ${from} and ${to}`);
  return target;
}

/** Re-renders the lesson body the way the site does: new nodes, same editor element. */
function rerenderBody(edits: readonly HtmlEdit[] = []): void {
  const fresh = new DOMParser().parseFromString(lessonHtml('slate-desktop', edits), 'text/html');
  document.querySelector('[data-slate-editor]')!.innerHTML = fresh.querySelector('[data-slate-editor]')!.innerHTML;
}

/** Selects `[from … to]` in the lesson and lets go of the mouse there. */
function selectWithMouse(from: string, to: string): void {
  const range = selectBetween(document.querySelector('[data-slate-editor]')!, from, to);
  const selection = document.getSelection()!;
  selection.removeAllRanges();
  selection.addRange(range);
  range.startContainer.parentElement!.dispatchEvent(
    new MouseEvent('mouseup', { bubbles: true, button: 0, clientX: 420, clientY: 310 }),
  );
}

let store: FakeStore;
let painter: FakePainter;
let ui: FakeUi;
let controller: LessonController | null;

function startController(): Promise<void> {
  controller = new LessonController(
    document,
    LESSON,
    findLessonParts(document)!,
    store,
    // HighlightPainter has private fields, so TypeScript will not accept a
    // look-alike; FakePainter implements every method the controller calls.
    painter as unknown as HighlightPainter,
    ui,
    MESSAGES,
  );
  return controller.start();
}

const SENTENCE = ['如果从节点回放', '只是最终会追上来。'] as const;
const SENTENCE_TEXT = '如果从节点回放得比主节点慢，那么在这段时间里去读从节点，读到的就可能是旧值。换句话说，副本之间的数据并不总是一致的，只是最终会追上来。';
const INSERTED: HtmlEdit = ['今天我们聊一聊复制。', '今天我们聊一聊复制。开始之前，先回顾一下上一讲留下的那道思考题。'];

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  // happy-dom does no layout: give selections the box a browser would.
  vi.spyOn(Range.prototype, 'getBoundingClientRect').mockReturnValue(new DOMRect(400, 300, 200, 20));
  store = new FakeStore();
  painter = new FakePainter();
  ui = new FakeUi();
  controller = null;
});

afterEach(() => {
  controller?.destroy();
  document.getSelection()?.removeAllRanges();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('opening a lesson', () => {
  test('paints the stored highlights that still fit and reports only the statuses that changed', async () => {
    const sentence = targetOn(...SENTENCE);
    const code = targetOn('return ErrOutOfOrder', 'n.lastApplied = entry.Index');
    const deletedLater = targetOn('哪怕', '也一样。', [['去读从节点，读到的', '去读从节点，哪怕只慢了几毫秒也一样。读到的']]);
    const longGone = targetOn('开始之前', '思考题。', [INSERTED]);
    store.stored = [
      annotation('still-anchored', sentence, 'anchored', 'green'),
      annotation('never-tried', code, 'unknown', 'blue'),
      annotation('newly-orphaned', deletedLater, 'anchored'),
      annotation('still-orphaned', longGone, 'orphan'),
    ];
    loadLesson('slate-desktop');

    await startController();

    expect([...painter.painted.keys()].sort()).toEqual(['never-tried', 'still-anchored']);
    expect(painter.textOf('still-anchored')).toBe(compact(SENTENCE_TEXT));
    expect(painter.painted.get('still-anchored')?.color).toBe('green');
    expect(painter.textOf('never-tried')).toBe('returnErrOutOfOrder}n.lastApplied=entry.Index');
    expect(store.reports).toEqual([
      {
        lessonId: '486612',
        results: [
          { id: 'never-tried', status: 'anchored' },
          { id: 'newly-orphaned', status: 'orphan' },
        ],
      },
    ]);
  });

  test('reports nothing when every highlight is where it was', async () => {
    store.stored = [annotation('a', targetOn(...SENTENCE), 'anchored')];
    loadLesson('slate-desktop');

    await startController();

    expect(painter.textOf('a')).toBe(compact(SENTENCE_TEXT));
    expect(store.reports).toEqual([]);
  });

  test('a store that cannot list the lesson’s highlights shows an error toast in words', async () => {
    store.failure = '数据库已关闭';
    loadLesson('slate-desktop');

    await startController();

    expect(ui.shown.toast).toEqual({ type: 'error', message: '没能保存划线：数据库已关闭' });
    expect(painter.painted.size).toBe(0);
    await vi.advanceTimersByTimeAsync(6000);
    expect(ui.shown.toast).toBeNull();
  });
});

describe('following the page', () => {
  test('after the site re-renders the body, highlights move onto the new text after a short pause', async () => {
    store.stored = [annotation('a', targetOn(...SENTENCE), 'anchored')];
    loadLesson('slate-desktop');
    await startController();
    const before = painter.rangeOf('a')!;

    rerenderBody([INSERTED]);
    await vi.advanceTimersByTimeAsync(REANCHOR_DELAY_MS - 20);
    expect(painter.rangeOf('a')).toBe(before);

    await vi.advanceTimersByTimeAsync(20);
    const after = painter.rangeOf('a')!;
    expect(after).not.toBe(before);
    expect(after.startContainer.isConnected).toBe(true);
    expect(painter.textOf('a')).toBe(compact(SENTENCE_TEXT));
  });

  test('a burst of re-renders re-anchors once, after the last one', async () => {
    store.stored = [annotation('a', targetOn(...SENTENCE), 'anchored')];
    loadLesson('slate-desktop');
    await startController();
    const clear = vi.spyOn(painter, 'clear');

    for (let i = 0; i < 5; i++) {
      rerenderBody();
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(clear).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(REANCHOR_DELAY_MS);

    expect(clear).toHaveBeenCalledTimes(1);
    expect(painter.textOf('a')).toBe(compact(SENTENCE_TEXT));
  });

  test('a highlight whose passage the re-render removed is reported as an orphan', async () => {
    store.stored = [annotation('a', targetOn(...SENTENCE), 'anchored')];
    loadLesson('slate-desktop');
    await startController();

    rerenderBody([[SENTENCE_TEXT, '这一段被作者删掉了。']]);
    await vi.advanceTimersByTimeAsync(REANCHOR_DELAY_MS);

    expect(painter.painted.size).toBe(0);
    expect(store.reports).toEqual([{ lessonId: '486612', results: [{ id: 'a', status: 'orphan' }] }]);
  });

  test('after destroy the paint is gone and the page is no longer followed', async () => {
    store.stored = [annotation('a', targetOn(...SENTENCE), 'anchored')];
    loadLesson('slate-desktop');
    await startController();
    const rendered = ui.states.length;

    controller!.destroy();
    expect(painter.painted.size).toBe(0);
    expect(ui.shown).toEqual(EMPTY_UI_STATE);

    rerenderBody([INSERTED]);
    selectWithMouse('先说结论', '第一个代价');
    await vi.advanceTimersByTimeAsync(REANCHOR_DELAY_MS * 2);
    expect(painter.painted.size).toBe(0);
    expect(ui.states).toHaveLength(rendered + 1);
  });
});

describe('highlighting a selection', () => {
  test('shows the color toolbar above the selection when the mouse is released', async () => {
    loadLesson('slate-desktop');
    await startController();

    selectWithMouse('先说结论', '第一个代价');
    await vi.advanceTimersByTimeAsync(0);

    expect(ui.shown.toolbar).toEqual({ top: 300 - 8 - TOOLBAR_SIZE.height, left: 500 - TOOLBAR_SIZE.width / 2 });
  });

  test('shows no toolbar for a selection outside the lesson text', async () => {
    loadLesson('slate-desktop');
    await startController();
    const outline = document.querySelector('[class*="Index_outline_"]')!;
    const range = document.createRange();
    range.selectNodeContents(outline);
    document.getSelection()!.addRange(range);

    outline.dispatchEvent(new MouseEvent('mouseup', { bubbles: true, button: 0 }));
    await vi.advanceTimersByTimeAsync(0);

    expect(ui.shown.toolbar).toBeNull();
  });

  test('sends a draft with the lesson and the quote, then paints the new highlight', async () => {
    loadLesson('slate-desktop');
    await startController();
    selectWithMouse('做法是', 'replication_log');
    await vi.advanceTimersByTimeAsync(0);

    await controller!.highlightSelection('green');

    expect(store.drafts).toHaveLength(1);
    const [draft] = store.drafts;
    expect(draft!.lesson).toEqual({
      site: 'time.geekbang.org',
      lessonId: '486612',
      url: 'https://time.geekbang.org/column/article/486612',
      lessonTitle: '07 | 副本与复制：一份数据为什么要存三份',
      courseTitle: '分布式存储十二讲',
    });
    expect(draft!.color).toBe('green');
    expect(draft!.target.quote.exact).toBe('做法是主从复制：所有写请求先交给主节点，主节点把每次变更追加到replication_log');
    expect(painter.textOf('created-1')).toBe(compact(draft!.target.quote.exact));
    expect(ui.shown.toolbar).toBeNull();
    expect(document.getSelection()?.rangeCount ?? 0).toBe(0);
  });

  test('a failed save shows an error toast in words and paints nothing', async () => {
    loadLesson('slate-desktop');
    await startController();
    selectWithMouse('先说结论', '第一个代价');
    await vi.advanceTimersByTimeAsync(0);
    store.failure = '存储空间已满';

    await controller!.highlightSelection('yellow');

    expect(ui.shown.toast).toEqual({ type: 'error', message: '没能保存划线：存储空间已满' });
    expect(painter.painted.size).toBe(0);
  });
});
