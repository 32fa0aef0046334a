/**
 * One sync with a CouchDB-compatible server: pull `_changes` in pages and
 * merge them locally, then push local changes with `_bulk_docs`, keeping
 * checkpoints (couch-checkpoint.ts) so that a stop at any moment loses
 * nothing and repeats at most one batch. Codes against the `SyncStore` port
 * only; the background supplies the real one.
 */
import { openCheckpoint, saveCheckpoint, type Checkpoint } from './couch-checkpoint';
import type { CouchClient } from './couch-client';
import { ANNOTATION_DOC_PREFIX, annotationDocId, fromAnnotationDoc, sameState } from './couch-docs';
import { CouchError } from './couch-errors';
import type { KeyValuePort } from './couch-kv';
import { pushRecords, type KnownDocs, type PushOutcome } from './couch-push';
import type { ReplicatedAnnotation } from './merge';
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
}

export interface CouchSyncReport {
  /** Documents received from `_changes` that are annotations. */
  pulled: number;
  /** Local records changed by merging what was pulled or learned while pushing. */
  mergedLocally: number;
  /** Documents written to the server. */
  pushed: number;
  /** 409 answers resolved by merging and retrying. */
  conflicts: number;
  /** Documents in `_changes` with our id prefix that did not hold a valid annotation. */
  skipped: number;
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
  const known: KnownDocs = new Map();
  const report: CouchSyncReport = { pulled: 0, mergedLocally: 0, pushed: 0, conflicts: 0, skipped: 0, pending: 0 };

  const deletedOnServer = new Set<string>();
  checkpoint = await pull(store, client, kv, checkpoint, known, deletedOnServer, settings.pageSize, report);

  const { records, sequence } = await store.changesSince(checkpoint.pushedSequence);
  records.push(...(await toRestore(store, deletedOnServer, records)));
  const outcome = await pushRecords(client, records, known, {
    batchSize: settings.batchSize,
    conflictRounds: settings.conflictRounds,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
  });
  report.pushed = outcome.written;
  report.conflicts = outcome.conflicts;
  if (outcome.learned.length > 0) report.mergedLocally += (await store.mergeRemote(latestById(outcome.learned))).changed;
  failOnRefusals(outcome, records.length);

  // Everything up to `sequence` is on the server. Changes since then are either our own merges of
  // what the server holds (nothing to push) or edits made meanwhile (pushed next time).
  const after = await store.changesSince(sequence);
  const unpushed = after.records.filter((record) => !serverHas(known, record));
  checkpoint = { ...checkpoint, pushedSequence: unpushed.length === 0 ? after.sequence : sequence };
  await saveCheckpoint(kv, checkpoint);
  report.pending = unpushed.length;
  return report;
}

/** Pulls `_changes` pages until the end, merging and checkpointing each. */
async function pull(
  store: SyncStore,
  client: CouchClient,
  kv: KeyValuePort,
  start: Checkpoint,
  known: KnownDocs,
  deletedOnServer: Set<string>,
  pageSize: number,
  report: CouchSyncReport,
): Promise<Checkpoint> {
  let checkpoint = start;
  for (;;) {
    const page = await client.changes(checkpoint.pulledSeq, pageSize);
    const records: ReplicatedAnnotation[] = [];
    for (const change of page.results) {
      const record = fromAnnotationDoc(change.doc);
      if (record) {
        const rev = (change.doc as { _rev?: unknown })._rev;
        if (typeof rev === 'string') known.set(change.id, { rev, state: record });
        records.push(record);
      } else if (change.id.startsWith(ANNOTATION_DOC_PREFIX) && change.deleted === true) {
        deletedOnServer.add(change.id);
      } else if (change.id.startsWith(ANNOTATION_DOC_PREFIX)) {
        report.skipped++;
      }
    }
    if (records.length > 0) report.mergedLocally += (await store.mergeRemote(records)).changed;
    report.pulled += records.length;
    // Saved only now that the page is merged: a stop before this line pulls the page again.
    checkpoint = { ...checkpoint, pulledSeq: page.lastSeq };
    await saveCheckpoint(kv, checkpoint);
    if (page.results.length < pageSize) return checkpoint;
  }
}

/**
 * Local records whose document someone deleted on the server (with Fauxton,
 * say). Absence is never a deletion in this model, so they are written back.
 */
async function toRestore(store: SyncStore, deletedOnServer: ReadonlySet<string>, pushing: readonly ReplicatedAnnotation[]): Promise<ReplicatedAnnotation[]> {
  if (deletedOnServer.size === 0) return [];
  const already = new Set(pushing.map((record) => record.id));
  return (await store.exportReplicated()).filter((record) => deletedOnServer.has(annotationDocId(record.id)) && !already.has(record.id));
}

function serverHas(known: KnownDocs, record: ReplicatedAnnotation): boolean {
  const state = known.get(annotationDocId(record.id))?.state;
  return state !== undefined && state !== null && sameState(state, record);
}

/** Per-document refusals and unsettled conflicts fail the sync, after everything else was saved. */
function failOnRefusals(outcome: PushOutcome, total: number): void {
  const first = outcome.rejected[0];
  if (first) {
    const reason = first.reason ? `${first.error}: ${first.reason}` : first.error;
    throw new CouchError('rejected', `${outcome.rejected.length} of ${total}, ${reason}`);
  }
  if (outcome.unsettled.length > 0) throw new CouchError('conflict', `${outcome.unsettled.length} of ${total}`);
}

function latestById(records: readonly ReplicatedAnnotation[]): ReplicatedAnnotation[] {
  return [...new Map(records.map((record) => [record.id, record])).values()];
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
