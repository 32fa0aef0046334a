/**
 * What can go wrong talking to a sync server, as typed errors that the
 * options page and the sync status can put in words. Messages name the
 * server's origin at most: never a password, never an Authorization header.
 */

export type CouchErrorKind =
  /** No answer at all: the server is down, the address is wrong, or we are offline. */
  | 'offline'
  | 'timeout'
  /** 401: wrong user name or password. */
  | 'unauthorized'
  /** 403: the user may not read or write the database (or create it). */
  | 'forbidden'
  /** 404 on the database. */
  | 'no-database'
  /** 5xx or 429. */
  | 'server'
  /** Per-document errors in a `_bulk_docs` answer (e.g. a validation function said no). */
  | 'rejected'
  /** 409s that did not settle after merging and retrying a few times. */
  | 'conflict'
  /** An answer that is not what a CouchDB-compatible server sends. */
  | 'bad-response'
  /** The reader has not granted the server's host permission. */
  | 'no-permission';

/** Kinds that may pass by themselves, so sync tries again with backoff. */
const TRANSIENT: ReadonlySet<CouchErrorKind> = new Set(['offline', 'timeout', 'server', 'conflict']);

/** A failure talking to the sync server. `detail` is short and holds no secret. */
export class CouchError extends Error {
  override readonly name = 'CouchError';
  /** The HTTP status, when there was an answer. */
  readonly status: number | undefined;

  constructor(
    readonly kind: CouchErrorKind,
    readonly detail: string,
    options: { status?: number; cause?: unknown } = {},
  ) {
    super(describeCouchError(kind, detail), options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
  }

  /** Whether trying again later may help without the reader doing anything. */
  get transient(): boolean {
    return TRANSIENT.has(this.kind);
  }
}

/** The `messages.json` key of each kind's text; `$DETAIL$` is the first substitution. */
export const COUCH_ERROR_MESSAGE_KEYS: Record<CouchErrorKind, string> = {
  offline: 'optionsErrorOffline',
  timeout: 'optionsErrorTimeout',
  unauthorized: 'optionsErrorUnauthorized',
  forbidden: 'optionsErrorForbidden',
  'no-database': 'optionsErrorNoDatabase',
  server: 'optionsErrorServer',
  rejected: 'optionsErrorRejected',
  conflict: 'optionsErrorConflict',
  'bad-response': 'optionsErrorBadResponse',
  'no-permission': 'optionsErrorNoPermission',
};

/** English texts, used when no translation is at hand (tests, logs). */
const ENGLISH: Record<CouchErrorKind, (detail: string) => string> = {
  offline: (detail) => `Cannot reach the server (${detail}). Sync will try again.`,
  timeout: (detail) => `The server did not answer in time (${detail}). Sync will try again.`,
  unauthorized: () => 'The server refused the user name or password. Check them on the options page.',
  forbidden: (detail) => `This user may not do that on the server (${detail}). Ask the server's administrator for access.`,
  'no-database': () => 'The database does not exist on the server. Create it on the options page.',
  server: (detail) => `The server had a problem (${detail}). Sync will try again.`,
  rejected: (detail) => `The server refused some changes (${detail}). They stay on this computer; sync will try again.`,
  conflict: (detail) => `Other devices kept changing the same highlights (${detail}). Sync will try again.`,
  'bad-response': (detail) => `The server's answer is not what a CouchDB server sends (${detail}). Check the server URL.`,
  'no-permission': () => 'The browser has not allowed access to the server. Open the options page and save the settings to allow it.',
};

/** Reads a message with substitutions; '' when unknown (the shape of `browser.i18n.getMessage`). */
export type GetMessage = (key: string, substitutions?: string[]) => string;

/** The text a reader sees for an error of `kind`, translated when `getMessage` knows it. */
export function describeCouchError(kind: CouchErrorKind, detail: string, getMessage?: GetMessage): string {
  return getMessage?.(COUCH_ERROR_MESSAGE_KEYS[kind], [detail]) || ENGLISH[kind](detail);
}

/** Any thrown value in words; anything that is not a {@link CouchError} is named but not quoted. */
export function describeSyncFailure(error: unknown, getMessage?: GetMessage): string {
  if (error instanceof CouchError) return describeCouchError(error.kind, error.detail, getMessage);
  // A bug or a database failure: its message could quote anything, so say only what kind of error it was.
  const name = error instanceof Error ? error.name : typeof error;
  return getMessage?.('optionsErrorUnexpected', [name]) || `Sync stopped on an unexpected error (${name}). It will try again.`;
}
