/**
 * The export and copy actions of the popup and library (issue #4): which
 * exports make sense where the reader is, and running them through the
 * backend (download or clipboard).
 */
import { buildExport, exportGroups, type ExportFormat, type ExportScope } from '../storage/export-files';
import { lessonToMarkdown, type MarkdownLabels } from '../storage/export-markdown';
import type { LessonGroup } from '../storage/grouping';
import type { Annotation, LessonNote, LessonRef } from '../storage/model';
import type { ExportChoice } from './ExportMenu';
import type { ReviewBackend } from '../storage/review-backend';
import type { ReviewStrings } from './review-strings';
import type { ReviewActions } from './use-review-data';

/** Everything an export reads. */
export interface ExportContext {
  backend: ReviewBackend;
  strings: ReviewStrings;
  annotations: readonly Annotation[];
  notes: readonly LessonNote[];
  toast: ReviewActions['showToast'];
}

/** The Markdown labels in the reader's language. */
export function markdownLabels(strings: ReviewStrings): MarkdownLabels {
  return {
    lessonNote: strings.lessonNote,
    untitledCourse: strings.untitledCourse,
    untitledLesson: strings.untitledLesson,
  };
}

/** The menu's choices: the lesson and course in view (when there are), then everything. */
export function exportChoices(
  context: ExportContext,
  lesson: LessonRef | null,
  courseTitle: string | null,
): ExportChoice[] {
  const { strings } = context;
  const choice = (id: string, label: string, scope: ExportScope, format: ExportFormat): ExportChoice => ({
    id,
    label,
    run: () => downloadExport(context, scope, format),
  });
  const choices: ExportChoice[] = [];
  if (lesson) {
    const scope: ExportScope = { type: 'lesson', lessonId: lesson.lessonId, title: lesson.lessonTitle };
    choices.push(choice('lesson-md', strings.exportLesson, scope, 'markdown'));
  }
  if (courseTitle !== null)
    choices.push(choice('course-md', strings.exportCourse, { type: 'course', courseTitle }, 'markdown'));
  choices.push(choice('all-md', strings.exportAll, { type: 'all' }, 'markdown'));
  choices.push(choice('all-jsonld', strings.exportJson, { type: 'all' }, 'jsonld'));
  if (lesson)
    choices.push({
      id: 'lesson-copy',
      label: strings.copyLessonMarkdown,
      run: () => void copyLesson(context, lesson.lessonId),
    });
  return choices;
}

function downloadExport(context: ExportContext, scope: ExportScope, format: ExportFormat): void {
  const { backend, strings } = context;
  const now = Date.now();
  const file = buildExport(scope, format, context.annotations, context.notes, {
    labels: markdownLabels(strings),
    allLabel: strings.allNotes,
    now,
    collectionId: backend.newCollectionId(),
  });
  backend.download(file);
  context.toast({ type: 'info', message: strings.downloaded(file.name) });
}

/** Copies one lesson (all its highlights, whatever the search shows) as Markdown. */
export async function copyLesson(context: ExportContext, lessonId: string): Promise<void> {
  const [lesson] = exportGroups({ type: 'lesson', lessonId, title: '' }, context.annotations, context.notes).flatMap(
    (course) => course.lessons,
  );
  if (!lesson) return;
  await copyLessonGroup(context, lesson);
}

/** Copies `lesson` as Markdown and says whether it worked. */
export async function copyLessonGroup(context: ExportContext, lesson: LessonGroup): Promise<void> {
  const copied = await context.backend.copyText(lessonToMarkdown(lesson, markdownLabels(context.strings)));
  context.toast(
    copied.ok
      ? { type: 'info', message: context.strings.copied }
      : { type: 'error', message: context.strings.actionFailed(copied.error) },
  );
}
