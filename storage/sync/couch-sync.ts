/**
 * One sync with a CouchDB-compatible server: pull `_changes` in pages and
 * merge them locally, then push local changes with `_bulk_docs`, keeping
 * checkpoints (couch-checkpoint.ts) so that a stop at any moment loses
 * nothing and repeats at most one batch. Codes against the `SyncStore` port
 * only; the background supplies the real one.
 *
 * Lesson notes (issue #5) travel with the annotations as documents of their
 * own (couch-docs.ts): each page of `_changes` merges both kinds in one
 * transaction, and both are pushed and 409-merged by the same rules. A
 * malformed lesson note document is skipped and named in the report; it
 * does not refuse the rest of its page.
 */
import { openCheckpoint, saveCheckpoint, type Checkpoint } from './couch-checkpoint';
import type { CouchClient } from './couch-client';
import { ANNOTATION_DOC_PREFIX, annotationDocId, fromAnnotationDoc, LESSON_NOTE_DOC_PREFIX, lessonNoteDocId, readLessonNoteDoc, sameState } from './couch-docs';
import { CouchError } from './couch-errors';
import type { KeyValuePort } from './couch-kv';
import { ANNOTATION_KIND, lessonNoteKind, pushRecords, type KnownDocs, type PushOptions, type PushOutcome } from './couch-push';
import type { ReplicatedAnnotation, ReplicatedLessonNote } from './merge';
import type { SyncStore } from './sync-store';

export interface CouchSyncOptions {
  /** `_changes` entries per page (each page is merged in one transaction). */
  pageSize?: number;
  /** Documents per `_bulk_docs` request. */
  batchSize?: number;
  /** Fetch-merge-retry rounds for documents answering 409. */
  conflictRounds?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** This computer's clock (ms), for the checks of remote lesson notes. */
  now?: () => number;
}

export interface CouchSyncReport {
  /** Documents received from `_changes` that are annotations or lesson notes. */
  pulled: number;
  /** Local records changed by merging what was pulled or learned while pushing. */
  mergedLocally: number;
  /** Documents written to the server. */
  pushed: number;
  /** 409 answers resolved by merging and retrying. */
  conflicts: number;
  /** Documents in `_changes` with our id prefixes that did not hold a valid annotation or lesson note. */
  skipped: number;
  /** What was wrong with the skipped documents, in words, each after its id (the first few). */
  skippedProblems: string[];
  /** Local changes the server does not have yet (edits made while this sync ran). */
  pending: number;
}

const DEFAULTS = { pageSize: 1000, batchSize: 500, conflictRounds: 6 };

/**
 * Syncs `store` with the database behind `client` once. `target` names the
 * server and database (checkpoints are kept per target). Throws a
 * {@link CouchError} when the server fails or refuses documents; whatever
 * was merged or accepted before that is checkpointed and not repeated.
 */
export async function syncWithServer(
  store: SyncStore,
  client: CouchClient,
  kv: KeyValuePort,
  target: string,
  options: CouchSyncOptions = {},
): Promise<CouchSyncReport> {
  const settings = { ...DEFAULTS, ...definedOnly(options) };
  const replica = await store.replicaId();
  let checkpoint = await openCheckpoint(kv, client, target, replica);
  const known: Known = { annotations: new Map(), lessonNotes: new Map() };
  const report: CouchSyncReport = { pulled: 0, mergedLocally: 0, pushed: 0, conflicts: 0, skipped: 0, skippedProblems: [], pending: 0 };
  const now = options.now ?? Date.now;

  const deletedOnServer = new Set<string>();
  checkpoint = await pull(store, client, kv, checkpoint, known, deletedOnServer, settings.pageSize, report, now);

  const { records, lessonNotes, sequence } = await store.changesSince(checkpoint.pushedSequence);
  const restore = await toRestore(store, deletedOnServer, records, lessonNotes);
  records.push(...restore.records);
  lessonNotes.push(...restore.lessonNotes);
  const pushOptions: PushOptions = {
    batchSize: settings.batchSize,
    conflictRounds: settings.conflictRounds,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
  };
  const outcome = await pushRecords(client, records, known.annotations, pushOptions, ANNOTATION_KIND);
  const notesOutcome = await pushRecords(client, lessonNotes, known.lessonNotes, pushOptions, lessonNoteKind(now));
  report.pushed = outcome.written + notesOutcome.written;
  report.conflicts = outcome.conflicts + notesOutcome.conflicts;
  if (outcome.learned.length > 0 || notesOutcome.learned.length > 0) {
    const learnedNotes = [...new Map(notesOutcome.learned.map((note) => [note.lessonId, note])).values()];
    report.mergedLocally += (await store.mergeRemote(latestById(outcome.learned), learnedNotes)).changed;
  }
  failOnRefusals([outcome, notesOutcome], records.length + lessonNotes.length);

  // Everything up to `sequence` is on the server. Changes since then are either our own merges of
  // what the server holds (nothing to push) or edits made meanwhile (pushed next time).
  const after = await store.changesSince(sequence);
  const unpushed =
    after.records.filter((record) => !serverHas(known.annotations, annotationDocId(record.id), record)).length +
    after.lessonNotes.filter((note) => !serverHas(known.lessonNotes, lessonNoteDocId(note.lessonId), note)).length;
  checkpoint = { ...checkpoint, pushedSequence: unpushed === 0 ? after.sequence : sequence };
  await saveCheckpoint(kv, checkpoint);
  report.pending = unpushed;
  return report;
}

/** What this run knows of the server's documents, per kind. */
interface Known {
  annotations: KnownDocs<ReplicatedAnnotation>;
  lessonNotes: KnownDocs<ReplicatedLessonNote>;
}

/** Most skipped-document problems kept in a report (one bad writer could make thousands). */
const MAX_PROBLEMS = 5;

/** Pulls `_changes` pages until the end, merging and checkpointing each. */
async function pull(
  store: SyncStore,
  client: CouchClient,
  kv: KeyValuePort,
  start: Checkpoint,
  known: Known,
  deletedOnServer: Set<string>,
  pageSize: number,
  report: CouchSyncReport,
  now: () => number,
): Promise<Checkpoint> {
  let checkpoint = start;
  for (;;) {
    const page = await client.changes(checkpoint.pulledSeq, pageSize);
    const records: ReplicatedAnnotation[] = [];
    const lessonNotes: ReplicatedLessonNote[] = [];
    for (const change of page.results) {
      const rev = (change.doc as { _rev?: unknown } | undefined)?._rev;
      const ours = change.id.startsWith(ANNOTATION_DOC_PREFIX) || change.id.startsWith(LESSON_NOTE_DOC_PREFIX);
      const record = change.id.startsWith(ANNOTATION_DOC_PREFIX) ? fromAnnotationDoc(change.doc) : null;
      const note = change.id.startsWith(LESSON_NOTE_DOC_PREFIX) ? readLessonNoteDoc(change.doc, now()) : null;
      if (record) {
        if (typeof rev === 'string') known.annotations.set(change.id, { rev, state: record });
        records.push(record);
      } else if (note?.type === 'note') {
        if (typeof rev === 'string') known.lessonNotes.set(change.id, { rev, state: note.note });
        lessonNotes.push(note.note);
      } else if (ours && change.deleted === true) {
        deletedOnServer.add(change.id);
      } else if (ours) {
        report.skipped++;
        if (report.skippedProblems.length < MAX_PROBLEMS) {
          const problem = note?.type === 'malformed' ? note.problem : 'not an annotation this version can read';
          report.skippedProblems.push(`${change.id.slice(0, 60)}: ${problem}`.slice(0, 300));
        }
      }
    }
    if (records.length > 0 || lessonNotes.length > 0) report.mergedLocally += (await store.mergeRemote(records, lessonNotes)).changed;
    report.pulled += records.length + lessonNotes.length;
    // Saved only now that the page is merged: a stop before this line pulls the page again.
    checkpoint = { ...checkpoint, pulledSeq: page.lastSeq };
    await saveCheckpoint(kv, checkpoint);
    if (page.results.length < pageSize) return checkpoint;
  }
}

/**
 * Local records and lesson notes whose document someone deleted on the
 * server (with Fauxton, say). Absence is never a deletion in this model, so
 * they are written back.
 */
async function toRestore(
  store: SyncStore,
  deletedOnServer: ReadonlySet<string>,
  pushing: readonly ReplicatedAnnotation[],
  pushingNotes: readonly ReplicatedLessonNote[],
): Promise<{ records: ReplicatedAnnotation[]; lessonNotes: ReplicatedLessonNote[] }> {
  if (deletedOnServer.size === 0) return { records: [], lessonNotes: [] };
  const already = new Set([...pushing.map((record) => annotationDocId(record.id)), ...pushingNotes.map((note) => lessonNoteDocId(note.lessonId))]);
  const missing = (id: string) => deletedOnServer.has(id) && !already.has(id);
  const [records, lessonNotes] = await Promise.all([store.exportReplicated(), store.exportLessonNotes()]);
  return {
    records: records.filter((record) => missing(annotationDocId(record.id))),
    lessonNotes: lessonNotes.filter((note) => missing(lessonNoteDocId(note.lessonId))),
  };
}

function serverHas<T>(known: KnownDocs<T>, docId: string, record: T): boolean {
  const state = known.get(docId)?.state;
  return state !== undefined && state !== null && sameState(state, record);
}

/** Per-document refusals and unsettled conflicts fail the sync, after everything else was saved. */
function failOnRefusals(outcomes: ReadonlyArray<PushOutcome<unknown>>, total: number): void {
  const rejected = outcomes.flatMap((outcome) => outcome.rejected);
  const unsettled = outcomes.flatMap((outcome) => outcome.unsettled);
  const first = rejected[0];
  if (first) {
    const reason = first.reason ? `${first.error}: ${first.reason}` : first.error;
    throw new CouchError('rejected', `${rejected.length} of ${total}, ${reason}`);
  }
  if (unsettled.length > 0) throw new CouchError('conflict', `${unsettled.length} of ${total}`);
}

function latestById(records: readonly ReplicatedAnnotation[]): ReplicatedAnnotation[] {
  return [...new Map(records.map((record) => [record.id, record])).values()];
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
