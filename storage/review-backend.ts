/**
 * What the popup and library need from the outside world (issue #4). The
 * entrypoints pass an implementation built on the message API and the page's
 * DOM (`storage/review-client.ts`); components only call these functions.
 */
import type { ExportFile } from './export-files';
import type { Annotation, LessonNote } from './model';
import type { Result } from './protocol';

export interface ReviewBackend {
  listLessonAnnotations(lessonId: string): Promise<Result<Annotation[]>>;
  /** Most recently updated first; `limit` for the first page only. */
  listAnnotations(limit?: number): Promise<Result<Annotation[]>>;
  listLessonNotes(): Promise<Result<LessonNote[]>>;
  saveNote(id: string, note: string): Promise<Result<Annotation>>;
  deleteAnnotation(id: string): Promise<Result<Annotation>>;
  restoreAnnotation(id: string): Promise<Result<Annotation>>;
  /** Makes a conflict version of a highlight's note the note; the replaced text becomes a version (issue #5). */
  restoreNoteVersion(id: string, stamp: string): Promise<Result<Annotation>>;
  /** The same for a lesson's page-level note. */
  restoreLessonNoteVersion(lessonId: string, stamp: string): Promise<Result<LessonNote>>;
  /** Shows the highlight in its lesson tab. */
  openAnnotation(id: string): Promise<Result<{ tabId: number }>>;
  /** Saves a file to the reader's downloads. */
  download(file: ExportFile): void;
  copyText(text: string): Promise<Result<null>>;
  openLibrary(): void;
  /** Merges a JSON export into the library (all or nothing). */
  importFile(text: string): Promise<Result<{ imported: number; changed: number }>>;
  /** A fresh `urn:uuid:` IRI for an exported collection. */
  newCollectionId(): string;
}
