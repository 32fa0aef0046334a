import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, test, vi } from 'vitest';
import { PopupApp } from '../../components/PopupApp';
import type { ReviewBackend } from '../../storage/review-backend';
import { loadReviewStrings } from '../../components/review-strings';
import type { Annotation } from '../../storage/model';
import { SAMPLE_ANNOTATIONS, SAMPLE_NOTES, TIMEOUTS } from '../fixtures/export/sample-library';
import { useRenderRoot } from './render-root';

const strings = loadReviewStrings(
  (key, substitutions) => (substitutions ? `${key}:${substitutions.join(',')}` : key),
  'en',
);

/** A backend over an in-memory list, as the background would answer. */
function fakeBackend(annotations: Annotation[], notes = SAMPLE_NOTES): ReviewBackend & { deleted: string[] } {
  let live = [...annotations];
  const deleted: string[] = [];
  const ok = <T,>(value: T) => Promise.resolve({ ok: true as const, value });
  return {
    deleted,
    listLessonAnnotations: (lessonId) => ok(live.filter((a) => a.lesson.lessonId === lessonId)),
    listAnnotations: (limit) => ok(live.slice(0, limit)),
    listLessonNotes: () => ok(notes),
    saveNote: (id, note) => ok({ ...live.find((a) => a.id === id)!, note }),
    deleteAnnotation: (id) => {
      deleted.push(id);
      const record = live.find((a) => a.id === id)!;
      live = live.filter((a) => a.id !== id);
      return ok({ ...record, deletedAt: 1 });
    },
    restoreAnnotation: (id) => {
      const record = annotations.find((a) => a.id === id)!;
      live = [record, ...live];
      return ok(record);
    },
    // Conflict versions have their own tests (tests/unit/note-conflicts-ui.test.tsx).
    restoreNoteVersion: (id) => ok(live.find((a) => a.id === id)!),
    restoreLessonNoteVersion: (lessonId) => ok(notes.find((note) => note.lessonId === lessonId)!),
    openAnnotation: vi.fn(() => ok({ tabId: 1 })),
    download: vi.fn(),
    copyText: vi.fn(() => ok(null)),
    openLibrary: vi.fn(),
    importFile: async () => ({ ok: true, value: { imported: 0, changed: 0 } }),
    newCollectionId: () => 'urn:uuid:test',
  };
}

const mount = useRenderRoot();

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await act(() => new Promise((resolve) => setTimeout(resolve, 120)));
}

const itemTexts = () =>
  [...mount.root.querySelectorAll('li[data-annotation-id]')].map((item) => item.querySelector('.quote')!.textContent);

describe('the popup', () => {
  test("lists this lesson's highlights first, in reading order, then the other lessons", async () => {
    await act(() =>
      render(
        <PopupApp backend={fakeBackend(SAMPLE_ANNOTATIONS)} strings={strings} currentLessonId={TIMEOUTS.lessonId} />,
        mount.root,
      ),
    );
    await settle();
    const quotes = itemTexts();
    expect(quotes.slice(0, 3)).toEqual([
      SAMPLE_ANNOTATIONS[2]!.target.quote.exact,
      SAMPLE_ANNOTATIONS[0]!.target.quote.exact,
      SAMPLE_ANNOTATIONS[4]!.target.quote.exact,
    ]);
    expect(quotes).toHaveLength(5);
    expect(mount.root.querySelector('.orphan')?.textContent).toBe('reviewOrphan');
  });

  test("renders a note's Markdown as the page does, and marks search matches inside it", async () => {
    await act(() => render(<PopupApp backend={fakeBackend(SAMPLE_ANNOTATIONS)} strings={strings} currentLessonId={null} />, mount.root));
    await settle();
    const search = mount.root.querySelector<HTMLInputElement>('input[type="search"]')!;
    search.value = '业务';
    await act(() => void search.dispatchEvent(new Event('input', { bubbles: true })));
    await settle();

    const note = [...mount.root.querySelectorAll('.note')].find((element) => element.textContent?.includes('幂等键'))!;
    // "**业务单号**" is bold, not two stars, and the match inside it is marked.
    expect(note.textContent).not.toContain('**');
    expect(note.querySelector('strong mark')?.textContent).toBe('业务');
    expect([...note.querySelectorAll('ul li')].map((item) => item.textContent)).toEqual(['订单号', '支付流水号']);
  });

    test('says what to do when there is nothing yet', async () => {
    await act(() => render(<PopupApp backend={fakeBackend([], [])} strings={strings} currentLessonId={null} />, mount.root));
    await settle();
    expect(mount.root.textContent).toContain('reviewEmptyTitle');
    expect(mount.root.textContent).toContain('reviewEmptyHint');
  });

  test('arrow keys move between items; Enter opens; Delete deletes and offers an undo', async () => {
    const backend = fakeBackend(SAMPLE_ANNOTATIONS);
    await act(() => render(<PopupApp backend={backend} strings={strings} currentLessonId={null} />, mount.root));
    await settle();
    const items = () => [...mount.root.querySelectorAll<HTMLElement>('li[data-annotation-id]')];
    const key = (target: HTMLElement, name: string) =>
      act(() => void target.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true })));
    const search = mount.root.querySelector<HTMLInputElement>('input[type="search"]')!;
    await key(search, 'ArrowDown');
    expect(document.activeElement).toBe(items()[0]);
    await key(items()[0]!, 'ArrowDown');
    expect(document.activeElement).toBe(items()[1]);
    await key(items()[1]!, 'Enter');
    expect(backend.openAnnotation).toHaveBeenCalledWith(items()[1]!.dataset.annotationId);
    const doomed = items()[1]!.dataset.annotationId!;
    await key(items()[1]!, 'Delete');
    await settle();
    expect(backend.deleted).toEqual([doomed]);
    expect(items().map((item) => item.dataset.annotationId)).not.toContain(doomed);
    const undo = [...mount.root.querySelectorAll('button')].find((button) => button.textContent === 'reviewUndo')!;
    await act(() => undo.click());
    await settle();
    expect(items().map((item) => item.dataset.annotationId)).toContain(doomed);
  });
});
