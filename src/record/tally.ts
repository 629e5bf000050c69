// Adds up the recording's per-second buckets: totals, statuses, errors, versions, latency.
import type { Bucket, ConnMode, InstanceCount, LatencyMs, Totals, TimelinePoint } from '../types.js';
import { decodeHistogram, latencyOf, newHistogram, type Histogram } from './histogram.js';

export interface Tally {
  totals: Totals;
  status: Record<string, number>;
  errors: Record<string, number>;
  versions: Record<string, number>;
  /** First and last response time of each version. */
  seen: Record<string, [number, number]>;
  latency: Histogram;
  lag: Histogram;
  modes: Map<ConnMode, { totals: Totals; latency: Histogram }>;
  /** Latency and failed responses per answering version. */
  byVersion: Map<string, { latency: Histogram; failed: number }>;
  instances: Record<string, InstanceCount>;
  timeline: TimelinePoint[];
  /** The timeline's points by second: buckets of several targets for one second share a point. */
  points: Map<number, TimelinePoint>;
}

/** An HTTP status ("503") or a gRPC code by name ("UNAVAILABLE"); error classes are lower case. */
export const isStatusResult = (result: string): boolean => /^(\d+|[A-Z][A-Z_]*)$/.test(result);

export const emptyTotals = (): Totals => ({ scheduled: 0, sent: 0, ok: 0, failed: 0, late: 0 });
const bump = (m: Record<string, number>, k: string, n: number): void => void (m[k] = (m[k] ?? 0) + n);

export function newTally(): Tally {
  return { totals: emptyTotals(), status: {}, errors: {}, versions: {}, seen: {}, latency: newHistogram(), lag: newHistogram(), modes: new Map(), byVersion: new Map(), instances: {}, timeline: [], points: new Map() };
}

function versionOf(t: Tally, v: string): { latency: Histogram; failed: number } {
  let s = t.byVersion.get(v);
  if (!s) t.byVersion.set(v, (s = { latency: newHistogram(), failed: 0 }));
  return s;
}

function pointAt(t: Tally, second: number, scheduled: number): { point: TimelinePoint; fresh: boolean } {
  const known = t.points.get(second);
  if (known) {
    known.scheduled += scheduled;
    return { point: known, fresh: false };
  }
  const point: TimelinePoint = { t: second, scheduled, sent: 0, ok: 0, failed: 0, late: 0, p99: 0, versions: {}, status: {}, errors: {} };
  t.points.set(second, point);
  t.timeline.push(point);
  return { point, fresh: true };
}

function modeOf(t: Tally, m: ConnMode): { totals: Totals; latency: Histogram } {
  let s = t.modes.get(m);
  if (!s) t.modes.set(m, (s = { totals: emptyTotals(), latency: newHistogram() }));
  return s;
}

/** A bucket's histograms, decoded once for every tally the bucket goes into (the run's and its target's). */
export interface BucketHists {
  byKey: Array<[key: string, latency: Histogram]>;
  lag: Histogram | undefined;
  /** The second's own p99 over all its histograms. */
  p99: number;
}

export function decodeBucketHists(b: Bucket): BucketHists {
  const byKey = Object.entries(b.hists).map(([key, enc]): [string, Histogram] => [key, decodeHistogram(enc)]);
  const second = newHistogram();
  for (const [, h] of byKey) second.add(h);
  return { byKey, lag: b.lag ? decodeHistogram(b.lag) : undefined, p99: latencyOf(second).p99 };
}

export function tallyBucket(t: Tally, b: Bucket, hists: BucketHists = decodeBucketHists(b)): void {
  const { point, fresh } = pointAt(t, b.t, b.scheduled);
  t.totals.scheduled += b.scheduled;
  for (const c of b.cells) {
    const kind = c.result === 'late' ? 'late' : c.ok ? 'ok' : 'failed';
    const mode = modeOf(t, c.mode).totals;
    point[kind] += c.n;
    t.totals[kind] += c.n;
    mode[kind] += c.n;
    mode.scheduled += c.n;
    if (kind === 'late') continue;
    point.sent += c.n;
    t.totals.sent += c.n;
    mode.sent += c.n;
    const isStatus = isStatusResult(c.result);
    bump(isStatus ? point.status : point.errors, c.result, c.n);
    bump(isStatus ? t.status : t.errors, c.result, c.n);
    if (c.ok && c.version !== undefined) {
      bump(point.versions, c.version, c.n);
      bump(t.versions, c.version, c.n);
    }
    if (!c.ok && c.version !== undefined) versionOf(t, c.version).failed += c.n;
  }
  // With several targets in one second, the point shows the worst target's p99.
  tallyHistograms(t, hists);
  point.p99 = fresh ? hists.p99 : Math.max(point.p99, hists.p99);
  for (const [name, c] of Object.entries(b.instances ?? {})) {
    const known = t.instances[name];
    t.instances[name] = known
      ? { ok: known.ok + c.ok, failed: known.failed + c.failed, first: Math.min(known.first, c.first), last: Math.max(known.last, c.last) }
      : { ...c };
  }
  for (const [v, [first, last]] of Object.entries(b.seen ?? {})) {
    const span = t.seen[v];
    t.seen[v] = span ? [Math.min(span[0], first), Math.max(span[1], last)] : [first, last];
  }
}

/** Merges the bucket's histograms into the run's, its modes' and its versions'. */
function tallyHistograms(t: Tally, hists: BucketHists): void {
  for (const [key, h] of hists.byKey) {
    t.latency.add(h);
    const [mode, version] = key.split('|');
    modeOf(t, mode as ConnMode).latency.add(h);
    if (version) versionOf(t, version).latency.add(h);
  }
  if (hists.lag) t.lag.add(hists.lag);
}

export function modeSummaries(t: Tally): Partial<Record<ConnMode, Totals & { latencyMs: LatencyMs }>> {
  const modes: Partial<Record<ConnMode, Totals & { latencyMs: LatencyMs }>> = {};
  for (const [m, s] of t.modes) modes[m] = { ...s.totals, latencyMs: latencyOf(s.latency) };
  return modes;
}

export function versionSummaries(t: Tally): Record<string, { latencyMs: LatencyMs; failed: number }> {
  const out: Record<string, { latencyMs: LatencyMs; failed: number }> = {};
  for (const [v, s] of [...t.byVersion].sort(([a], [b]) => a.localeCompare(b))) out[v] = { latencyMs: latencyOf(s.latency), failed: s.failed };
  return out;
}
