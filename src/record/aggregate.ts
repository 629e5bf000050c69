// Folds classified samples into per-second buckets (by intended time), emits every failure and
// version flip at once, and emits a bucket as soon as all of its requests are accounted for.
import type { Bucket, Cell, Sample, VersionFlip, InstanceCount } from '../types.js';
import { resultOf } from '../classify/classify.js';
import { encodeHistogram, newHistogram, recordMs, type Histogram } from './histogram.js';

export interface AggregateSink {
  bucket(b: Bucket): void;
  failure(s: Sample): void;
  flip(f: VersionFlip): void;
}

interface OpenBucket {
  t: number;
  scheduled: number;
  done: number;
  cells: Map<string, Cell>;
  hists: Map<string, Histogram>;
  lag: Histogram;
  seen: Record<string, [number, number]>;
  instances: Record<string, InstanceCount>;
}

export interface Aggregator {
  scheduled(intended: number): void;
  add(s: Sample): void;
  /** Emit buckets whose second has passed and whose requests all finished; `all` emits the rest too. */
  flush(now: number, all?: boolean): void;
  /** Second `t` as far as it is known now (requests still in flight missing), or undefined once emitted. */
  peek(t: number): Bucket | undefined;
}

/** Where each ok response's version goes: the flip tracker, or a worker's trail for the run-wide one. */
export interface VersionObserver {
  seen(version: string, at: number): void;
}

export function createAggregator(startedAt: number, sink: AggregateSink, versions?: VersionObserver): Aggregator {
  const open = new Map<number, OpenBucket>();
  const flips = versions ?? createFlipTracker(sink.flip);
  const secondOf = (at: number): number => Math.max(0, Math.floor((at - startedAt) / 1000));
  const bucketAt = (t: number): OpenBucket => {
    let b = open.get(t);
    if (!b) open.set(t, (b = { t, scheduled: 0, done: 0, cells: new Map(), hists: new Map(), lag: newHistogram(), seen: {}, instances: {} }));
    return b;
  };

  return {
    scheduled(intended) {
      bucketAt(secondOf(intended)).scheduled += 1;
    },
    add(s) {
      const b = bucketAt(secondOf(s.intended));
      b.done += 1;
      addCell(b, s);
      if (s.sent !== null) {
        recordMs(histFor(b, `${s.mode}|${s.version ?? ''}`), s.latencyMs);
        recordMs(b.lag, s.sent - s.intended);
      }
      if (s.instance !== undefined) countInstance(b.instances, s);
      if (s.outcome !== 'ok') sink.failure(s);
      else if (s.version !== undefined) {
        const end = s.intended + s.latencyMs; // latency is measured from the intended time
        const span = b.seen[s.version];
        b.seen[s.version] = span ? [Math.min(span[0], end), Math.max(span[1], end)] : [end, end];
        flips.seen(s.version, end);
      }
    },
    peek(t) {
      const b = open.get(t);
      return b ? toBucket(b) : undefined;
    },
    flush(now, all = false) {
      for (const t of [...open.keys()].sort((a, b) => a - b)) {
        const b = open.get(t)!;
        const passed = now >= startedAt + (t + 1) * 1000;
        if (!all && !(passed && b.done >= b.scheduled)) break; // keep buckets in order
        open.delete(t);
        sink.bucket(toBucket(b));
      }
    },
  };
}

function addCell(b: OpenBucket, s: Sample): void {
  const result = resultOf(s);
  const key = `${s.mode}|${result}|${s.version ?? ''}`;
  const cell = b.cells.get(key);
  if (cell) cell.n += 1;
  else b.cells.set(key, { ...(s.version !== undefined ? { version: s.version } : {}), result, mode: s.mode, ok: s.outcome === 'ok', n: 1 });
}

function histFor(b: OpenBucket, key: string): Histogram {
  let h = b.hists.get(key);
  if (!h) b.hists.set(key, (h = newHistogram()));
  return h;
}

function countInstance(counts: Record<string, InstanceCount>, s: Sample): void {
  const end = s.intended + s.latencyMs;
  const c = (counts[s.instance!] ??= { ok: 0, failed: 0, first: end, last: end });
  if (s.outcome === 'ok') c.ok += 1;
  else c.failed += 1;
  c.first = Math.min(c.first, end);
  c.last = Math.max(c.last, end);
}

function toBucket(b: OpenBucket): Bucket {
  const hists: Record<string, string> = {};
  for (const [k, h] of b.hists) hists[k] = encodeHistogram(h);
  const instances = Object.keys(b.instances).length ? { instances: b.instances } : {};
  return { t: b.t, scheduled: b.scheduled, cells: [...b.cells.values()], hists, lag: encodeHistogram(b.lag), seen: b.seen, ...instances };
}

/** First appearance of each version, and the first time an older version answers again after a newer one. */
export function createFlipTracker(emit: (f: VersionFlip) => void): VersionObserver {
  const order: string[] = [];
  const reported = new Set<string>();
  let last: string | null = null;
  return {
    seen(version, at) {
      if (version === last) return;
      const idx = order.indexOf(version);
      if (idx < 0) {
        order.push(version);
        emit({ at, from: last, to: version, back: false });
      } else if (last !== null && order.indexOf(last) > idx && !reported.has(`${last}>${version}`)) {
        reported.add(`${last}>${version}`);
        emit({ at, from: last, to: version, back: true });
      }
      last = version;
    },
  };
}
