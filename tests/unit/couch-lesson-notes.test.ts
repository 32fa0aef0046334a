// @vitest-environment node
/**
 * Lesson notes through the CouchDB-compatible server (issue #5): documents
 * `lessonNote:<lesson id>` pushed and pulled with the annotations, merged
 * (409s included) by the rules of merge.ts, malformed ones skipped in words
 * without refusing the rest, and nothing lost when the server or the worker
 * stops mid-sync.
 */
import { describe, expect, it } from 'vitest';
import { createCouchClient } from '../../storage/sync/couch-client';
import { syncWithServer } from '../../storage/sync/couch-sync';
import { currentNote } from '../../storage/sync/merge';
import { serverTarget } from '../../storage/sync/server-settings';
import { annotationId, NO_WAIT, testProfile, type TestProfile } from '../fixtures/couch/profiles';
import { basic } from '../fixtures/couch/server';
import { stopAfterStep } from '../fixtures/couch/stopper';
import { useCouchServer } from '../fixtures/couch/use-server';

const couch = useCouchServer();

/** The request to the test couch.server's database `database`, as its admin. */
function adminFetch(database: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${couch.server.url}/${database}/${path}`, { ...init, headers: { Authorization: basic(couch.server.admin), 'Content-Type': 'application/json' } });
}

/** Every lesson note document on the couch.server, by id, with its revision. */
async function serverLessonNotes(database: string): Promise<Map<string, { _rev: string; type: string; notes: Array<{ text: string }> }>> {
  const response = await adminFetch(database, `_all_docs?include_docs=true&startkey="lessonNote:"&endkey="lessonNote:\ufff0"`);
  const body = (await response.json()) as { rows: Array<{ id: string; doc: { _rev: string; type: string; notes: Array<{ text: string }> } }> };
  return new Map(body.rows.map((row) => [row.id, row.doc]));
}

function shownText(profile: TestProfile, lessonId: string): string | undefined {
  const note = profile.store.lessonNote(lessonId);
  return note && currentNote(note.notes);
}

describe('lesson notes through the couch.server', () => {
  it('travel from one profile to another as their own documents, and the profiles converge', async () => {
    const database = await couch.freshDatabase();
    const laptop = testProfile(couch.server, database, 'laptop');
    const desktop = testProfile(couch.server, database, 'desktop');
    laptop.store.create(annotationId(1));
    laptop.store.writeLessonNote('100001', '这一讲：超时 → 重试 → 幂等');

    expect(await laptop.sync()).toMatchObject({ pushed: 2, pending: 0 });
    expect(await desktop.sync()).toMatchObject({ pulled: 2 });
    expect(shownText(desktop, '100001')).toBe('这一讲：超时 → 重试 → 幂等');
    const docs = await serverLessonNotes(database);
    expect([...docs.keys()]).toEqual(['lessonNote:100001']);
    expect(docs.get('lessonNote:100001')?.type).toBe('lessonNote');

    desktop.store.writeLessonNote('100001', '在家补充：重试要有预算');
    await desktop.sync();
    await laptop.sync();
    expect(shownText(laptop, '100001')).toBe('在家补充：重试要有预算');
    // An edit made on top of the other is no conflict: one version.
    expect(laptop.store.lessonNote('100001')!.notes).toHaveLength(1);
    expect(laptop.store.snapshot()).toEqual(desktop.store.snapshot());

    // Quiet afterwards: nothing pulled, pushed or merged.
    expect(await laptop.sync()).toMatchObject({ pulled: 0, pushed: 0, mergedLocally: 0, pending: 0 });
  });

  it('a clear (an edit to empty text) travels and wins over the older text', async () => {
    const database = await couch.freshDatabase();
    const laptop = testProfile(couch.server, database, 'laptop');
    const desktop = testProfile(couch.server, database, 'desktop');
    laptop.store.writeLessonNote('100001', '先写着');
    await laptop.sync();
    await desktop.sync();

    laptop.store.writeLessonNote('100001', '');
    await laptop.sync();
    await desktop.sync();

    expect(shownText(desktop, '100001')).toBe('');
    expect(desktop.store.lessonNote('100001')!.notes).toHaveLength(1);
  });

  it('a concurrent edit keeps both texts as versions on both profiles, even through a 409', async () => {
    const database = await couch.freshDatabase();
    const laptop = testProfile(couch.server, database, 'laptop');
    const desktop = testProfile(couch.server, database, 'desktop');
    laptop.store.writeLessonNote('100001', '原文');
    await laptop.sync();
    await desktop.sync();

    laptop.store.writeLessonNote('100001', '公司里改的');
    desktop.store.writeLessonNote('100001', '家里改的');
    // The laptop's write lands while the desktop's _bulk_docs is on its way: the desktop meets a 409.
    couch.server.beforeRequest(async (method, path) => {
      if (!path.includes('/_bulk_docs')) return;
      couch.server.beforeRequest(null);
      await laptop.sync();
    });
    const report = await desktop.sync();
    couch.server.beforeRequest(null);
    await laptop.sync();

    expect(report.conflicts).toBe(1);
    expect(laptop.store.snapshot()).toEqual(desktop.store.snapshot());
    const texts = laptop.store.lessonNote('100001')!.notes.map((version) => version.text).sort();
    expect(texts).toEqual(['公司里改的', '家里改的']);
    const onServer = (await serverLessonNotes(database)).get('lessonNote:100001')!;
    expect(onServer.notes.map((version) => version.text).sort()).toEqual(['公司里改的', '家里改的']);
  });

  it('skips a malformed lesson note document, naming it in words, and still merges the rest of its page', async () => {
    const database = await couch.freshDatabase();
    const writer = testProfile(couch.server, database, 'writer');
    writer.store.create(annotationId(1));
    writer.store.writeLessonNote('100001', '好的笔记');
    await writer.sync();
    const bad = { type: 'lessonNote', lessonId: '100002', lesson: { site: 'time.geekbang.org', lessonId: '100002', url: 'https://time.geekbang.org/column/article/100002', lessonTitle: '', courseTitle: '' }, createdAt: 0, notes: [] };
    expect((await adminFetch(database, 'lessonNote:100002', { method: 'PUT', body: JSON.stringify(bad) })).status).toBe(201);

    const reader = testProfile(couch.server, database, 'reader');
    const report = await reader.sync();

    expect(report).toMatchObject({ pulled: 2, skipped: 1 });
    expect(report.skippedProblems).toEqual(['lessonNote:100002: notes: has no note version']);

    // A damaged annotation document is skipped and named too.
    const damaged = { color: 'teal' };
    expect((await adminFetch(database, `a:${annotationId(9)}`, { method: 'PUT', body: JSON.stringify(damaged) })).status).toBe(201);
    const again = await reader.sync();
    expect(again).toMatchObject({ pulled: 0, skipped: 1 });
    expect(again.skippedProblems).toEqual([`a:${annotationId(9)}: not an annotation this version can read`]);
    expect(shownText(reader, '100001')).toBe('好的笔记');
    expect(reader.store.get(annotationId(1))).toBeDefined();
    expect(reader.store.lessonNote('100002')).toBeUndefined();
  });

  it('writes back a lesson note whose document was deleted on the couch.server: absence is never deletion', async () => {
    const database = await couch.freshDatabase();
    const writer = testProfile(couch.server, database, 'writer');
    writer.store.writeLessonNote('100001', '别删我');
    await writer.sync();
    const rev = (await serverLessonNotes(database)).get('lessonNote:100001')!._rev;
    expect((await adminFetch(database, `lessonNote:100001?rev=${rev}`, { method: 'DELETE' })).status).toBe(200);

    await writer.sync();

    expect(shownText(writer, '100001')).toBe('别删我');
    expect((await serverLessonNotes(database)).get('lessonNote:100001')?.notes.map((version) => version.text)).toEqual(['别删我']);
  });
});

describe('stops mid-sync', () => {
  it('loses no lesson note when the couch.server goes away while they are pushed, and writes none twice', async () => {
    const database = await couch.freshDatabase();
    const writer = testProfile(couch.server, database, 'writer');
    for (let index = 0; index < 10; index++) writer.store.create(annotationId(index));
    for (let lesson = 0; lesson < 6; lesson++) writer.store.writeLessonNote(String(100001 + lesson), `第 ${lesson} 讲的笔记`);
    // The lesson notes go in the second _bulk_docs (after the highlights): the couch.server stores them,
    // its answer is lost, and the couch.server is stopped when the client asks again.
    let bulkRequests = 0;
    let answerLost = false;
    couch.server.injectFault({
      match: (method, path) => path.includes('/_bulk_docs') && ++bulkRequests === 2,
      fault: { type: 'lose-answer' },
      onApply: () => void (answerLost = true),
    });
    couch.server.injectFault({ match: () => answerLost, fault: { type: 'drop' }, onApply: () => couch.server.stop() });

    try {
      await expect(writer.sync()).rejects.toMatchObject({ kind: 'offline' });
    } finally {
      couch.server.clearFaults();
      await couch.server.start();
    }
    expect(bulkRequests).toBe(2);
    const report = await writer.sync();

    expect(report.pending).toBe(0);
    const docs = await serverLessonNotes(database);
    expect(docs.size).toBe(6);
    expect([...docs.values()].every((doc) => doc._rev.startsWith('1-'))).toBe(true);
    const reader = testProfile(couch.server, database, 'reader');
    await reader.sync();
    expect(reader.store.snapshot()).toEqual(writer.store.snapshot());
  });

  it('loses and duplicates nothing when the worker is stopped after any step', async () => {
    for (let stopAfter = 1; ; stopAfter++) {
      const run = await couch.freshDatabase();
      const desktop = testProfile(couch.server, run, 'desktop');
      desktop.store.create(annotationId(1));
      desktop.store.writeLessonNote('100001', '桌面');
      await desktop.sync();
      const laptop = testProfile(couch.server, run, 'laptop');
      laptop.store.create(annotationId(2));
      laptop.store.writeLessonNote('100001', '笔记本');
      laptop.store.writeLessonNote('100002', '笔记本的另一讲');
      const options = { pageSize: 2, batchSize: 2, ...NO_WAIT };

      const stopper = stopAfterStep(stopAfter);
      const client = createCouchClient(laptop.settings, { ...NO_WAIT, timeoutMs: 2_000, fetch: stopper.fetch(fetch) });
      const first = syncWithServer(stopper.store(laptop.store), client, stopper.kv(laptop.kv), serverTarget(laptop.settings), options);
      const ended = await Promise.race([first.then(() => 'finished' as const), stopper.stopped]);

      // The browser starts the worker again: same database, same storage.local.
      await laptop.sync(options);
      await desktop.sync(options);
      const where = `stop after step ${stopAfter}`;
      expect(laptop.store.snapshot(), where).toEqual(desktop.store.snapshot());
      expect(laptop.store.lessonNote('100001')!.notes.map((version) => version.text).sort(), where).toEqual(['桌面', '笔记本']);
      expect(shownText(desktop, '100002'), where).toBe('笔记本的另一讲');
      if (ended === 'finished') break;
    }
  });
});
