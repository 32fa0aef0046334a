// @vitest-environment node
/**
 * Server sync (issue #5) against a real CouchDB-compatible server
 * (express-pouchdb, in memory, on a loopback port): two profiles push and
 * pull through it, a big initial sync, and stops at any moment.
 */
import { describe, expect, it } from 'vitest';
import { annotationId, testProfile } from '../fixtures/couch/profiles';
import { currentNote } from '../../storage/sync/merge';
import { useCouchServer } from '../fixtures/couch/use-server';

const couch = useCouchServer();

async function serverDocCount(database: string): Promise<number> {
  const response = await fetch(`${couch.server.url}/${database}/_all_docs?startkey="a:"&endkey="a:\ufff0"`, {
    headers: { Authorization: `Basic ${Buffer.from(`${couch.server.admin.username}:${couch.server.admin.password}`).toString('base64')}` },
  });
  const body = (await response.json()) as { rows: unknown[] };
  return body.rows.length;
}

describe('pushing and pulling through the couch.server', () => {
  it('carries highlights, notes, colors and deletions from one profile to another', async () => {
    const database = await couch.freshDatabase();
    const laptop = testProfile(couch.server, database, 'laptop');
    const desktop = testProfile(couch.server, database, 'desktop');
    laptop.store.create(annotationId(1), { note: '超时不等于失败' });
    laptop.store.create(annotationId(2));
    laptop.store.create(annotationId(3));
    laptop.store.recolor(annotationId(2), 'green');
    laptop.store.remove(annotationId(3));

    const pushed = await laptop.sync();
    expect(pushed.pushed).toBe(3);
    const pulled = await desktop.sync();
    expect(pulled.pulled).toBe(3);

    expect(desktop.store.snapshot()).toEqual(laptop.store.snapshot());
    expect(currentNote(desktop.store.get(annotationId(1))!.notes)).toBe('超时不等于失败');
    expect(desktop.store.get(annotationId(2))!.color.value).toBe('green');
    expect(desktop.store.get(annotationId(3))!.deleted.value).not.toBeNull();
    expect(await serverDocCount(database)).toBe(3);
  });

  it('brings edits made on both sides together, and a second sync changes nothing', async () => {
    const database = await couch.freshDatabase();
    const laptop = testProfile(couch.server, database, 'laptop');
    const desktop = testProfile(couch.server, database, 'desktop');
    laptop.store.create(annotationId(1));
    await laptop.sync();
    await desktop.sync();

    laptop.store.recolor(annotationId(1), 'pink');
    desktop.store.writeNote(annotationId(1), 'written on the desktop');
    desktop.store.create(annotationId(2));
    await laptop.sync();
    await desktop.sync();
    await laptop.sync();

    expect(laptop.store.snapshot()).toEqual(desktop.store.snapshot());
    expect(laptop.store.get(annotationId(1))!.color.value).toBe('pink');
    expect(currentNote(laptop.store.get(annotationId(1))!.notes)).toBe('written on the desktop');

    const requestsBefore = couch.server.requests.length;
    const again = await laptop.sync();
    expect(again).toMatchObject({ pulled: 0, pushed: 0, mergedLocally: 0, pending: 0 });
    // A quiet sync costs the pairing check and one empty page of _changes; nothing is written.
    expect(couch.server.requests.slice(requestsBefore).filter((line) => line.startsWith('POST'))).toEqual([]);
  });

  it('does not push back what it just pulled', async () => {
    const database = await couch.freshDatabase();
    const laptop = testProfile(couch.server, database, 'laptop');
    const desktop = testProfile(couch.server, database, 'desktop');
    for (let index = 0; index < 20; index++) laptop.store.create(annotationId(index));
    await laptop.sync();
    const report = await desktop.sync();
    expect(report).toMatchObject({ pulled: 20, pushed: 0, pending: 0 });
    expect((await desktop.sync()).pushed).toBe(0);
  });

  it('puts back an annotation someone deleted on the couch.server, since absence is never a deletion', async () => {
    const database = await couch.freshDatabase();
    const laptop = testProfile(couch.server, database, 'laptop');
    laptop.store.create(annotationId(1));
    laptop.store.create(annotationId(2));
    await laptop.sync();
    const headers = { Authorization: `Basic ${Buffer.from(`${couch.server.admin.username}:${couch.server.admin.password}`).toString('base64')}` };
    const id = encodeURIComponent(`a:${annotationId(1)}`);
    const { _rev: rev } = (await (await fetch(`${couch.server.url}/${database}/${id}`, { headers })).json()) as { _rev: string };
    expect((await fetch(`${couch.server.url}/${database}/${id}?rev=${rev}`, { method: 'DELETE', headers })).status).toBe(200);

    const report = await laptop.sync();
    expect(report.pushed).toBe(1);
    expect(laptop.store.size).toBe(2);
    const desktop = testProfile(couch.server, database, 'desktop');
    await desktop.sync();
    expect(desktop.store.snapshot()).toEqual(laptop.store.snapshot());
  });

  it('syncs 10,000 annotations into a new profile, in pages', async () => {
    const database = await couch.freshDatabase();
    const source = testProfile(couch.server, database, 'source');
    for (let index = 0; index < 10_000; index++) source.store.create(annotationId(index), { note: index % 7 === 0 ? `note ${index}` : '' });
    await source.sync();

    const fresh = testProfile(couch.server, database, 'fresh');
    const report = await fresh.sync();
    expect(report).toMatchObject({ pulled: 10_000, mergedLocally: 10_000, pushed: 0, pending: 0 });
    expect(fresh.store.size).toBe(10_000);
    expect(fresh.store.snapshot()).toEqual(source.store.snapshot());
    expect(await serverDocCount(database)).toBe(10_000);
  }, 60_000);
});
