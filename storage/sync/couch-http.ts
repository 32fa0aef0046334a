/**
 * One HTTP exchange with a CouchDB-compatible server: credentials, a
 * timeout, retries with backoff for what may pass by itself (no answer, a
 * timeout, 5xx, 429), and errors typed by status. The password is only ever
 * put in the Authorization header; no message built here can quote it.
 */
import { CouchError } from './couch-errors';

/** Where and as whom to connect. */
export interface CouchConnection {
  /** Server URL without a trailing slash (see server-settings.ts). */
  url: string;
  database: string;
  username: string;
  password: string;
}

/** Knobs of the HTTP layer; tests shorten the waits. */
export interface CouchHttpOptions {
  fetch?: typeof fetch;
  /** Per request, the answer's body included. */
  timeoutMs?: number;
  /** Tries per request when the failure may pass by itself. */
  attempts?: number;
  /** Wait before the second try; doubled for each later one (with jitter). */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface CouchResponse {
  status: number;
  body: unknown;
}

export type CouchRequest = (method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown) => Promise<CouchResponse>;

const DEFAULTS = { timeoutMs: 30_000, attempts: 4, backoffMs: 500 };
/** The longest `Retry-After` we honour within one sync; longer waits are left to the next scheduled one. */
const MAX_RETRY_AFTER_MS = 30_000;

/** A request function bound to `connection`; paths start with `/` and are relative to the server URL. */
export function createCouchRequest(connection: CouchConnection, options: CouchHttpOptions = {}): CouchRequest {
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const attempts = options.attempts ?? DEFAULTS.attempts;
  const backoffMs = options.backoffMs ?? DEFAULTS.backoffMs;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const origin = new URL(connection.url).origin;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (connection.username !== '') headers.Authorization = basicAuthorization(connection.username, connection.password);

  const once = async (method: string, path: string, body: unknown): Promise<CouchResponse & { retryAfterMs: number | null }> => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetchFn(`${connection.url}${path}`, {
        method,
        headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
        // Only our Authorization header speaks for us: no cookies from a session the reader opened elsewhere.
        credentials: 'omit',
        cache: 'no-store',
      });
      const text = await response.text();
      return { status: response.status, body: parseJson(text), retryAfterMs: retryAfter(response.headers.get('Retry-After')) };
    } catch (error) {
      if (controller.signal.aborted) throw new CouchError('timeout', `${origin}, ${Math.round(timeoutMs / 1000)} s`, { cause: error });
      throw new CouchError('offline', origin, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  };

  return async (method, path, body) => {
    for (let attempt = 1; ; attempt++) {
      const wait = backoffMs * 2 ** (attempt - 1) * (0.75 + random() * 0.5);
      let response: Awaited<ReturnType<typeof once>>;
      try {
        response = await once(method, path, body);
      } catch (error) {
        if (!(error instanceof CouchError) || attempt >= attempts) throw error;
        await sleep(wait);
        continue;
      }
      if (!isTransientStatus(response.status) || attempt >= attempts) return { status: response.status, body: response.body };
      await sleep(response.retryAfterMs ?? wait);
    }
  };
}

/** The typed error for an unsuccessful answer. `what` names the request in words, e.g. "_bulk_docs". */
export function errorForStatus(response: CouchResponse, what: string): CouchError {
  const reason = reasonOf(response.body);
  const detail = `${what}: HTTP ${response.status}${reason ? `, ${reason}` : ''}`;
  const options = { status: response.status };
  if (response.status === 401) return new CouchError('unauthorized', detail, options);
  if (response.status === 403) return new CouchError('forbidden', detail, options);
  if (isTransientStatus(response.status)) return new CouchError('server', detail, options);
  return new CouchError('bad-response', detail, options);
}

function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

/** The server's `reason`, cut short: it is shown to the reader. */
function reasonOf(body: unknown): string {
  if (typeof body !== 'object' || body === null) return '';
  const { reason, error } = body as { reason?: unknown; error?: unknown };
  const text = typeof reason === 'string' ? reason : typeof error === 'string' ? error : '';
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function retryAfter(header: string | null): number | null {
  const seconds = header === null ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, MAX_RETRY_AFTER_MS) : null;
}

/** `Basic base64(user:password)`, UTF-8 encoded as RFC 7617 allows. */
function basicAuthorization(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}
