/**
 * The CouchDB HTTP API calls sync needs, for any Apache CouchDB 3.x-compatible
 * server (CouchDB, Cloudant, PouchDB Server): `_session`, database info and
 * creation, `_changes` pages, `_all_docs` by keys, `_bulk_docs` and `_local`
 * documents. Answers are checked for shape; failures are {@link CouchError}s.
 */
import { z } from 'zod';
import { CouchError } from './couch-errors';
import { createCouchRequest, errorForStatus, type CouchConnection, type CouchHttpOptions, type CouchResponse } from './couch-http';

export type { CouchConnection, CouchHttpOptions };

/** A `_changes` sequence: a number on PouchDB Server, an opaque string on CouchDB 2+. */
export type Seq = string | number;

export interface ChangesPage {
  results: Array<{ id: string; seq: Seq; doc?: unknown; deleted?: boolean }>;
  lastSeq: Seq;
}

/** A document's current revision on the server; `doc` is null when it was deleted there. */
export interface ServerDocState {
  rev: string;
  doc: unknown;
}

export type BulkDocResult = { id: string; ok: true; rev: string } | { id: string; ok: false; error: string; reason: string };

export interface CouchClient {
  /** The server's origin, for messages and host permissions. */
  readonly origin: string;
  /** Who the server takes us for; throws `unauthorized` for a wrong password. */
  session(): Promise<{ name: string | null; roles: string[] }>;
  /** The server's welcome: vendor and version, for "Test connection". */
  serverInfo(): Promise<{ vendor: string; version: string }>;
  /** Whether the database exists (readable by this user). */
  databaseExists(): Promise<boolean>;
  /** Creates the database; 'exists' when it already did. */
  createDatabase(): Promise<'created' | 'exists'>;
  /** One page of `_changes` after `since` (null: from the start), documents included. */
  changes(since: Seq | null, limit: number): Promise<ChangesPage>;
  /** Current states of documents by id; ids the server never had are absent. */
  docStates(ids: readonly string[]): Promise<Map<string, ServerDocState>>;
  /** Writes documents; one result per document, conflicts and rejections included. */
  bulkDocs(docs: readonly object[]): Promise<BulkDocResult[]>;
  /** A `_local` document (not replicated, not in `_changes`), or null. */
  getLocal(name: string): Promise<Record<string, unknown> | null>;
  putLocal(name: string, body: Record<string, unknown>): Promise<void>;
}

const seqSchema = z.union([z.string(), z.number()]);
const changesSchema = z.object({
  results: z.array(z.object({ id: z.string(), seq: seqSchema, doc: z.unknown().optional(), deleted: z.boolean().optional() })),
  last_seq: seqSchema,
});
const allDocsSchema = z.object({
  rows: z.array(
    z.object({
      key: z.string(),
      value: z.object({ rev: z.string(), deleted: z.boolean().optional() }).optional(),
      doc: z.unknown().optional(),
      error: z.string().optional(),
    }),
  ),
});
const bulkSchema = z.array(
  z.object({ id: z.string(), ok: z.boolean().optional(), rev: z.string().optional(), error: z.string().optional(), reason: z.string().optional() }),
);
const sessionSchema = z.object({ userCtx: z.object({ name: z.string().nullable(), roles: z.array(z.string()) }) });
const welcomeSchema = z.looseObject({ version: z.string().optional(), vendor: z.looseObject({ name: z.string().optional() }).optional() });

/** A client for one database on one server. */
export function createCouchClient(connection: CouchConnection, options: CouchHttpOptions = {}): CouchClient {
  const request = createCouchRequest(connection, options);
  const db = `/${encodeURIComponent(connection.database)}`;
  /** The answer's body when it succeeded and has the expected shape; `inDatabase` says a 404 means no database. */
  const expect = <T>(response: CouchResponse, what: string, schema: z.ZodType<T>, inDatabase = true): T => {
    if (response.status === 404 && inDatabase) throw new CouchError('no-database', what, { status: 404 });
    if (response.status < 200 || response.status > 299) throw errorForStatus(response, what);
    const parsed = schema.safeParse(response.body);
    if (!parsed.success) throw new CouchError('bad-response', `${what}: unexpected answer`);
    return parsed.data;
  };

  return {
    origin: new URL(connection.url).origin,
    async session() {
      const { userCtx } = expect(await request('GET', '/_session'), '_session', sessionSchema, false);
      return userCtx;
    },
    async serverInfo() {
      const welcome = expect(await request('GET', '/'), 'server', welcomeSchema, false);
      return { vendor: welcome.vendor?.name ?? 'CouchDB', version: welcome.version ?? '' };
    },
    async databaseExists() {
      const response = await request('GET', db);
      if (response.status === 404) return false;
      expect(response, 'database', z.unknown());
      return true;
    },
    async createDatabase() {
      const response = await request('PUT', db);
      if (response.status === 412) return 'exists';
      // CouchDB answers 400 for an illegal name; settings validation should have caught it.
      expect(response, 'create database', z.unknown());
      return 'created';
    },
    async changes(since, limit) {
      const query = new URLSearchParams({ include_docs: 'true', limit: String(limit) });
      if (since !== null) query.set('since', String(since));
      const page = expect(await request('GET', `${db}/_changes?${query}`), '_changes', changesSchema);
      return { results: page.results, lastSeq: page.last_seq };
    },
    async docStates(ids) {
      const states = new Map<string, ServerDocState>();
      if (ids.length === 0) return states;
      const answer = expect(await request('POST', `${db}/_all_docs?include_docs=true`, { keys: ids }), '_all_docs', allDocsSchema);
      for (const row of answer.rows) {
        if (row.value) states.set(row.key, { rev: row.value.rev, doc: row.value.deleted ? null : (row.doc ?? null) });
      }
      return states;
    },
    async bulkDocs(docs) {
      const answer = expect(await request('POST', `${db}/_bulk_docs`, { docs }), '_bulk_docs', bulkSchema);
      return answer.map((row): BulkDocResult =>
        row.error === undefined && row.rev !== undefined
          ? { id: row.id, ok: true, rev: row.rev }
          : { id: row.id, ok: false, error: row.error ?? 'unknown', reason: row.reason ?? '' },
      );
    },
    async getLocal(name) {
      const response = await request('GET', `${db}/_local/${encodeURIComponent(name)}`);
      // A missing _local document and a missing database both answer 404; the next write tells them apart.
      if (response.status === 404) return null;
      return expect(response, '_local', z.record(z.string(), z.unknown()));
    },
    async putLocal(name, body) {
      expect(await request('PUT', `${db}/_local/${encodeURIComponent(name)}`, body), '_local', z.unknown());
    },
  };
}
