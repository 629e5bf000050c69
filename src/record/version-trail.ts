// Version flips of a target sharded over workers, told as one thread would tell them. A worker
// keeps only the responses the flip tracker can tell apart: in each window of STEP_MS, the first and
// last response of each version it saw (so at most two points per version per window, however high
// the rate and however mixed the versions). It hands them on per batch; the main thread feeds all
// workers' points, in time order, to one tracker once every worker is past them. With two versions
// the flips are the ones one thread finds: first sights at the same time, a flip back at most STEP_MS later.
import type { VersionFlip, VersionPoint } from '../types.js';
import { createFlipTracker } from './aggregate.js';

/** The window in which a worker keeps one first and one last response per version. */
export const STEP_MS = 10;

export interface VersionTrail {
  seen(version: string, at: number): void;
  /** The points since the last call, in time order; the window in progress is closed here. */
  take(): VersionPoint[];
}

export function createVersionTrail(stepMs = STEP_MS): VersionTrail {
  let points: VersionPoint[] = [];
  let windowEnd = -Infinity;
  const spans = new Map<string, { first: number; last: number }>(); // version -> its first and last response in the window
  const close = (): void => {
    const kept: VersionPoint[] = [];
    for (const [version, { first, last }] of spans) {
      kept.push({ version, at: first });
      if (last !== first) kept.push({ version, at: last });
    }
    for (const p of kept.sort((a, b) => a.at - b.at)) points.push(p);
    spans.clear();
  };
  return {
    seen(version, at) {
      if (at >= windowEnd) {
        close();
        windowEnd = at + stepMs;
      }
      const span = spans.get(version);
      if (span) span.last = at;
      else spans.set(version, { first: at, last: at });
    },
    take() {
      close();
      windowEnd = -Infinity;
      const out = points;
      points = [];
      return out;
    },
  };
}

export interface FlipMerge {
  /** Worker `worker`'s points, and the time it is past: it has no later point at or before `upTo`. */
  add(worker: number, points: VersionPoint[], upTo: number): void;
  /** Worker `worker` has handed on its last point. */
  end(worker: number): void;
}

export function createFlipMerge(workers: number, emit: (f: VersionFlip) => void): FlipMerge {
  const tracker = createFlipTracker(emit);
  let queued: VersionPoint[] = [];
  const past: number[] = new Array<number>(workers).fill(-Infinity);
  const release = (): void => {
    const upTo = Math.min(...past);
    const ready = queued.filter((p) => p.at <= upTo);
    if (ready.length === 0) return;
    queued = queued.filter((p) => p.at > upTo);
    ready.sort((a, b) => a.at - b.at); // stable: one worker's points keep the order it saw them in
    for (const p of ready) tracker.seen(p.version, p.at);
  };
  return {
    add(worker, points, upTo) {
      for (const p of points) queued.push(p);
      past[worker] = Math.max(past[worker]!, upTo);
      release();
    },
    end(worker) {
      past[worker] = Infinity;
      release();
    },
  };
}
