/**
 * Answers the requests of `storage/protocol.ts` in the background: validates
 * each message, runs it against the database and turns every failure into a
 * {@link Result} with an error in words, so nothing is thrown across the
 * message boundary.
 */
import {
  createAnnotation,
  deleteAnnotation,
  listLessonAnnotations,
  recordAnchorResults,
  restoreAnnotation,
  restoreNoteVersion,
  StorageError,
  updateAnnotation,
} from './annotations';
import { countLibrary } from './backup/library-counts';
import type { LessonHighlighterDb } from './db';
import { getLessonNote, restoreLessonNoteVersion, saveLessonNote } from './lesson-notes';
import { listAnnotations, listLessonNotes } from './library-queries';
import { isTabRequest, parseRequest } from './protocol';
import { importAnnotationsFile } from './sync/import-file';
import type { Request, RequestType, ResponseValues, Result, StorageRequestType } from './protocol';

/** A request the database alone can answer. */
type StorageRequest = Extract<Request, { type: StorageRequestType }>;

/** The request of one `type`. */
type RequestOf<K extends StorageRequestType> = Extract<StorageRequest, { type: K }>;

/** Answers one validated request of type `K`. */
type Handler<K extends StorageRequestType> = (
  db: LessonHighlighterDb,
  request: RequestOf<K>,
) => Promise<ResponseValues[K]>;

/** Any successful answer. */
export type ResponseValue = ResponseValues[RequestType];

/**
 * One handler per request type that the database alone can answer; the
 * compiler insists every such type has one. Requests needing the tabs API are
 * answered by the background wiring (`storage/tab-requests.ts`).
 */
const handlers: { [K in StorageRequestType]: Handler<K> } = {
  listLessonAnnotations: (db, { lessonId }) => listLessonAnnotations(db, lessonId),
  createAnnotation: (db, { draft }) => createAnnotation(db, draft),
  updateAnnotation: (db, { id, patch }) => updateAnnotation(db, id, patch),
  deleteAnnotation: (db, { id }) => deleteAnnotation(db, id),
  restoreAnnotation: (db, { id }) => restoreAnnotation(db, id),
  reportAnchorResults: (db, { lessonId, results }) => recordAnchorResults(db, lessonId, results),
  getLessonNote: (db, { lessonId }) => getLessonNote(db, lessonId),
  saveLessonNote: (db, { lesson, note }) => saveLessonNote(db, lesson, note),
  listAnnotations: (db, { limit }) => listAnnotations(db, limit),
  listLessonNotes: (db) => listLessonNotes(db),
  importAnnotations: (db, { text }) => importAnnotationsFile(db, text),
  restoreNoteVersion: (db, { id, stamp }) => restoreNoteVersion(db, id, stamp),
  restoreLessonNoteVersion: (db, { lessonId, stamp }) => restoreLessonNoteVersion(db, lessonId, stamp),
  countLibrary: (db) => countLibrary(db),
};

/** Looks up the handler for the request's own type, keeping request and answer types paired. */
function dispatch<K extends StorageRequestType>(
  db: LessonHighlighterDb,
  request: RequestOf<K> & { type: K },
): Promise<ResponseValues[K]> {
  const handler: Handler<K> = handlers[request.type];
  return handler(db, request);
}

/**
 * Validates `message` and answers it. Never throws: invalid input, refusals
 * and database failures all come back as `{ ok: false, error }` in words.
 */
export async function handleRequest(
  db: LessonHighlighterDb,
  message: unknown,
): Promise<Result<ResponseValue>> {
  const parsed = parseRequest(message);
  if (!parsed.ok) return parsed;
  return answerRequest(db, parsed.value);
}

/**
 * Answers an already validated request from the database. Never throws. A
 * request that needs the tabs API is refused in words: only the background
 * wiring can answer it.
 */
export async function answerRequest(db: LessonHighlighterDb, request: Request): Promise<Result<ResponseValue>> {
  if (isTabRequest(request)) {
    return { ok: false, error: `${request.type} needs the browser's tabs and is answered by the background only.` };
  }
  try {
    return { ok: true, value: await dispatch(db, request) };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}

/**
 * Database failures a reader can act on, by IndexedDB/Dexie error name. Each
 * is a whole sentence that reads on its own and after "Not saved:" (issue #8).
 */
const DATABASE_ERROR_WORDS: Readonly<Record<string, string>> = {
  QuotaExceededError:
    "The browser's storage is full (is the disk full?). Free some disk space, then try again.",
  VersionError:
    'The highlight database was written by a newer version of this extension. Update the extension to use it.',
  MissingAPIError: 'This browser does not allow the extension to store data (IndexedDB is unavailable).',
  InvalidStateError: 'The highlight database is unavailable right now; try again in a moment.',
  DatabaseClosedError: 'The highlight database was closed; try again in a moment.',
  // Chrome's name for a damaged database or a failing disk ("Internal error opening backing store").
  UnknownError:
    'The highlight database could not be read or written (it may be damaged, or the disk failed). Restart the browser and try again.',
  OpenFailedError: 'The highlight database could not be opened. Restart the browser and try again.',
};

/** Turns anything thrown while answering into a sentence for the reader. */
export function describeError(error: unknown): string {
  if (error instanceof StorageError) return error.message;
  // The innermost known cause says most: a closed database may be closed because it is damaged.
  const name = errorNames(error).reverse().find((candidate) => candidate in DATABASE_ERROR_WORDS);
  if (name !== undefined) return DATABASE_ERROR_WORDS[name] ?? name;
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `The highlight database failed: ${detail}`;
}

/**
 * The names of an error and of the errors it wraps. Dexie reports a full disk
 * as an `AbortError` whose `inner` is the `QuotaExceededError`, so the cause
 * may sit a level or two down.
 */
function errorNames(error: unknown): string[] {
  const names: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    if ('name' in current && typeof current.name === 'string') names.push(current.name);
    current = 'inner' in current ? current.inner : undefined;
  }
  return names;
}
