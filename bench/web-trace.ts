// A Chromium performance trace (CDP `Tracing`) of something a page does, summed the way the
// DevTools Performance panel sums it: main-thread self time by kind (scripting, rendering,
// painting, other), plus rasterisation and display compositing off the main thread. Times are
// CPU times of the threads (the trace's `tdur`), not wall times, so the work is measured
// rather than the machine's other load. Used by `web.bench.ts`.

import { writeFile } from 'node:fs/promises';
import type { CDPSession } from 'playwright-core';

interface TraceEvent {
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  /** Thread (CPU) time of the event, µs: what the work cost, however busy the machine was. */
  readonly tdur?: number;
  readonly ph: string;
  readonly name: string;
  readonly args?: { readonly name?: string };
}

export interface TraceSummary {
  /** Main-thread self (CPU) time in ms, by kind. */
  readonly scripting: number;
  readonly rendering: number;
  readonly painting: number;
  readonly other: number;
  /** Time of raster tasks (off the main thread), in ms. */
  readonly raster: number;
  /** Traced CPU time on the display compositor's thread (software compositing here), in ms. */
  readonly viz: number;
  /** The names with the most main-thread self time, in ms, most first. */
  readonly top: readonly (readonly [string, number])[];
}

const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'blink.user_timing',
].join(',');

const SCRIPTING = new Set([
  'FunctionCall',
  'EvaluateScript',
  'TimerFire',
  'FireAnimationFrame',
  'FireIdleCallback',
  'EventDispatch',
  'RunMicrotasks',
  'MajorGC',
  'MinorGC',
  'GCEvent',
  'XHRReadyStateChange',
  'XHRLoad',
  'V8.Execute',
]);
const RENDERING = new Set([
  'UpdateLayoutTree',
  'RecalculateStyles',
  'ScheduleStyleRecalculation',
  'Layout',
  'PrePaint',
  'HitTest',
  'UpdateLayer',
  'UpdateLayerTree',
  'Layerize',
  'ScrollLayer',
  'IntersectionObserverController::computeIntersections',
]);
const PAINTING = new Set(['Paint', 'PaintImage', 'PaintSetup', 'Commit', 'CompositeLayers']);

function kindOf(name: string): 'scripting' | 'rendering' | 'painting' | 'other' {
  if (SCRIPTING.has(name) || /^v8[.:]|^V8\./.test(name)) return 'scripting';
  if (RENDERING.has(name)) return 'rendering';
  if (PAINTING.has(name) || name.startsWith('Decode')) return 'painting';
  return 'other';
}

/**
 * Records a trace while `run` runs and sums it (see `TraceSummary`); with `file`, also writes the
 * trace there (the JSON the DevTools Performance panel loads).
 */
export async function traceWhile<T>(
  cdp: CDPSession,
  run: () => Promise<T>,
  file?: string,
): Promise<{ result: T; summary: TraceSummary }> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => {
    events.push(...(value as unknown as TraceEvent[]));
  });
  const complete = new Promise<void>((resolve) =>
    cdp.once('Tracing.tracingComplete', () => resolve()),
  );
  await cdp.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
  const result = await run();
  await cdp.send('Tracing.end');
  await complete;
  if (file) await writeFile(file, JSON.stringify({ traceEvents: events }));
  return { result, summary: summarise(events) };
}

function summarise(events: readonly TraceEvent[]): TraceSummary {
  const threadNames = new Map<string, string>();
  for (const event of events) {
    if (event.ph === 'M' && event.name === 'thread_name' && event.args?.name)
      threadNames.set(`${event.pid}:${event.tid}`, event.args.name);
  }
  const byThread = new Map<string, TraceEvent[]>();
  for (const event of events) {
    if (event.ph !== 'X' || event.dur === undefined) continue;
    const key = `${event.pid}:${event.tid}`;
    const list = byThread.get(key);
    if (list) list.push(event);
    else byThread.set(key, [event]);
  }
  // The page's main thread: of the renderers' main threads, the one that ran the frame loop.
  let main: TraceEvent[] = [];
  let mainFrames = -1;
  let raster = 0;
  let viz = 0;
  for (const [key, list] of byThread) {
    const name = threadNames.get(key) ?? '';
    if (name === 'VizCompositorThread') for (const time of selfTimes(list).values()) viz += time;
    for (const event of list)
      if (event.name === 'RasterTask') raster += event.tdur ?? event.dur ?? 0;
    if (name !== 'CrRendererMain') continue;
    const frames = list.filter((event) => event.name === 'FireAnimationFrame').length;
    if (frames > mainFrames) [main, mainFrames] = [list, frames];
  }
  const self = selfTimes(main);
  const totals = { scripting: 0, rendering: 0, painting: 0, other: 0 };
  for (const [name, time] of self) totals[kindOf(name)] += time;
  const ms = (us: number) => us / 1000;
  return {
    scripting: ms(totals.scripting),
    rendering: ms(totals.rendering),
    painting: ms(totals.painting),
    other: ms(totals.other),
    raster: ms(raster),
    viz: ms(viz),
    top: [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([name, time]) => [name, ms(time)] as const),
  };
}

/**
 * Self time (µs) by event name on one thread: each event's CPU time (its wall time where the
 * trace has none) less its children's. Nesting is by wall time.
 */
function selfTimes(events: readonly TraceEvent[]): Map<string, number> {
  const sorted = [...events].sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const self = new Map<string, number>();
  const stack: { end: number; name: string }[] = [];
  for (const event of sorted) {
    const dur = event.dur ?? 0;
    const cpu = event.tdur ?? dur;
    while (stack.length > 0 && (stack[stack.length - 1]?.end ?? 0) <= event.ts) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - cpu);
    self.set(event.name, (self.get(event.name) ?? 0) + cpu);
    stack.push({ end: event.ts + dur, name: event.name });
  }
  return self;
}
