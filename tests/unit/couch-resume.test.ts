// @vitest-environment node
/**
 * Server sync survives stops (issue #5): the server going away mid-sync,
 * and the MV3 worker stopped after any single step. Afterwards sync resumes
 * where it left off; nothing is lost, and nothing is written twice.
 */
import { describe, expect, it } from 'vitest';
import { createCouchClient } from '../../storage/sync/couch-client';
import { CouchError } from '../../storage/sync/couch-errors';
import { syncWithServer } from '../../storage/sync/couch-sync';
import { serverTarget } from '../../storage/sync/server-settings';
import { annotationId, NO_WAIT, testProfile, type TestProfile } from '../fixtures/couch/profiles';
import { basic } from '../fixtures/couch/server';
import { stopAfterStep } from '../fixtures/couch/stopper';
import { trackFault } from '../faults/ledger';
import { useCouchServer } from '../fixtures/couch/use-server';

const couch = useCouchServer();

/** Every annotation document's revision on the couch.server, by id. */
async function serverRevisions(database: string): Promise<Map<string, string>> {
  const response = await fetch(`${couch.server.url}/${database}/_all_docs?startkey="a:"&endkey="a:\ufff0"`, { headers: { Authorization: basic(couch.server.admin) } });
  const body = (await response.json()) as { rows: Array<{ id: string; value: { rev: string } }> };
  return new Map(body.rows.map((row) => [row.id, row.value.rev]));
}

/** A profile with `count` highlights of its own, ids from `first`. */
function seeded(profile: TestProfile, first: number, count: number): TestProfile {
  for (let index = first; index < first + count; index++) profile.store.create(annotationId(index));
  return profile;
}

describe('the couch.server stops mid-sync', () => {
  it('resumes pulling after the page it had merged, once the couch.server is back', async () => {
    const database = await couch.freshDatabase();
    await seeded(testProfile(couch.server, database, 'source'), 0, 300).sync();
    const reader = testProfile(couch.server, database, 'reader');
    let changesRequests = 0;
    couch.server.injectFault({
      match: (method, path) => path.includes('/_changes') && ++changesRequests === 3,
      fault: { type: 'drop' },
      onApply: () => couch.server.stop(),
    });

    await expect(reader.sync({ pageSize: 50 })).rejects.toMatchObject({ kind: 'offline' });
    expect(reader.store.size).toBe(100);

    await couch.server.start();
    const resumed = await reader.sync({ pageSize: 50 });
    expect(resumed.pulled).toBe(200);
    expect(reader.store.size).toBe(300);
    expect(reader.store.mergeWrites).toBe(300);
  });

  it('pushes the rest after the couch.server died having stored a batch whose answer was lost, writing nothing twice', async () => {
    const database = await couch.freshDatabase();
    const writer = seeded(testProfile(couch.server, database, 'writer'), 0, 120);
    let bulkRequests = 0;
    couch.server.injectFault({
      match: (method, path) => path.includes('/_bulk_docs') && ++bulkRequests === 2,
      fault: { type: 'lose-answer' },
      onApply: () => void setTimeout(() => void couch.server.stop(), 20),
    });

    await expect(writer.sync({ batchSize: 40 })).rejects.toBeInstanceOf(CouchError);
    await couch.server.start();
    expect((await serverRevisions(database)).size).toBe(80);

    const report = await writer.sync({ batchSize: 40 });
    expect(report.pending).toBe(0);
    const revisions = await serverRevisions(database);
    expect(revisions.size).toBe(120);
    expect([...revisions.values()].every((rev) => rev.startsWith('1-'))).toBe(true);

    const reader = testProfile(couch.server, database, 'reader');
    await reader.sync();
    expect(reader.store.snapshot()).toEqual(writer.store.snapshot());
  });

  it('retries a batch whose answer was lost without writing it twice, when the couch.server stays up', async () => {
    const database = await couch.freshDatabase();
    const writer = seeded(testProfile(couch.server, database, 'writer'), 0, 30);
    couch.server.injectFault({ match: (method, path) => path.includes('/_bulk_docs'), fault: { type: 'lose-answer' } });
    const report = await writer.sync();
    // The retried request met the stored documents (409), fetched them and found nothing to add.
    expect(report).toMatchObject({ pending: 0, conflicts: 30, pushed: 0 });
    const revisions = await serverRevisions(database);
    expect(revisions.size).toBe(30);
    expect([...revisions.values()].every((rev) => rev.startsWith('1-'))).toBe(true);
  });
});

describe('the worker is stopped after any step', () => {
  it('loses nothing and duplicates nothing, wherever the stop falls', async () => {
    const stopsTried: number[] = [];
    // Counted for `npm run test:faults` (a no-op without LH_FAULT_LEDGER).
    const tally = trackFault('Service worker stopped after each step of a couch.server sync (unit test, CouchDB fixture)');
    for (let stopAfter = 1; ; stopAfter++) {
      // A new database per stop, filled the same way.
      const run = await couch.freshDatabase();
      const desktop = seeded(testProfile(couch.server, run, 'desktop'), 0, 12);
      await desktop.sync();
      const laptop = seeded(testProfile(couch.server, run, 'laptop'), 100, 12);
      const options = { pageSize: 5, batchSize: 5, ...NO_WAIT };

      const stopper = stopAfterStep(stopAfter);
      const stoppedClient = createCouchClient(laptop.settings, { ...NO_WAIT, timeoutMs: 2_000, fetch: stopper.fetch(fetch) });
      const first = syncWithServer(stopper.store(laptop.store), stoppedClient, stopper.kv(laptop.kv), serverTarget(laptop.settings), options);
      const ended = await Promise.race([first.then(() => 'finished' as const), stopper.stopped]);
      stopsTried.push(stopAfter);

      // The browser starts the worker again: same database, same storage.local.
      await laptop.sync(options);
      await desktop.sync(options);
      if (ended !== 'finished') tally.injected += 1;
      tally.acknowledged += 24;
      tally.lost += Math.max(0, 24 - laptop.store.size);
      const agreed = new Set(desktop.store.snapshot());
      tally.halfWritten += laptop.store.snapshot().filter((record) => !agreed.has(record)).length;
      expect(laptop.store.size, `stop after step ${stopAfter}`).toBe(24);
      expect(laptop.store.snapshot(), `stop after step ${stopAfter}`).toEqual(desktop.store.snapshot());
      const revisions = await serverRevisions(run);
      expect(revisions.size).toBe(24);
      expect([...revisions.values()].every((rev) => rev.startsWith('1-')), `stop after step ${stopAfter}: a document was written twice`).toBe(true);
      if (ended === 'finished') break;
    }
    // Every step of a whole sync was a stopping point (checkpoint reads and writes, pages, batches).
    expect(stopsTried.length).toBeGreaterThan(20);
  }, 60_000);
});
