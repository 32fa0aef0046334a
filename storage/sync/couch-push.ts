/**
 * Pushing local changes with `_bulk_docs`. Each record is merged with the
 * server's current document (merge.ts) before it is written, so a write
 * never loses what another device put there; a `409` means someone wrote in
 * between, so the document is fetched again, merged again and retried.
 * Records the server already holds (after merging) are not written at all,
 * which makes pushing a batch twice harmless.
 */
import type { BulkDocResult, CouchClient } from './couch-client';
import { annotationDocId, fromAnnotationDoc, sameState, toAnnotationDoc } from './couch-docs';
import { mergeAnnotation, type ReplicatedAnnotation } from './merge';

/** What this run knows of server documents: their revision and state (null: deleted or not ours). */
export type KnownDocs = Map<string, { rev: string; state: ReplicatedAnnotation | null }>;

export interface PushOptions {
  batchSize: number;
  /** Rounds of fetch, merge and retry for documents that keep answering 409. */
  conflictRounds: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export interface PushOutcome {
  /** Documents written. */
  written: number;
  /** 409 answers met (each one merged and retried). */
  conflicts: number;
  /** Per-document errors other than conflicts (e.g. a validation function said no). */
  rejected: Array<{ id: string; error: string; reason: string }>;
  /** Document ids still conflicting after every round. */
  unsettled: string[];
  /** Merged states that hold more than the local record: the server knew something we did not. */
  learned: ReplicatedAnnotation[];
}

/** Pushes `records` in batches; never throws for per-document errors (they are in the outcome). */
export async function pushRecords(
  client: CouchClient,
  records: readonly ReplicatedAnnotation[],
  known: KnownDocs,
  options: PushOptions,
): Promise<PushOutcome> {
  const outcome: PushOutcome = { written: 0, conflicts: 0, rejected: [], unsettled: [], learned: [] };
  for (let start = 0; start < records.length; start += options.batchSize) {
    await pushBatch(client, records.slice(start, start + options.batchSize), known, options, outcome);
  }
  return outcome;
}

async function pushBatch(
  client: CouchClient,
  batch: readonly ReplicatedAnnotation[],
  known: KnownDocs,
  options: PushOptions,
  outcome: PushOutcome,
): Promise<void> {
  let pending = batch;
  for (let round = 0; pending.length > 0; round++) {
    if (round >= options.conflictRounds) {
      outcome.unsettled.push(...pending.map((record) => annotationDocId(record.id)));
      return;
    }
    // Two devices retrying in lockstep would collide again: wait a random, growing while.
    if (round > 0) await options.sleep(50 * 2 ** round * (0.5 + options.random()));
    await learnServerStates(client, pending, known);
    const writes = plannedWrites(pending, known, outcome);
    if (writes.length === 0) return;
    const results = new Map<string, BulkDocResult>((await client.bulkDocs(writes.map(({ doc }) => doc))).map((result) => [result.id, result]));
    const retry: ReplicatedAnnotation[] = [];
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
async function learnServerStates(client: CouchClient, records: readonly ReplicatedAnnotation[], known: KnownDocs): Promise<void> {
  const unseen = records.map((record) => annotationDocId(record.id)).filter((id) => !known.has(id));
  for (const [id, state] of await client.docStates(unseen)) {
    known.set(id, { rev: state.rev, state: fromAnnotationDoc(state.doc) });
  }
}

interface PlannedWrite {
  record: ReplicatedAnnotation;
  merged: ReplicatedAnnotation;
  doc: ReturnType<typeof toAnnotationDoc>;
}

/** The documents to write: each record merged with the server's state, unless the server already has it all. */
function plannedWrites(records: readonly ReplicatedAnnotation[], known: KnownDocs, outcome: PushOutcome): PlannedWrite[] {
  const writes: PlannedWrite[] = [];
  for (const record of records) {
    const server = known.get(annotationDocId(record.id));
    const merged = server?.state ? mergeAnnotation(record, server.state) : record;
    if (server?.state && sameState(merged, server.state)) continue;
    if (server?.state && !sameState(merged, record)) outcome.learned.push(merged);
    writes.push({ record, merged, doc: toAnnotationDoc(merged, server?.rev) });
  }
  return writes;
}
