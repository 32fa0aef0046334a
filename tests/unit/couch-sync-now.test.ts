// @vitest-environment node
/**
 * "Sync now" (and saving the settings) while an automatic sync is already
 * running (issue #5): the reader's request joins that run, and must not be
 * lost when the run it joined fails or was only waiting out the backoff —
 * e.g. a retry that began while the server was down, the reader having just
 * seen it come back.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { runServerSync, readStatus, type ServerSyncDeps } from '../../storage/sync/couch-service';
import { saveServerSettings } from '../../storage/sync/server-settings';
import { MemorySyncStore, memoryKv } from '../fixtures/couch/memory-store';
import { annotationId, NO_WAIT } from '../fixtures/couch/profiles';
import { basic, startCouchServer, type CouchTestServer } from '../fixtures/couch/server';

let server: CouchTestServer;
let database: string;

beforeAll(async () => {
  server = await startCouchServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  await server.start();
  database = server.freshDatabaseName();
  await server.createDatabase(database);
});

/**
 * What the background passes; `beforeRun` is called as each run starts (the
 * host permission check is a run's first step), to change the world between
 * the run a trigger joined and the one after it.
 */
async function profile(beforeRun: (run: number) => Promise<void>): Promise<ServerSyncDeps & { store: MemorySyncStore }> {
  let runs = 0;
  const deps = {
    store: new MemorySyncStore('profile'),
    kv: memoryKv(),
    hasHostPermission: async () => {
      await beforeRun(++runs);
      return true;
    },
    http: { ...NO_WAIT, backoffMs: 1, attempts: 2 },
    sync: NO_WAIT,
  };
  const { username, password } = server.member;
  await saveServerSettings(deps.kv, { url: server.url, database, username, password, enabled: true });
  deps.store.create(annotationId(1), { note: '服务器停机时写的' });
  return deps;
}

it('runs once more for "Sync now" that arrived during a failing automatic run, and answers that run', async () => {
  const runs: number[] = [];
  // The server is down for the automatic run and back by the time the reader's request is served.
  const deps = await profile(async (run) => {
    runs.push(run);
    if (run === 2) await server.start();
  });
  await server.stop();
  const automatic = runServerSync(deps, 'alarm');
  const manual = runServerSync(deps, 'manual');

  expect(await manual).toMatchObject({ type: 'synced', report: { pushed: 1, pending: 0 } });
  expect(await automatic).toBe(await manual);
  expect(runs).toEqual([1, 2]);
  expect(await readStatus(deps.kv)).toMatchObject({ pendingChanges: 0, lastError: null });
});

it('does not run again for automatic triggers that joined a failing run: they wait for the backoff', async () => {
  const runs: number[] = [];
  const deps = await profile(async (run) => void runs.push(run));
  await server.stop();
  const [alarm, edit, lesson] = await Promise.all([runServerSync(deps, 'alarm'), runServerSync(deps, 'edit'), runServerSync(deps, 'lesson')]);

  expect(alarm).toMatchObject({ type: 'failed', message: expect.stringContaining('Cannot reach the server') });
  expect(edit).toBe(alarm);
  expect(lesson).toBe(alarm);
  expect(runs).toEqual([1]);
});

it('keeps the documents a sync skipped in the status, by id and problem, after later syncs that skip none', async () => {
  const deps = await profile(async () => {});
  const damaged = await fetch(`${server.url}/${database}/a:${annotationId(9)}`, {
    method: 'PUT',
    headers: { Authorization: basic(server.admin), 'Content-Type': 'application/json' },
    body: JSON.stringify({ color: 'teal' }),
  });
  expect(damaged.status).toBe(201);

  expect(await runServerSync(deps, 'manual')).toMatchObject({ type: 'synced', report: { skipped: 1 } });
  const first = await readStatus(deps.kv);
  expect(first.skipped).toEqual({ at: expect.any(Number), count: 1, problems: [`a:${annotationId(9)}: not an annotation this version can read`], target: expect.stringContaining(database) });

  deps.store.create(annotationId(2), { note: '之后又写的' });
  expect(await runServerSync(deps, 'manual')).toMatchObject({ type: 'synced', report: { skipped: 0, pushed: 1 } });
  expect((await readStatus(deps.kv)).skipped).toEqual(first.skipped);

  // Another database: the notice was about the first one, and goes.
  const other = server.freshDatabaseName();
  await server.createDatabase(other);
  const { username, password } = server.member;
  await saveServerSettings(deps.kv, { url: server.url, database: other, username, password, enabled: true });
  expect(await runServerSync(deps, 'manual')).toMatchObject({ type: 'synced' });
  expect((await readStatus(deps.kv)).skipped).toBeUndefined();
});
