// Version flips of a target sharded over workers, told as one thread would tell them. A worker
// keeps only the responses the flip tracker can tell apart (each run of one version by its first
// and last response, and one response per STEP_MS inside a run) and hands them on per batch; the
// main thread feeds all workers' points, in time order, to one tracker once every worker is past them.
import type { VersionFlip, VersionPoint } from '../types.js';
import { createFlipTracker } from './aggregate.js';

/** Inside a run of one version, at most one point per this many ms: the bound on a flip time's error. */
export const STEP_MS = 10;

export interface VersionTrail {
  seen(version: string, at: number): void;
  /** The points since the last call, in the order seen; a run in progress is cut here. */
  take(): VersionPoint[];
}

export function createVersionTrail(stepMs = STEP_MS): VersionTrail {
  let points: VersionPoint[] = [];
  let last: VersionPoint | undefined; // the latest response, held until it is known whether it matters
  let kept: VersionPoint | undefined; // the latest point handed on
  const keep = (p: VersionPoint): void => {
    points.push(p);
    kept = p;
  };
  return {
    seen(version, at) {
      const held = last;
      last = { version, at };
      if (held && held.version !== version) {
        if (held !== kept) keep(held); // the end of the run before: an older version may answer after another worker's newer one
        keep(last);
      } else if (!kept || at - kept.at >= stepMs) keep(last);
    },
    take() {
      if (last && last !== kept) keep(last);
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
