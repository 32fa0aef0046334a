/** Turning the in-page anchoring measurements into the table's figures. */
import type { Tally } from '../browser/checker';
import type { ImplementationName } from '../browser/implementations';
import type { ImplementationResult, MeasureResult, OursProfile, PaintResult } from '../browser/page-bench';
import type { BenchFigure } from '../types';
import { measured, median, single } from './stats';

export const UNCHANGED = 'Re-anchoring, unchanged lesson';
export const EDITED = 'Re-anchoring, edited lesson';
export const PAINTING = 'Painting (ours, CSS Custom Highlight API)';

export const IMPLEMENTATION_LABELS: Record<ImplementationName, string> = {
  ours: 'ours',
  apache: '@apache-annotator/dom',
  textQuote: 'dom-anchor-text-quote',
};
const LIBRARIES = ['apache', 'textQuote'] as const;

/** Which configuration a figure is about, e.g. "500 hl / 100k". */
export interface Case {
  lesson: string;
  count: number;
  headline: boolean;
}

const caseName = (c: Case) => `${c.count} hl / ${c.lesson}`;

function tallyNote(t: Tally): string {
  const removed = t.removed > 0 ? ` · removed passages: ${t.removedOrphaned}/${t.removed} orphaned` : '';
  const near = t.nearMisses > 0 ? ` (${t.nearMisses} overlapping)` : '';
  return `${t.correct}/${t.surviving} correct · ${t.orphaned} orphaned · ${t.wrong} wrong${near}${removed}`;
}

/** The implementations measured in a result, ours first. */
function measuredIn(result: MeasureResult): Array<[ImplementationName, ImplementationResult]> {
  return (['ours', ...LIBRARIES] as const).flatMap((name) => (result[name] ? [[name, result[name]] as [ImplementationName, ImplementationResult]] : []));
}

export function unchangedFigures(c: Case, result: MeasureResult): BenchFigure[] {
  const figures = measuredIn(result).map(([name, { tally, times }]) =>
    measured(
      {
        group: UNCHANGED,
        name: `${IMPLEMENTATION_LABELS[name]}, ${caseName(c)}`,
        unit: 'ms',
        note: tallyNote(tally),
        target: name === 'ours' && c.headline ? { below: 20, text: '< 20 ms' } : undefined,
      },
      times,
    ),
  );
  const ours = result.ours;
  const libraries = LIBRARIES.flatMap((library) => (result[library] ? [[library, median(result[library].times)] as const] : []));
  if (!ours || libraries.length === 0) return figures;
  const oursMedian = median(ours.times);
  for (const [library, libraryMedian] of libraries) {
    figures.push(single({ group: UNCHANGED, name: `speed-up vs ${IMPLEMENTATION_LABELS[library]}, ${caseName(c)}`, unit: 'ratio' }, libraryMedian / oursMedian, ours.times.length));
  }
  if (c.headline) {
    const fastest = Math.min(...libraries.map(([, libraryMedian]) => libraryMedian));
    figures.push(single({ group: UNCHANGED, name: `speed-up vs the faster library, ${caseName(c)}`, unit: 'ratio', target: { atLeast: 10, text: '≥ 10×' } }, fastest / oursMedian, ours.times.length));
  }
  return figures;
}

export function editedFigures(c: Case, result: MeasureResult): BenchFigure[] {
  const figures: BenchFigure[] = [];
  for (const [name, { tally, times }] of measuredIn(result)) {
    const label = `${IMPLEMENTATION_LABELS[name]}, ${caseName(c)}`;
    const ours = name === 'ours';
    figures.push(measured({ group: EDITED, name: `${label}: time`, unit: 'ms' }, times));
    figures.push(
      single({
        group: EDITED,
        name: `${label}: correct (of surviving passages)`,
        unit: 'percent',
        note: tallyNote(tally),
        target: ours ? { atLeast: 99, text: '≥ 99 %' } : undefined,
      }, tally.surviving === 0 ? 100 : (100 * tally.correct) / tally.surviving),
    );
    figures.push(single({ group: EDITED, name: `${label}: wrong anchors`, unit: 'count', target: ours ? { equals: 0, text: '0' } : undefined }, tally.wrong));
    if (ours) {
      figures.push(single({ group: EDITED, name: `${label}: removed passages left orphan`, unit: 'count', note: `of ${tally.removed} removed`, target: { equals: tally.removed, text: `all ${tally.removed}` } }, tally.removedOrphaned));
    }
  }
  return figures;
}

/** Where our time goes (index build vs locating quotes), for the diagnosis of a missed target. */
export function profileFigures(c: Case, group: string, profile: OursProfile): BenchFigure[] {
  return [
    measured({ group, name: `ours, ${caseName(c)}: building the text index`, unit: 'ms' }, profile.indexMs),
    measured({ group, name: `ours, ${caseName(c)}: locating the quotes`, unit: 'ms' }, profile.locateMs),
  ];
}

export function paintFigures(c: Case, result: PaintResult): BenchFigure[] {
  const note = `${result.painted} ranges painted; viewport at the top of the lesson`;
  return [
    measured({ group: PAINTING, name: `register ${caseName(c)} in CSS.highlights`, unit: 'ms', note }, result.registerMs),
    measured({ group: PAINTING, name: `render the frame that shows ${caseName(c)}`, unit: 'ms', note: 'main thread, rAF callback → task after the frame' }, result.frameMs),
  ];
}
