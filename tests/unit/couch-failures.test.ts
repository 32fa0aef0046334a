// @vitest-environment node
/**
 * When the server fails (issue #5): 401 is a clear message and no retry;
 * 5xx and timeouts are retried with growing waits; a server that stays down
 * leads to a retry time with backoff; and the password never shows up in
 * an error, a status or anything stored besides the settings.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCouchClient } from '../../storage/sync/couch-client';
import { createServerDatabase, testServerConnection } from '../../storage/sync/couch-connection';
import { CouchError } from '../../storage/sync/couch-errors';
import { SERVER_SYNC_KEYS } from '../../storage/sync/couch-kv';
import { runServerSync, readStatus, type ServerSyncDeps } from '../../storage/sync/couch-service';
import { syncWithServer } from '../../storage/sync/couch-sync';
import { saveServerSettings, serverTarget, type ServerSettings } from '../../storage/sync/server-settings';
import { MemorySyncStore, memoryKv } from '../fixtures/couch/memory-store';
import { annotationId, NO_WAIT, testProfile } from '../fixtures/couch/profiles';
import { basic, startCouchServer, type CouchTestServer } from '../fixtures/couch/server';
import { trackFault } from '../faults/ledger';

/** The ledger rows these tests add to in `npm run test:faults` (no-ops without LH_FAULT_LEDGER). */
const SERVER_ERRORS = 'Sync server answering 503, or too slow to answer (unit test)';
const SERVER_DOWN = 'Sync server down for two sync attempts (unit test)';

let server: CouchTestServer;
let database: string;

beforeAll(async () => {
  server = await startCouchServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  server.clearFaults();
  await server.start();
  database = server.freshDatabaseName();
  await server.createDatabase(database);
});

function settingsFor(password: string, overrides: Partial<ServerSettings> = {}): ServerSettings {
  return { url: server.url, database, username: server.member.username, password, enabled: true, ...overrides };
}

/** What the background passes, with a clock the test moves. */
function serviceDeps(clock: { now: number }, overrides: Partial<ServerSyncDeps> = {}): ServerSyncDeps & { kv: ReturnType<typeof memoryKv>; store: MemorySyncStore } {
  return {
    store: new MemorySyncStore('profile'),
    kv: memoryKv(),
    hasHostPermission: async () => true,
    http: { ...NO_WAIT, backoffMs: 1, attempts: 2 },
    sync: NO_WAIT,
    now: () => clock.now,
    ...overrides,
  } as ServerSyncDeps & { kv: ReturnType<typeof memoryKv>; store: MemorySyncStore };
}

describe('authentication', () => {
  it('stops at a wrong password with a clear message, without retrying', async () => {
    const settings = settingsFor('not-the-password');
    const before = server.requests.length;
    const failure = await syncWithServer(new MemorySyncStore('profile'), createCouchClient(settings, NO_WAIT), memoryKv(), serverTarget(settings)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CouchError);
    expect(failure).toMatchObject({ kind: 'unauthorized', status: 401 });
    expect((failure as Error).message).toBe('The server refused the user name or password. Check them on the options page.');
    expect(server.requests.length - before).toBe(1);
  });

  it('records the refusal in the status and waits for the reader instead of retrying', async () => {
    const clock = { now: 1_000_000 };
    const deps = serviceDeps(clock);
    await saveServerSettings(deps.kv, settingsFor('not-the-password'));
    const outcome = await runServerSync(deps, 'alarm');
    expect(outcome).toMatchObject({ type: 'failed', retryAt: null });
    expect(await readStatus(deps.kv)).toMatchObject({ enabled: true, lastSuccessAt: null, lastError: expect.stringContaining('user name or password') });
  });
});

describe('server errors and timeouts', () => {
  it('retries 5xx answers with growing waits, then succeeds', async () => {
    const waits: number[] = [];
    const profile = testProfile(server, database, 'profile', { http: { sleep: async (ms) => void waits.push(ms), backoffMs: 100, random: () => 0.5 } });
    profile.store.create(annotationId(1));
    server.injectFault({ match: (method, path) => path.includes('/_changes'), fault: { type: 'status', status: 503 }, times: 2 });
    const report = await profile.sync();
    Object.assign(trackFault(SERVER_ERRORS), { injected: waits.length, acknowledged: 1, lost: 1 - report.pushed });
    expect(report.pushed).toBe(1);
    expect(waits).toEqual([100, 200]);
  });

  it('honours Retry-After on 429', async () => {
    const waits: number[] = [];
    const profile = testProfile(server, database, 'profile', { http: { sleep: async (ms) => void waits.push(ms), backoffMs: 100 } });
    server.injectFault({ match: (method, path) => path.includes('/_changes'), fault: { type: 'status', status: 429, headers: { 'Retry-After': '3' } } });
    await profile.sync();
    expect(waits).toEqual([3000]);
  });

  it('gives up on a request that takes too long, and retries it without writing twice', async () => {
    const profile = testProfile(server, database, 'profile', { http: { timeoutMs: 150 } });
    for (let index = 0; index < 5; index++) profile.store.create(annotationId(index));
    server.injectFault({ match: (method, path) => path.includes('/_bulk_docs'), fault: { type: 'delay', ms: 400 } });
    const report = await profile.sync();
    expect(report.pending).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 400)); // let the slow request finish on the server
    const response = await fetch(`${server.url}/${database}/_all_docs`, { headers: { Authorization: basic(server.admin) } });
    const rows = ((await response.json()) as { rows: Array<{ value: { rev: string } }> }).rows;
    Object.assign(trackFault(SERVER_ERRORS), { injected: 1, acknowledged: 5, lost: 5 - rows.length, halfWritten: rows.filter((row) => !row.value.rev.startsWith('1-')).length });
    expect(rows.length).toBe(5);
    expect(rows.every((row) => row.value.rev.startsWith('1-'))).toBe(true);
  });

  it('backs off further after each failed sync while the server is down, and recovers', async () => {
    const clock = { now: 1_000_000 };
    const deps = serviceDeps(clock);
    deps.store.create(annotationId(1));
    await saveServerSettings(deps.kv, settingsFor(server.member.password));
    await server.stop();

    const first = await runServerSync(deps, 'alarm');
    expect(first).toMatchObject({ type: 'failed', message: expect.stringContaining('Cannot reach the server (http://127.0.0.1:') });
    const firstWait = (first as { retryAt: number }).retryAt - clock.now;
    expect(firstWait).toBeGreaterThanOrEqual(48_000);
    expect(await readStatus(deps.kv)).toMatchObject({ pendingChanges: 1, lastError: expect.stringContaining('Sync will try again') });

    clock.now += 10_000;
    expect(await runServerSync(deps, 'edit')).toMatchObject({ type: 'waiting' });
    clock.now += firstWait;
    const second = await runServerSync(deps, 'alarm');
    expect((second as { retryAt: number }).retryAt - clock.now).toBeGreaterThan(firstWait);

    await server.start();
    // The reader's "Sync now" does not wait for the backoff.
    const recovered = await runServerSync(deps, 'manual');
    Object.assign(trackFault(SERVER_DOWN), { injected: [first, second].filter((outcome) => outcome.type === 'failed').length, acknowledged: 1, lost: (await readStatus(deps.kv)).pendingChanges + 1 - deps.store.size });
    expect(recovered).toMatchObject({ type: 'synced' });
    expect(await readStatus(deps.kv)).toMatchObject({ lastSuccessAt: clock.now, pendingChanges: 0, lastError: null });
    expect(await deps.kv.get(SERVER_SYNC_KEYS.retry)).toMatchObject({ failures: 0, retryAt: null });
  });
});

describe('one run at a time', () => {
  it('joins triggers that arrive during a run, and runs once more for them', async () => {
    const deps = serviceDeps({ now: 5 });
    await saveServerSettings(deps.kv, settingsFor(server.member.password));
    const changesBefore = server.requests.filter((line) => line.includes('/_changes')).length;
    const [first, second, third] = await Promise.all([runServerSync(deps, 'edit'), runServerSync(deps, 'edit'), runServerSync(deps, 'lesson')]);
    expect(first).toMatchObject({ type: 'synced' });
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(server.requests.filter((line) => line.includes('/_changes')).length - changesBefore).toBe(2);
  });
});

describe('set-up problems', () => {
  it('says when the database is missing, and creates it for an admin only', async () => {
    const missing = settingsFor(server.member.password, { database: server.freshDatabaseName() });
    expect(await testServerConnection(missing, { http: NO_WAIT })).toMatchObject({ ok: true, user: 'reader', database: 'missing' });
    const failure = await syncWithServer(new MemorySyncStore('p'), createCouchClient(missing, NO_WAIT), memoryKv(), serverTarget(missing)).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'no-database' });
    expect(await createServerDatabase(missing, { http: NO_WAIT })).toMatchObject({ ok: false, kind: 'forbidden', message: expect.stringContaining('administrator') });
    const asAdmin = { ...missing, ...server.admin };
    expect(await createServerDatabase(asAdmin, { http: NO_WAIT })).toEqual({ ok: true, value: 'created' });
    expect(await createServerDatabase(asAdmin, { http: NO_WAIT })).toEqual({ ok: true, value: 'exists' });
    expect(await testServerConnection(missing, { http: NO_WAIT })).toMatchObject({ ok: true, database: 'exists' });
  });

  it('asks for the host permission before sending anything', async () => {
    const deps = serviceDeps({ now: 5 }, { hasHostPermission: async (pattern) => pattern !== 'http://127.0.0.1/*' });
    await saveServerSettings(deps.kv, settingsFor(server.member.password));
    const before = server.requests.length;
    expect(await runServerSync(deps, 'manual')).toMatchObject({ type: 'failed', retryAt: null, message: expect.stringContaining('allowed access') });
    expect(server.requests.length).toBe(before);
  });

  it('does nothing while sync is off', async () => {
    const deps = serviceDeps({ now: 5 });
    await saveServerSettings(deps.kv, { ...settingsFor(server.member.password), enabled: false });
    expect(await runServerSync(deps, 'manual')).toEqual({ type: 'off' });
    expect(await readStatus(deps.kv)).toMatchObject({ enabled: false });
  });
});

describe('the password', () => {
  it('never appears in an error, a status, or anything stored but the settings', async () => {
    const password = `s3cret-${Date.now()}-密码`;
    const encoded = Buffer.from(`reader:${password}`).toString('base64');
    const seen: string[] = [];
    const remember = (value: unknown) => {
      seen.push(String(value), JSON.stringify(value) ?? '');
      if (value instanceof Error) seen.push(value.message, String(value.stack), String(value.cause), JSON.stringify(value.cause) ?? '');
    };
    const wrong = settingsFor(password);
    const attempts: Array<() => Promise<unknown>> = [
      () => syncWithServer(new MemorySyncStore('p'), createCouchClient(wrong, NO_WAIT), memoryKv(), serverTarget(wrong)),
      () => testServerConnection(wrong, { http: NO_WAIT }),
      () => createServerDatabase(wrong, { http: NO_WAIT }),
    ];
    for (const attempt of attempts) remember(await attempt().catch((error: unknown) => error));

    const clock = { now: 1 };
    const deps = serviceDeps(clock);
    await saveServerSettings(deps.kv, wrong);
    remember(await runServerSync(deps, 'manual'));
    await server.stop();
    remember(await runServerSync(deps, 'manual'));
    remember(await syncWithServer(new MemorySyncStore('p'), createCouchClient(wrong, NO_WAIT), memoryKv(), serverTarget(wrong)).catch((error: unknown) => error));
    await server.start();
    server.injectFault({ match: () => true, fault: { type: 'status', status: 500, body: { error: 'boom', reason: 'internal' } }, times: 10 });
    remember(await runServerSync(deps, 'manual'));

    for (const [key, value] of deps.kv.data) if (key !== SERVER_SYNC_KEYS.settings) remember(value);
    expect(seen.join('\n')).not.toContain(password);
    expect(seen.join('\n')).not.toContain(encoded);
    expect(seen.join('\n')).toContain('Cannot reach the server');
  });
});
