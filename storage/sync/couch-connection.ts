/**
 * "Test connection" and "Create database" on the options page: one quick
 * try each (no retries, a short timeout), answered as a result value with
 * the failure in words.
 */
import { createCouchClient, type CouchHttpOptions } from './couch-client';
import { CouchError, describeSyncFailure, type CouchErrorKind, type GetMessage } from './couch-errors';
import type { ServerSettings } from './server-settings';

export type ConnectionFailure = { ok: false; kind: CouchErrorKind | 'unexpected'; message: string };

export type ConnectionCheck =
  | {
      ok: true;
      /** e.g. "Apache Software Foundation 3.4.2". */
      server: string;
      /** The user the server recognised; null when it let us in anonymously. */
      user: string | null;
      database: 'exists' | 'missing';
    }
  | ConnectionFailure;

export interface ConnectionOptions {
  http?: CouchHttpOptions;
  getMessage?: GetMessage;
}

const QUICK: CouchHttpOptions = { attempts: 1, timeoutMs: 10_000 };

/** Reaches the server, signs in, and looks for the database. */
export async function testServerConnection(settings: ServerSettings, options: ConnectionOptions = {}): Promise<ConnectionCheck> {
  const client = createCouchClient(settings, { ...QUICK, ...options.http });
  try {
    const info = await client.serverInfo();
    const session = await client.session();
    const exists = await client.databaseExists();
    return {
      ok: true,
      server: `${info.vendor} ${info.version}`.trim(),
      user: session.name,
      database: exists ? 'exists' : 'missing',
    };
  } catch (error) {
    return failure(error, options.getMessage);
  }
}

/** Creates the database (needs a server admin on CouchDB); 'exists' when it was already there. */
export async function createServerDatabase(
  settings: ServerSettings,
  options: ConnectionOptions = {},
): Promise<{ ok: true; value: 'created' | 'exists' } | ConnectionFailure> {
  const client = createCouchClient(settings, { ...QUICK, ...options.http });
  try {
    return { ok: true, value: await client.createDatabase() };
  } catch (error) {
    return failure(error, options.getMessage);
  }
}

function failure(error: unknown, getMessage: GetMessage | undefined): ConnectionFailure {
  return {
    ok: false,
    kind: error instanceof CouchError ? error.kind : 'unexpected',
    message: describeSyncFailure(error, getMessage),
  };
}
