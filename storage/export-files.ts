/**
 * What an export covers and what its file is called (issue #4). Building the
 * file's text from the scope is pure; the pages only download or copy it.
 */
import { toAnnotationCollection } from './export-jsonld';
import { toMarkdown, type MarkdownLabels } from './export-markdown';
import { groupForExport, type CourseGroup } from './grouping';
import type { Annotation, LessonNote } from './model';

/** Which annotations an export covers. */
export type ExportScope =
  { type: 'lesson'; lessonId: string; title: string } | { type: 'course'; courseTitle: string } | { type: 'all' };

/** The two export formats. */
export type ExportFormat = 'markdown' | 'jsonld';

/** A file ready to download. */
export interface ExportFile {
  name: string;
  mimeType: string;
  text: string;
}

/** What an export needs besides the data. */
export interface ExportSettings {
  labels: MarkdownLabels;
  /** Label of the JSON collection for the whole library. */
  allLabel: string;
  now: number;
  /** A fresh IRI for the collection (`urn:uuid:…`). */
  collectionId: string;
}

/** The annotations and notes `scope` covers, grouped for export. */
export function exportGroups(
  scope: ExportScope,
  annotations: readonly Annotation[],
  notes: readonly LessonNote[],
): CourseGroup[] {
  const inScope = (lesson: { lessonId: string; courseTitle: string }) =>
    scope.type === 'all' ||
    (scope.type === 'lesson' ? lesson.lessonId === scope.lessonId : lesson.courseTitle === scope.courseTitle);
  return groupForExport(
    annotations.filter((annotation) => inScope(annotation.lesson)),
    notes.filter((note) => inScope(note.lesson)),
  );
}

/** The export file of `scope` in `format`. */
export function buildExport(
  scope: ExportScope,
  format: ExportFormat,
  annotations: readonly Annotation[],
  notes: readonly LessonNote[],
  settings: ExportSettings,
): ExportFile {
  const groups = exportGroups(scope, annotations, notes);
  const date = new Date(settings.now);
  if (format === 'markdown') {
    return {
      name: exportFileName(scope, date, 'md'),
      mimeType: 'text/markdown',
      text: toMarkdown(groups, settings.labels),
    };
  }
  const label = scope.type === 'all' ? settings.allLabel : scope.type === 'lesson' ? scope.title : scope.courseTitle;
  const collection = toAnnotationCollection(groups, { id: settings.collectionId, label, generatedAt: settings.now });
  return {
    name: exportFileName(scope, date, 'jsonld'),
    mimeType: 'application/ld+json',
    text: `${JSON.stringify(collection, null, 2)}\n`,
  };
}

/** `lesson-highlighter-<scope>-<yyyy-mm-dd>.<ext>`, safe on every file system. */
export function exportFileName(scope: ExportScope, date: Date, extension: 'md' | 'jsonld'): string {
  const name = scope.type === 'all' ? 'all' : scope.type === 'lesson' ? scope.title : scope.courseTitle;
  return `lesson-highlighter-${fileSafe(name) || scope.type}-${localDate(date)}.${extension}`;
}

/** Characters no file system accepts (and `|`, GeekTime's title separator) become dashes. */
function fileSafe(text: string): string {
  return text
    .replace(/[\\/:*?"<>|\u0000-\u001f\s]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
}

/** The reader's calendar date, yyyy-mm-dd. */
function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
