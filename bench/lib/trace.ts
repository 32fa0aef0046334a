/**
 * Main-thread time a script costs a page, from a Chromium trace: the
 * complete events of the page's renderer main threads that name the script's
 * URL (EvaluateScript with its compile and run, FunctionCall for callbacks),
 * nested events counted once.
 */
import type { BrowserContext, Page } from 'playwright-core';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string; data?: { url?: string }; fileName?: string };
}

const CATEGORIES = ['devtools.timeline', 'v8', 'v8.execute', 'disabled-by-default-devtools.timeline'];

/** Runs `load` with tracing on (of `categories`) and answers the trace's events, as the caller reads them (`E`). */
export async function traceDuring<E = TraceEvent>(
  context: BrowserContext,
  page: Page,
  load: () => Promise<void>,
  categories: readonly string[] = CATEGORIES,
): Promise<E[]> {
  const cdp = await context.newCDPSession(page);
  const events: E[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as E[])));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: [...categories] }, transferMode: 'ReportEvents' });
  try {
    await load();
  } finally {
    const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await complete;
    await cdp.detach();
  }
  return events;
}

/** Milliseconds of renderer main-thread time attributed to scripts whose URL starts with `urlPrefix`. */
export function mainThreadMs(events: readonly TraceEvent[], urlPrefix: string): number {
  const mainThreads = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}/${e.tid}`));
  const intervals = events
    .filter((e) => e.ph === 'X' && e.dur !== undefined && mainThreads.has(`${e.pid}/${e.tid}`))
    .filter((e) => (e.args?.data?.url ?? e.args?.fileName ?? '').startsWith(urlPrefix))
    .map((e) => [e.ts, e.ts + e.dur!] as const)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [start, stop] of intervals) {
    if (stop <= end) continue;
    total += stop - Math.max(start, end);
    end = stop;
  }
  return total / 1000;
}
