/** The one table `npm run bench` prints: a header naming the machine, the figures, the footnotes. */
import type { BenchFigure } from '../types';

export interface TableInput {
  title: string;
  machine: string;
  figures: readonly BenchFigure[];
  footnotes: readonly string[];
}

const COLUMNS = ['group', 'figure', 'median', 'spread (min–max)', 'runs', 'target', '', 'notes'] as const;

export function formatValue(value: number, unit: BenchFigure['unit'], withUnit = true): string {
  const suffix = withUnit ? { ms: ' ms', bytes: ' B', count: '', ratio: '×', percent: ' %', kB: ' kB' }[unit] : '';
  switch (unit) {
    case 'ms':
      return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)}${suffix}`;
    case 'bytes':
    case 'count':
      return `${Math.round(value).toLocaleString('en-US')}${suffix}`;
    case 'ratio':
      return `${value >= 10 ? value.toFixed(0) : value.toFixed(1)}${suffix}`;
    case 'percent':
      return `${value === 100 ? '100' : value.toFixed(1)}${suffix}`;
    case 'kB':
      return `${value.toFixed(1)}${suffix}`;
  }
}

function mark(figure: BenchFigure): string {
  if (figure.pass === undefined) return '';
  return figure.pass ? 'ok' : 'MISS';
}

function row(figure: BenchFigure, groupShown: boolean): string[] {
  return [
    groupShown ? figure.group : '',
    figure.name,
    formatValue(figure.median, figure.unit),
    figure.spread ? `${formatValue(figure.spread.min, figure.unit, false)}–${formatValue(figure.spread.max, figure.unit, false)}` : '',
    String(figure.runs),
    figure.target ?? '',
    mark(figure),
    figure.note ?? '',
  ];
}

/** Display width: CJK characters take two columns. */
function width(text: string): number {
  let w = 0;
  for (const char of text) w += /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/.test(char) ? 2 : 1;
  return w;
}

function pad(text: string, size: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)));
  return right ? fill + text : text + fill;
}

export function formatTable({ title, machine, figures, footnotes }: TableInput): string {
  let previousGroup = '';
  const rows = figures.map((figure) => {
    const cells = row(figure, figure.group !== previousGroup);
    previousGroup = figure.group;
    return cells;
  });
  const all = [[...COLUMNS], ...rows];
  const widths = COLUMNS.map((_, i) => Math.max(...all.map((cells) => width(cells[i]!))));
  const numeric = new Set([2, 3, 4]);
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : pad(cell, widths[i]!, numeric.has(i))))
      .join('  ')
      .trimEnd();
  const rule = '-'.repeat(Math.min(160, widths.slice(0, -1).reduce((a, b) => a + b + 2, 0) + 20));
  const body = rows.map((cells, i) => (i > 0 && cells[0] !== '' ? `\n${line(cells)}` : line(cells)));
  const notes = footnotes.map((note, i) => `[${i + 1}] ${note}`);
  return [title, `Machine: ${machine}`, rule, line([...COLUMNS]), rule, ...body, rule, ...notes].join('\n');
}
