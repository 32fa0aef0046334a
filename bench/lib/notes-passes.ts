/**
 * What a margin-notes trace says (issue #3): the cost of each notes layout
 * pass, and what our code did in each frame of a scroll. Pure functions of
 * the trace's events; the suite (bench/suites/notes.ts) takes the traces.
 */
import { parseMark } from './notes-page';
import { descendants, forcedBy, MainThread, sumCpuMs, sumMs, topOf, type Slice, type TraceEvent } from './notes-trace';

/** One notes layout pass: our animation-frame callback and the style and layout of its frame. */
export interface PassCost {
  /** Callback (minus the probe) plus the frame's style recalc and layout, wall time. */
  totalMs: number;
  /** The same, in main-thread CPU time: what is left when other processes take the cores. */
  cpuMs: number;
  /** Our script, without the style and layout it forced. */
  scriptMs: number;
  /** Style recalcs and layouts our reads forced inside the callback. */
  forcedMs: number;
  /** The frame's own style recalc and layout after the callbacks. */
  frameLayoutMs: number;
  /** The frame's pre-paint, paint and layerize (whole page; not in totalMs). */
  paintMs: number;
  /** The probe's marks set during the pass (cards it added or moved). */
  marks: string[];
  /** The script frames that forced style or layout. */
  forcedBy: string[];
}

function passCost(thread: MainThread, callback: Slice): PassCost {
  // The probe's MutationObserver runs in the same microtask checkpoint: not ours.
  const probe = descendants(callback).filter((d) => d.event.name === 'FunctionCall' && !thread.isOurs(d.event));
  const probeMs = sumMs(probe);
  const frameLayout = thread.frameRendering(callback);
  const forced = thread.forcedInside([callback]).filter((d) => !['Layout', 'UpdateLayoutTree'].includes(d.parent?.event.name ?? ''));
  const forcedMs = sumMs(forced);
  const frameLayoutMs = sumMs(frameLayout);
  const callbackMs = sumMs([callback]) - probeMs;
  return {
    totalMs: callbackMs + frameLayoutMs,
    cpuMs: sumCpuMs([callback]) - sumCpuMs(probe) + sumCpuMs(frameLayout),
    scriptMs: callbackMs - forcedMs,
    forcedMs,
    frameLayoutMs,
    paintMs: thread.framePainting(callback),
    marks: thread.marksIn(callback),
    forcedBy: [...new Set(forced.map(forcedBy))],
  };
}

const movedCards = (pass: PassCost) => pass.marks.reduce((sum, name) => sum + (parseMark(name)?.moved ?? 0), 0);

export interface RestorePasses {
  /** The pass in which all the cards first appeared. */
  created: PassCost;
  /** The last pass that moved a card: the cards' final positions. */
  settled: PassCost;
  /** Every pass that added or moved cards. */
  passes: PassCost[];
  /** Card changes made outside our animation-frame callbacks (synchronous re-renders). */
  otherChanges: number;
}

/** The layout passes of a lesson opening that ended with `cards` cards. */
export function restorePasses(events: readonly TraceEvent[], ours: string, cards: number): RestorePasses {
  const thread = new MainThread(events, ours);
  const callbacks = thread.ourFrameCallbacks();
  const passes = callbacks.map((callback) => passCost(thread, callback)).filter((pass) => pass.marks.some((name) => parseMark(name)));
  const created = passes.find((pass) => pass.marks.some((name) => parseMark(name)?.cards === cards));
  const settled = passes.filter((pass) => movedCards(pass) > 0).at(-1);
  if (!created || !settled) throw new Error(`notes: no layout pass showed the ${cards} cards in the trace`);
  const inCallback = (ts: number) => callbacks.some((callback) => ts >= callback.start && ts <= callback.end);
  const otherChanges = thread.marks.filter((mark) => parseMark(mark.name) && !inCallback(mark.ts)).length;
  return { created, settled, passes, otherChanges };
}

/** Every animation-frame callback of ours in the trace, as layout passes (when nothing else of ours asks for frames). */
export function layoutPasses(events: readonly TraceEvent[], ours: string): PassCost[] {
  const thread = new MainThread(events, ours);
  return thread.ourFrameCallbacks().map((callback) => passCost(thread, callback));
}

export interface ScrollFrames {
  /** Frames that dispatched a scroll event. */
  frames: number;
  /** Our time (listeners and animation-frame callbacks) in each of them. */
  workMs: number[];
  /** Our animation-frame callbacks in each of them. */
  callbacksPerFrame: number[];
  /** Where each forced layout and style recalc inside our calls came from. */
  forcedLayouts: string[];
  forcedStyles: string[];
  forcedStyleMs: number[];
}

/** Our work in each frame of a scroll. */
export function scrollFrames(events: readonly TraceEvent[], ours: string): ScrollFrames {
  const thread = new MainThread(events, ours);
  const calls = thread.ourCalls().filter((call) => !insideOurs(thread, call));
  const tasks = thread.tasks.filter((task) => descendants(task).some((d) => d.event.name === 'EventDispatch' && d.event.args?.data?.type === 'scroll'));
  const callbacks = thread.ourFrameCallbacks();
  const forced = thread.forcedInside(calls);
  const styles = forced.filter((d) => d.event.name === 'UpdateLayoutTree');
  return {
    frames: tasks.length,
    workMs: tasks.map((task) => sumMs(calls.filter((call) => topOf(call) === task))),
    callbacksPerFrame: tasks.map((task) => callbacks.filter((callback) => topOf(callback) === task).length),
    forcedLayouts: forced.filter((d) => d.event.name === 'Layout').map(forcedBy),
    forcedStyles: styles.map(forcedBy),
    forcedStyleMs: styles.map((d) => sumMs([d])),
  };
}

function insideOurs(thread: MainThread, slice: Slice): boolean {
  for (let at = slice.parent; at; at = at.parent) if (thread.isOurs(at.event)) return true;
  return false;
}
