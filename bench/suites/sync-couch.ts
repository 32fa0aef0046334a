/**
 * Server sync (issue #5): an initial sync of 10,000 annotations from a local
 * CouchDB-compatible server into an empty profile (target < 10 s), the first
 * upload of the same library, and a sync when nothing changed. The server is
 * express-pouchdb in memory on a loopback port (tests/fixtures/couch); the
 * profile's database is the in-memory SyncStore of the sync tests, so the
 * figures are the protocol's and the engine's, not IndexedDB's.
 */
import { annotationId, testProfile, type TestProfile } from '../../tests/fixtures/couch/profiles';
import { startCouchServer, type CouchTestServer } from '../../tests/fixtures/couch/server';
import { measured, single } from '../lib/stats';
import type { BenchFigure, BenchSuite } from '../types';

const GROUP = 'Sync with a CouchDB server';
const PASSAGE = '分布式系统中超时并不等于失败，请求可能已经在服务端执行成功，只是响应在网络中丢失了，所以重试必须是幂等的';
const NOTE = '重试之前先确认操作是否幂等：用唯一请求 ID 去重，服务端记录已处理的 ID，重复请求直接返回上次的结果。';

export const syncCouchSuite: BenchSuite = {
  name: 'sync-couch',
  async run(context) {
    const count = context.tiny ? 500 : 10_000;
    const runs = context.tiny ? 1 : 5;
    const server = await startCouchServer();
    try {
      context.log(`sync-couch: uploading ${count} annotations`);
      const uploads: number[] = [];
      let database = '';
      for (let run = 0; run < Math.min(runs, 3); run++) {
        database = server.freshDatabaseName();
        await server.createDatabase(database);
        const source = seededProfile(server, database, count);
        uploads.push(await timed(() => source.sync()));
      }
      const initial: number[] = [];
      const quiet: number[] = [];
      for (let run = 0; run < runs; run++) {
        context.log(`sync-couch: initial sync of ${count} annotations, run ${run + 1}/${runs}`);
        const fresh = testProfile(server, database, `fresh${run}`);
        initial.push(await timed(() => fresh.sync()));
        if (fresh.store.size !== count) throw new Error(`sync-couch: the new profile holds ${fresh.store.size} annotations, not ${count}`);
        quiet.push(await timed(() => fresh.sync()));
      }
      context.note(
        `Sync with a CouchDB server: express-pouchdb 4 + PouchDB's in-memory adapter on 127.0.0.1 in the bench's process; ${count.toLocaleString('en')} annotations ` +
          '(Chinese quotes, a note on every third) on 20 lessons; the profile is the in-memory SyncStore of the tests; pages of 1,000 changes.',
      );
      return figures(count, uploads, initial, quiet);
    } finally {
      await server.close();
    }
  },
};

function figures(count: number, uploads: number[], initial: number[], quiet: number[]): BenchFigure[] {
  const label = count.toLocaleString('en');
  return [
    // The target is for 10,000 annotations; the tiny run has none.
    measured({ group: GROUP, name: `initial sync, ${label} annotations from the server into an empty profile`, unit: 'ms', ...(count === 10_000 ? { target: { below: 10_000, text: '< 10 s' } } : {}) }, initial),
    measured({ group: GROUP, name: `first upload, ${label} annotations into an empty database`, unit: 'ms' }, uploads),
    measured({ group: GROUP, name: `sync with nothing changed, ${label} annotations`, unit: 'ms' }, quiet),
    single({ group: GROUP, name: 'annotations synced per run', unit: 'count' }, count, initial.length),
  ];
}

function seededProfile(server: CouchTestServer, database: string, count: number): TestProfile {
  const profile = testProfile(server, database, 'source');
  for (let index = 0; index < count; index++) {
    const start = index % 40;
    profile.store.create(annotationId(index), {
      lessonId: String(100_001 + (index % 20)),
      exact: PASSAGE.slice(start, start + 12 + (index % 30)),
      note: index % 3 === 0 ? NOTE : '',
    });
  }
  return profile;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}
