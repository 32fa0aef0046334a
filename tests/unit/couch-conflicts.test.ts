// @vitest-environment node
/**
 * Two writers on one server (issue #5): a `409` is resolved by fetching the
 * server's document, merging it with the same rules as every other way of
 * syncing, and retrying; a storm of them converges. Documents the server
 * refuses (per-document errors in `_bulk_docs`) stay pending, with a clear
 * message, and are pushed once they are acceptable.
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../storage/sync/couch-docs';
import { CouchError } from '../../storage/sync/couch-errors';
import { conflictVersions, currentNote, type ReplicatedAnnotation } from '../../storage/sync/merge';
import { HIGHLIGHT_COLORS, type HighlightColor } from '../../storage/model';
import { annotationId, testProfile } from '../fixtures/couch/profiles';
import { basic } from '../fixtures/couch/server';
import { trackFault } from '../faults/ledger';
import { useCouchServer } from '../fixtures/couch/use-server';

const couch = useCouchServer();

async function serverDocs(database: string): Promise<Array<ReplicatedAnnotation & { _rev: string }>> {
  const response = await fetch(`${couch.server.url}/${database}/_all_docs?include_docs=true&startkey="a:"&endkey="a:\ufff0"`, {
    headers: { Authorization: basic(couch.server.admin) },
  });
  const body = (await response.json()) as { rows: Array<{ doc: ReplicatedAnnotation & { _rev: string } }> };
  return body.rows.map((row) => row.doc);
}

/** The couch.server's documents without CouchDB's own fields, as a profile's snapshot shows them. */
async function serverSnapshot(database: string): Promise<string[]> {
  return (await serverDocs(database)).map(({ _rev, _id, ...record }: ReplicatedAnnotation & { _rev: string; _id?: string }) => canonicalJson(record)).sort();
}

describe('409 conflicts', () => {
  it('merges with the document another device wrote in between, and retries', async () => {
    const database = await couch.freshDatabase();
    const laptop = testProfile(couch.server, database, 'laptop');
    const desktop = testProfile(couch.server, database, 'desktop');
    laptop.store.create(annotationId(1));
    await laptop.sync();
    await desktop.sync();

    laptop.store.recolor(annotationId(1), 'blue');
    desktop.store.writeNote(annotationId(1), '桌面上写的笔记');
    // The laptop gets in while the desktop's _bulk_docs is on its way.
    couch.server.beforeRequest(async (method, path) => {
      if (!path.includes('/_bulk_docs')) return;
      couch.server.beforeRequest(null);
      await laptop.sync();
    });
    const report = await desktop.sync();
    expect(report.conflicts).toBe(1);
    expect(report.pushed).toBe(1);

    await laptop.sync();
    expect(laptop.store.snapshot()).toEqual(desktop.store.snapshot());
    expect(await serverSnapshot(database)).toEqual(desktop.store.snapshot());
    const merged = desktop.store.get(annotationId(1))!;
    expect(merged.color.value).toBe('blue');
    expect(currentNote(merged.notes)).toBe('桌面上写的笔记');
  });

  it('converges after a storm of concurrent writes from two devices, keeping every latest edit and every note', async () => {
    const database = await couch.freshDatabase();
    const writers = [testProfile(couch.server, database, 'alpha'), testProfile(couch.server, database, 'bravo')];
    const ids = Array.from({ length: 30 }, (_, index) => annotationId(index));
    for (const id of ids) writers[0]!.store.create(id);
    await writers[0]!.sync();
    await writers[1]!.sync();

    /** The latest color edit per annotation, by stamp, across both writers. */
    const latestColor = new Map<string, { stamp: string; color: HighlightColor }>();
    const notesWritten = new Map<string, Set<string>>();
    let conflicts = 0;
    // Counted for `npm run test:faults` (a no-op without LH_FAULT_LEDGER).
    const tally = trackFault('409 storm: two devices writing the same 30 documents at once (unit test)');
    let seed = 7;
    const next = (limit: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % limit;
    for (let round = 0; round < 12; round++) {
      for (const [w, writer] of writers.entries()) {
        for (let edit = 0; edit < 10; edit++) {
          tally.acknowledged += 1;
          const id = ids[next(ids.length)]!;
          if (next(2) === 0) {
            const color = HIGHLIGHT_COLORS[next(HIGHLIGHT_COLORS.length)]!;
            writer.store.recolor(id, color);
            const stamp = writer.store.get(id)!.color.stamp;
            if (stamp > (latestColor.get(id)?.stamp ?? '')) latestColor.set(id, { stamp, color });
          } else {
            const text = `w${w} r${round} e${edit}`;
            writer.store.writeNote(id, text);
            notesWritten.set(id, new Set([...(notesWritten.get(id) ?? []), text]));
          }
        }
      }
      const reports = await Promise.all(writers.map((writer) => writer.sync({ batchSize: 7 })));
      conflicts += reports.reduce((sum, report) => sum + report.conflicts, 0);
    }
    await writers[0]!.sync();
    await writers[1]!.sync();
    await writers[0]!.sync();

    tally.injected = conflicts;
    for (const [id, { color }] of latestColor) tally.lost += Number(writers[0]!.store.get(id)?.color.value !== color);
    for (const [id, written] of notesWritten) {
      const notes = writers[0]!.store.get(id)?.notes ?? [];
      tally.lost += Number(!written.has(currentNote(notes)));
      tally.halfWritten += conflictVersions(notes).filter((version) => !written.has(version.text)).length;
    }
    expect(conflicts).toBeGreaterThan(0);
    expect(writers[0]!.store.snapshot()).toEqual(writers[1]!.store.snapshot());
    expect(await serverSnapshot(database)).toEqual(writers[0]!.store.snapshot());
    for (const [id, { color }] of latestColor) expect(writers[0]!.store.get(id)!.color.value).toBe(color);
    // Concurrent notes are all kept (shown or as conflict versions); none vanishes without being overwritten knowingly.
    for (const id of notesWritten.keys()) {
      const notes = writers[0]!.store.get(id)!.notes;
      expect(notes.length).toBeGreaterThanOrEqual(1);
      expect(notesWritten.get(id)!.has(currentNote(notes))).toBe(true);
      for (const version of conflictVersions(notes)) expect(notesWritten.get(id)!.has(version.text)).toBe(true);
    }
  }, 30_000);
});

describe('per-document errors in a _bulk_docs answer', () => {
  const REFUSE_REJECT_ME = `function (doc) {
    if (doc.notes && doc.notes[0] && doc.notes[0].text.indexOf('reject me') >= 0) throw({ forbidden: 'notes may not say reject me' });
  }`;

  it('keeps refused changes pending with a clear message, and pushes them once they pass', async () => {
    const database = await couch.freshDatabase();
    await fetch(`${couch.server.url}/${database}/_design/rules`, {
      method: 'PUT',
      headers: { Authorization: basic(couch.server.admin), 'Content-Type': 'application/json' },
      body: JSON.stringify({ validate_doc_update: REFUSE_REJECT_ME }),
    });
    const writer = testProfile(couch.server, database, 'writer');
    for (let index = 0; index < 10; index++) writer.store.create(annotationId(index), { note: index < 2 ? 'reject me' : '' });

    const failure = await writer.sync().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CouchError);
    expect(failure).toMatchObject({ kind: 'rejected' });
    expect((failure as CouchError).message).toContain('2 of 10');
    expect((failure as CouchError).message).toContain('notes may not say reject me');
    expect((await serverDocs(database)).length).toBe(8);

    // Still refused: still pending, and the accepted ones are not written again.
    await expect(writer.sync()).rejects.toMatchObject({ kind: 'rejected' });

    writer.store.writeNote(annotationId(0), 'fine now');
    writer.store.writeNote(annotationId(1), 'fine too');
    const report = await writer.sync();
    expect(report).toMatchObject({ pushed: 2, pending: 0 });
    const docs = await serverDocs(database);
    expect(docs.length).toBe(10);
    expect(docs.filter((doc) => doc._rev.startsWith('1-')).length).toBe(10);
  });
});
