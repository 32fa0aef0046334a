/**
 * The sync server's settings (issue #5): where the server is, which database,
 * and whose credentials. They live in `browser.storage.local` only: the
 * password never goes to `storage.sync`, a log line or a content script.
 *
 * Plain `http://` is refused except on loopback addresses, where nothing
 * crosses a network (a CouchDB on this computer, and the tests' server).
 */
import { z } from 'zod';
import { SERVER_SYNC_KEYS, type KeyValuePort } from './couch-kv';

export interface ServerSettings {
  /** Server URL without a trailing slash, e.g. `https://couch.example.com` or `https://host/couchdb`. */
  url: string;
  /** Database name, per CouchDB's rules. */
  database: string;
  /** Empty for a server that lets anyone in (rare). */
  username: string;
  password: string;
  /** Whether to sync with it. */
  enabled: boolean;
}

export type SettingsField = 'url' | 'database' | 'username';

/** Why a setting was refused; the options page says each in words. */
export type SettingsProblem =
  | 'url-missing'
  | 'url-invalid'
  | 'url-insecure'
  | 'url-credentials'
  | 'url-extra'
  | 'database-missing'
  | 'database-invalid'
  | 'username-invalid';

export type SettingsCheck =
  | { ok: true; value: ServerSettings }
  | { ok: false; problems: Partial<Record<SettingsField, SettingsProblem>> };

/** CouchDB: a lowercase letter, then lowercase letters, digits and `_$()+-/`; at most 238 characters. */
const DATABASE_NAME = /^[a-z][a-z0-9_$()+/-]{0,237}$/;

/**
 * The optional host permissions of wxt.config.ts: any https host, and plain
 * http on the two usual loopback names only (other 127.x addresses and [::1]
 * are loopback too, but the manifest would have to list each one).
 */
export const OPTIONAL_HOST_PERMISSIONS = ['https://*/*', 'http://127.0.0.1/*', 'http://localhost/*'] as const;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1']);

/** True for the loopback hosts plain http is allowed to (see {@link OPTIONAL_HOST_PERMISSIONS}). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/** Checks and normalises a server URL. */
export function checkServerUrl(raw: string): { ok: true; url: string } | { ok: false; problem: SettingsProblem } {
  const text = raw.trim();
  if (text === '') return { ok: false, problem: 'url-missing' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: 'url-invalid' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, problem: 'url-invalid' };
  // Credentials belong in their own fields: in a URL they end up in history, logs and error messages.
  if (url.username !== '' || url.password !== '') return { ok: false, problem: 'url-credentials' };
  if (url.search !== '' || url.hash !== '') return { ok: false, problem: 'url-extra' };
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) return { ok: false, problem: 'url-insecure' };
  return { ok: true, url: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

/** Checks a database name against CouchDB's rules. */
export function checkDatabaseName(raw: string): SettingsProblem | null {
  const name = raw.trim();
  if (name === '') return 'database-missing';
  return DATABASE_NAME.test(name) ? null : 'database-invalid';
}

/** What the options form holds. */
export interface ServerSettingsInput {
  url: string;
  database: string;
  username: string;
  password: string;
  enabled: boolean;
}

/** Validates what the reader typed; answers normalised settings or a problem per field. */
export function validateServerSettings(input: ServerSettingsInput): SettingsCheck {
  const problems: Partial<Record<SettingsField, SettingsProblem>> = {};
  const url = checkServerUrl(input.url);
  if (!url.ok) problems.url = url.problem;
  const databaseProblem = checkDatabaseName(input.database);
  if (databaseProblem) problems.database = databaseProblem;
  const username = input.username.trim();
  // Basic authentication cannot carry a colon in the user name (RFC 7617).
  if (username.includes(':') || username.length > 256) problems.username = 'username-invalid';
  if (!url.ok || Object.keys(problems).length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: { url: url.url, database: input.database.trim(), username, password: input.password, enabled: input.enabled },
  };
}

/** The match pattern to request as an optional host permission, e.g. `https://couch.example.com/*`. */
export function hostPermissionPattern(serverUrl: string): string {
  const url = new URL(serverUrl);
  return `${url.protocol}//${url.hostname}/*`;
}

/** Names the server and database, without credentials: what checkpoints are kept per. */
export function serverTarget(settings: Pick<ServerSettings, 'url' | 'database'>): string {
  return `${settings.url}/${encodeURIComponent(settings.database)}`;
}

const storedSettings = z.object({
  url: z.string(),
  database: z.string(),
  username: z.string(),
  password: z.string(),
  enabled: z.boolean(),
});

/** The saved settings, or null when there are none (or they no longer pass validation). */
export async function loadServerSettings(kv: KeyValuePort): Promise<ServerSettings | null> {
  const parsed = storedSettings.safeParse(await kv.get(SERVER_SYNC_KEYS.settings));
  if (!parsed.success) return null;
  const checked = validateServerSettings(parsed.data);
  return checked.ok ? checked.value : null;
}

/** Saves settings (in `storage.local`, through `kv`) after validating them. */
export async function saveServerSettings(kv: KeyValuePort, input: ServerSettingsInput): Promise<SettingsCheck> {
  const checked = validateServerSettings(input);
  if (checked.ok) await kv.set(SERVER_SYNC_KEYS.settings, checked.value);
  return checked;
}
