/**
 * Pushing local changes with `_bulk_docs`. Each record is merged with the
 * server's current document (merge.ts) before it is written, so a write
 * never loses what another device put there; a `409` means someone wrote in
 * between, so the document is fetched again, merged again and retried.
 * Records the server already holds (after merging) are not written at all,
 * which makes pushing a batch twice harmless.
 *
 * Annotations and lesson notes (issue #5) are pushed the same way; a
 * {@link DocKind} says how one kind maps to documents and merges.
 */
import type { BulkDocResult, CouchClient } from './couch-client';
import { annotationDocId, fromAnnotationDoc, lessonNoteDocId, readLessonNoteDoc, sameState, toAnnotationDoc, toLessonNoteDoc } from './couch-docs';
import { mergeAnnotation, mergeLessonNote, type ReplicatedAnnotation, type ReplicatedLessonNote } from './merge';

/** How one kind of record is stored on the server and merged. */
export interface DocKind<T> {
  docId(record: T): string;
  toDoc(record: T, rev?: string): { _id: string; _rev?: string };
  /** The record a server document holds, or null (deleted, not ours, malformed: written over by the merge). */
  fromDoc(doc: unknown): T | null;
  merge(a: T, b: T): T;
}

/** Annotations: documents `a:<id>`. */
export const ANNOTATION_KIND: DocKind<ReplicatedAnnotation> = {
  docId: (record) => annotationDocId(record.id),
  toDoc: (record, rev) => toAnnotationDoc(record, rev),
  fromDoc: (doc) => fromAnnotationDoc(doc),
  merge: mergeAnnotation,
};

/** Lesson notes: documents `lessonNote:<lesson id>`. `now` is this computer's clock, for the checks of remote notes. */
export function lessonNoteKind(now: () => number): DocKind<ReplicatedLessonNote> {
  return {
    docId: (note) => lessonNoteDocId(note.lessonId),
    toDoc: (note, rev) => toLessonNoteDoc(note, rev),
    fromDoc: (doc) => {
      const content = readLessonNoteDoc(doc, now());
      return content?.type === 'note' ? content.note : null;
    },
    merge: mergeLessonNote,
  };
}

/** What this run knows of server documents: their revision and state (null: deleted or not ours). */
export type KnownDocs<T = ReplicatedAnnotation> = Map<string, { rev: string; state: T | null }>;

export interface PushOptions {
  batchSize: number;
  /** Rounds of fetch, merge and retry for documents that keep answering 409. */
  conflictRounds: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export interface PushOutcome<T = ReplicatedAnnotation> {
  /** Documents written. */
  written: number;
  /** 409 answers met (each one merged and retried). */
  conflicts: number;
  /** Per-document errors other than conflicts (e.g. a validation function said no). */
  rejected: Array<{ id: string; error: string; reason: string }>;
  /** Document ids still conflicting after every round. */
  unsettled: string[];
  /** Merged states that hold more than the local record: the server knew something we did not. */
  learned: T[];
}

/** Pushes `records` of `kind` in batches; never throws for per-document errors (they are in the outcome). */
export async function pushRecords<T>(
  client: CouchClient,
  records: readonly T[],
  known: KnownDocs<T>,
  options: PushOptions,
  kind: DocKind<T>,
): Promise<PushOutcome<T>> {
  const outcome: PushOutcome<T> = { written: 0, conflicts: 0, rejected: [], unsettled: [], learned: [] };
  for (let start = 0; start < records.length; start += options.batchSize) {
    await pushBatch(client, records.slice(start, start + options.batchSize), known, options, outcome, kind);
  }
  return outcome;
}

async function pushBatch<T>(
  client: CouchClient,
  batch: readonly T[],
  known: KnownDocs<T>,
  options: PushOptions,
  outcome: PushOutcome<T>,
  kind: DocKind<T>,
): Promise<void> {
  let pending = batch;
  for (let round = 0; pending.length > 0; round++) {
    if (round >= options.conflictRounds) {
      outcome.unsettled.push(...pending.map((record) => kind.docId(record)));
      return;
    }
    // Two devices retrying in lockstep would collide again: wait a random, growing while.
    if (round > 0) await options.sleep(50 * 2 ** round * (0.5 + options.random()));
    await learnServerStates(client, pending, known, kind);
    const writes = plannedWrites(pending, known, outcome, kind);
    if (writes.length === 0) return;
    const results = new Map<string, BulkDocResult>((await client.bulkDocs(writes.map(({ doc }) => doc))).map((result) => [result.id, result]));
    const retry: T[] = [];
    for (const { record, merged, doc } of writes) {
      const result = results.get(doc._id);
      if (result?.ok) {
        known.set(doc._id, { rev: result.rev, state: merged });
        outcome.written++;
      } else if (!result || result.error === 'conflict') {
        // A 409 (or no word at all): what we knew of the server is stale.
        known.delete(doc._id);
        if (result) outcome.conflicts++;
        retry.push(record);
      } else {
        outcome.rejected.push({ id: doc._id, error: result.error, reason: result.reason });
      }
    }
    pending = retry;
  }
}

/** Fetches the server state of records whose document this run has not seen yet. */
async function learnServerStates<T>(client: CouchClient, records: readonly T[], known: KnownDocs<T>, kind: DocKind<T>): Promise<void> {
  const unseen = records.map((record) => kind.docId(record)).filter((id) => !known.has(id));
  for (const [id, state] of await client.docStates(unseen)) {
    known.set(id, { rev: state.rev, state: kind.fromDoc(state.doc) });
  }
}

interface PlannedWrite<T> {
  record: T;
  merged: T;
  doc: { _id: string; _rev?: string };
}

/** The documents to write: each record merged with the server's state, unless the server already has it all. */
function plannedWrites<T>(records: readonly T[], known: KnownDocs<T>, outcome: PushOutcome<T>, kind: DocKind<T>): PlannedWrite<T>[] {
  const writes: PlannedWrite<T>[] = [];
  for (const record of records) {
    const server = known.get(kind.docId(record));
    const merged = server?.state ? kind.merge(record, server.state) : record;
    if (server?.state && sameState(merged, server.state)) continue;
    if (server?.state && !sameState(merged, record)) outcome.learned.push(merged);
    writes.push({ record, merged, doc: kind.toDoc(merged, server?.rev) });
  }
  return writes;
}
