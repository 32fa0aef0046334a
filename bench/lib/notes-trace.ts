/**
 * Reading the margin notes' main-thread work out of a Chromium trace (issue
 * #3), with no product change: which animation-frame callbacks are ours (a
 * `FunctionCall` inside them names the content script's URL), what each cost
 * with the style and layout of its frame, and which style recalcs or layouts
 * our code forced (a `Layout` or `UpdateLayoutTree` nested inside one of our
 * function calls is a forced synchronous one; the frame's own come after the
 * callbacks, outside any script).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { traceDuring } from './trace';

export interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread (CPU) time of a complete event, µs: excludes time the thread was not running. */
  tdur?: number;
  args?: {
    name?: string;
    data?: { url?: string; type?: string; functionName?: string; lineNumber?: number; columnNumber?: number };
    beginData?: { dirtyObjects?: number; totalObjects?: number; stackTrace?: StackFrame[] };
  };
}

/** A script frame of a forced style recalc or layout (category `disabled-by-default-devtools.timeline.stack`). */
interface StackFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

/** A complete event on the page's main thread, with where it sits in the call tree. */
export interface Slice {
  event: TraceEvent;
  start: number;
  end: number;
  parent: Slice | null;
  children: Slice[];
}

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.stack', 'blink.user_timing'];
const RENDERING = new Set(['UpdateLayoutTree', 'Layout']);
const PAINTING = new Set(['PrePaint', 'Paint', 'Layerize']);

/** Runs `action` with tracing on, with the stacks that place forced layouts, and answers the trace's events. */
export function traceNotes(context: BrowserContext, page: Page, action: () => Promise<void>): Promise<TraceEvent[]> {
  return traceDuring<TraceEvent>(context, page, action, CATEGORIES);
}

/** The call trees of the renderer main thread that ran `scriptPrefix` (the lesson page's). */
export class MainThread {
  /** Top-level tasks, in time order. */
  readonly tasks: Slice[] = [];
  readonly slices: Slice[] = [];
  /** User-timing marks: name and time. */
  readonly marks: Array<{ name: string; ts: number }> = [];

  constructor(events: readonly TraceEvent[], private readonly scriptPrefix: string) {
    // The thread that ran the most of our calls (a navigation may leave a few in an old renderer).
    const calls = new Map<string, TraceEvent[]>();
    for (const e of events.filter((candidate) => this.isOurs(candidate))) {
      const key = `${e.pid}/${e.tid}`;
      const list = calls.get(key) ?? [];
      list.push(e);
      calls.set(key, list);
    }
    const thread = [...calls.values()].sort((a, b) => b.length - a.length)[0]?.[0];
    if (!thread) throw new Error(`notes trace: no function call from ${scriptPrefix}`);
    const onThread = events.filter((e) => e.pid === thread.pid && e.tid === thread.tid);
    const complete = onThread.filter((e) => e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    const open: Slice[] = [];
    for (const event of complete) {
      while (open.length > 0 && open[open.length - 1]!.end <= event.ts) open.pop();
      const parent = open[open.length - 1] ?? null;
      const slice: Slice = { event, start: event.ts, end: event.ts + event.dur!, parent, children: [] };
      (parent ? parent.children : this.tasks).push(slice);
      this.slices.push(slice);
      open.push(slice);
    }
    const marks = events.filter((e) => e.cat?.includes('blink.user_timing') && e.pid === thread.pid && (e.ph === 'R' || e.ph === 'I' || e.ph === 'n'));
    this.marks.push(...marks.map((e) => ({ name: e.name, ts: e.ts })).sort((a, b) => a.ts - b.ts));
  }

  isOurs(event: TraceEvent): boolean {
    return event.name === 'FunctionCall' && (event.args?.data?.url ?? '').startsWith(this.scriptPrefix);
  }

  /** Animation-frame callbacks that ran our code, in time order. */
  ourFrameCallbacks(): Slice[] {
    return this.slices.filter((s) => s.event.name === 'FireAnimationFrame' && descendants(s).some((d) => this.isOurs(d.event)));
  }

  /** Our function calls: event listeners, observers and animation-frame callbacks. */
  ourCalls(): Slice[] {
    return this.slices.filter((s) => this.isOurs(s.event));
  }

  /** Style recalcs and layouts run synchronously inside our calls (forced by what the code read). */
  forcedInside(calls: readonly Slice[]): Slice[] {
    return calls.flatMap((call) => descendants(call).filter((d) => RENDERING.has(d.event.name)));
  }

  /** The frame's own style recalc and layout after `callback`, in the same task (outside any script). */
  frameRendering(callback: Slice): Slice[] {
    const task = topOf(callback);
    return descendants(task).filter((d) => d.start >= callback.end && RENDERING.has(d.event.name) && !insideScript(d) && !insideRendering(d));
  }

  /** The frame's pre-paint, paint and layerize after `callback` (the whole page's, not only ours). */
  framePainting(callback: Slice): number {
    const task = topOf(callback);
    return sumMs(task.children.filter((d) => d.start >= callback.end && PAINTING.has(d.event.name)));
  }

  /** Marks set during `slice`. */
  marksIn(slice: Slice): string[] {
    return this.marks.filter((m) => m.ts >= slice.start && m.ts <= slice.end).map((m) => m.name);
  }
}

export function descendants(slice: Slice): Slice[] {
  return slice.children.flatMap((child) => [child, ...descendants(child)]);
}

export function topOf(slice: Slice): Slice {
  let top = slice;
  while (top.parent) top = top.parent;
  return top;
}

function insideRendering(slice: Slice): boolean {
  for (let at = slice.parent; at; at = at.parent) if (RENDERING.has(at.event.name)) return true;
  return false;
}

function insideScript(slice: Slice): boolean {
  for (let at = slice.parent; at; at = at.parent) {
    if (at.event.name === 'FunctionCall' || at.event.name === 'FireAnimationFrame' || at.event.name === 'EventDispatch') return true;
  }
  return false;
}

/** Milliseconds covered by the slices (they do not overlap: siblings or separate tasks). */
export function sumMs(slices: readonly Slice[]): number {
  return slices.reduce((sum, s) => sum + (s.end - s.start), 0) / 1000;
}

/** Milliseconds the thread actually ran in the slices (wall time when the trace has no thread time). */
export function sumCpuMs(slices: readonly Slice[]): number {
  return slices.reduce((sum, s) => sum + (s.event.tdur ?? s.end - s.start), 0) / 1000;
}

/** Where a forced style recalc or layout came from: the innermost script frame that asked for it (lines and columns 1-based, as the trace gives them). */
export function forcedBy(slice: Slice): string {
  const frame = slice.event.args?.beginData?.stackTrace?.[0];
  if (frame) return describeFrame(frame);
  for (let at = slice.parent; at; at = at.parent) {
    const data = at.event.args?.data;
    if (at.event.name === 'FunctionCall' && data) {
      return describeFrame({ functionName: data.functionName ?? '', url: data.url ?? '', lineNumber: data.lineNumber ?? 0, columnNumber: data.columnNumber ?? 0 });
    }
  }
  return '(no script)';
}

function describeFrame({ functionName, url, lineNumber, columnNumber }: StackFrame): string {
  return `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber}:${columnNumber}`;
}
