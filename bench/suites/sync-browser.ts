/**
 * Browser sync (issue #5, performance): what a typical annotation costs in
 * `storage.sync` (key plus JSON value, in bytes, as the browser counts) and
 * how many typical annotations fit in its 100 KB; and how long one sync pass
 * takes (read and decode the area, merge, lay out, write) with the area full.
 * A typical annotation is a 40-character Chinese quote with 32 characters of
 * context on each side and a 60-character note (tests/fixtures/sync/
 * typical-annotations.ts). Runs in Node, without the built extension.
 */
import { planLayout, SYNC_LIMITS } from '../../storage/sync/browser-sync-layout';
import { createBrowserSync } from '../../storage/sync/browser-sync';
import { createSyncCloud } from '../../tests/fixtures/sync/fake-storage-sync';
import { MemorySyncStore } from '../../tests/fixtures/sync/memory-sync-store';
import { typicalAnnotations, type TextModel } from '../../tests/fixtures/sync/typical-annotations';
import { measured, single } from '../lib/stats';
import type { BenchContext, BenchFigure, BenchSuite } from '../types';

const GROUP = 'Sync: browser storage.sync';
/** More than fit, so the figure is what the quota allows. */
const LIBRARY = 800;

export const syncBrowserSuite: BenchSuite = {
  name: 'sync-browser',
  async run(context) {
    const figures: BenchFigure[] = [];
    for (const text of ['sampled', 'prose'] as const) figures.push(...(await capacityFigures(context, text)));
    figures.push(await passFigure(context.tiny ? 2 : 7));
    context.note(
      'storage.sync capacity: typical annotations (40-character Chinese quote, 32-character contexts, 60-character note, ten per lesson) laid out as browser sync writes them, ' +
        'within the browser\'s 102,400 bytes; bytes per annotation = quota bytes of all items / annotations carried. "sampled" draws each character on its own with the fixture course\'s ' +
        'character frequencies (no repeated phrases: the cautious figure); "prose" takes real runs of the fixture lessons and comments, which overlap (a hopeful figure).',
    );
    return figures;
  },
};

async function capacityFigures(context: BenchContext, text: TextModel): Promise<BenchFigure[]> {
  context.log(`sync-browser: laying out ${LIBRARY} typical annotations (${text})`);
  const layout = await planLayout(typicalAnnotations({ count: LIBRARY, text }), { bytes: SYNC_LIMITS.quotaBytes, items: SYNC_LIMITS.maxItems }, new Map());
  const carried = layout.carried.length;
  const perAnnotation = layout.bytes / carried;
  context.record(`sync-browser-${text}`, { carried, bytes: layout.bytes, items: layout.items.map((item) => ({ key: item.key, chars: item.value.length })) });
  const note = `${layout.items.length} items, ${layout.bytes.toLocaleString('en-US')} bytes`;
  return [
    single({ group: GROUP, name: `bytes per typical annotation (${text} text)`, unit: 'bytes', note }, Math.round(perAnnotation * 10) / 10),
    single({ group: GROUP, name: `typical annotations carried in 100 KB (${text} text)`, unit: 'count', target: { atLeast: 400, text: '≥ 400' } }, carried),
  ];
}

/** One `syncNow()` of a profile that joins an area already full of typical annotations (decode, merge, lay out; nothing to write). */
async function passFigure(runs: number): Promise<BenchFigure> {
  const times: number[] = [];
  let carried = 0;
  for (let run = 0; run < runs; run++) {
    let time = 1_714_000_000_000;
    const now = () => time;
    const cloud = createSyncCloud(now);
    const writer = new MemorySyncStore('writer01', now);
    writer.seed(typicalAnnotations({ count: LIBRARY }));
    const status = { write: async () => undefined };
    await createBrowserSync({ area: cloud.profile('writer'), store: writer, status, now }).syncNow();
    cloud.upload();
    const reader = new MemorySyncStore('reader01', now);
    const sync = createBrowserSync({ area: cloud.profile('reader'), store: reader, status, now });
    cloud.download('reader');
    time += 10_000;
    const started = performance.now();
    const result = await sync.syncNow();
    times.push(performance.now() - started);
    carried = result.carried ?? 0;
  }
  return measured({ group: GROUP, name: `sync pass joining a full area (${carried} annotations), ms`, unit: 'ms', note: 'decode all items, merge into the database, lay out, compare; in-memory store' }, times);
}
