/**
 * Where server sync stopped: the last `_changes` sequence pulled and merged,
 * and the local `changesSince` sequence whose changes the server has
 * accepted. Each is saved only after its batch is durably merged or
 * accepted, so a worker stopped at any moment resumes where it left off and
 * at worst repeats a batch, which the merge makes harmless.
 *
 * Like CouchDB's replicator, the checkpoint is paired with a `_local`
 * document on the server. When that document is gone (the database was
 * deleted and created again) or belongs to another pairing, both sequences
 * start over: everything is pulled and pushed again, and merged, not copied.
 */
import type { CouchClient, Seq } from './couch-client';
import { SERVER_SYNC_KEYS, type KeyValuePort } from './couch-kv';
import { z } from 'zod';

export interface Checkpoint {
  /** Server and database (see `serverTarget`). */
  target: string;
  /** The local database's replica id: a new local database starts over too. */
  replica: string;
  /** Id shared with the server's `_local` document. */
  session: string;
  /** Last `_changes` sequence merged locally; null before the first page. */
  pulledSeq: Seq | null;
  /** Local sequence up to which the server has every change. */
  pushedSequence: number;
}

const checkpointSchema = z.object({
  target: z.string(),
  replica: z.string(),
  session: z.string(),
  pulledSeq: z.union([z.string(), z.number()]).nullable(),
  pushedSequence: z.number(),
});

/** The `_local` document of this profile's pairing. */
export function checkpointDocName(replica: string): string {
  return `lesson-highlighter-${replica}`;
}

/** The saved checkpoint, whatever target it is for; null when there is none. */
export async function readCheckpoint(kv: KeyValuePort): Promise<Checkpoint | null> {
  const parsed = checkpointSchema.safeParse(await kv.get(SERVER_SYNC_KEYS.checkpoint));
  return parsed.success ? parsed.data : null;
}

/** Saves the checkpoint; call only once the data it vouches for is durable. */
export async function saveCheckpoint(kv: KeyValuePort, checkpoint: Checkpoint): Promise<void> {
  await kv.set(SERVER_SYNC_KEYS.checkpoint, checkpoint);
}

/**
 * The checkpoint to resume from for `target`, after checking its pairing on
 * the server; a fresh one (from the start) when the pairing is missing.
 */
export async function openCheckpoint(
  kv: KeyValuePort,
  client: CouchClient,
  target: string,
  replica: string,
  newSession: () => string = () => crypto.randomUUID(),
): Promise<Checkpoint> {
  const saved = await readCheckpoint(kv);
  const remote = await client.getLocal(checkpointDocName(replica));
  if (saved && saved.target === target && saved.replica === replica && remote?.session === saved.session) return saved;
  const fresh: Checkpoint = { target, replica, session: newSession(), pulledSeq: null, pushedSequence: 0 };
  // Server first: if the worker stops between the two writes, the sessions differ and the next run starts over again.
  const rev = typeof remote?._rev === 'string' ? { _rev: remote._rev } : {};
  await client.putLocal(checkpointDocName(replica), { ...rev, session: fresh.session, replica });
  await saveCheckpoint(kv, fresh);
  return fresh;
}
