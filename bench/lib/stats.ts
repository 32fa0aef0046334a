/** Turning runs into figures: median and spread, targets, units. */
import type { BenchFigure } from '../types';

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A target the median must meet: `below` (exclusive), `atMost`, `atLeast`, or `equals`. */
export type Target =
  | { below: number; text: string }
  | { atMost: number; text: string }
  | { atLeast: number; text: string }
  | { equals: number; text: string };

function meets(value: number, target: Target): boolean {
  if ('below' in target) return value < target.below;
  if ('atMost' in target) return value <= target.atMost;
  if ('atLeast' in target) return value >= target.atLeast;
  return value === target.equals;
}

type FigureBase = Pick<BenchFigure, 'group' | 'name' | 'unit'> & { target?: Target; note?: string };

/** A figure from several timed runs: median with min/max. */
export function measured(base: FigureBase, runs: readonly number[]): BenchFigure {
  return withTarget({ group: base.group, name: base.name, unit: base.unit, median: median(runs), spread: { min: Math.min(...runs), max: Math.max(...runs) }, runs: runs.length, note: base.note }, base.target);
}

/** A single-shot figure (a size, a count, a ratio of medians). */
export function single(base: FigureBase, value: number, runs = 1): BenchFigure {
  return withTarget({ group: base.group, name: base.name, unit: base.unit, median: value, runs, note: base.note }, base.target);
}

function withTarget(figure: BenchFigure, target: Target | undefined): BenchFigure {
  if (!target) return figure;
  return { ...figure, target: target.text, pass: meets(figure.median, target) };
}
