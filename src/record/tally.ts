// Adds up the recording's per-second buckets: totals, statuses, errors, versions, latency.
import type { Bucket, ConnMode, LatencyMs, Totals, TimelinePoint } from '../types.js';
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
  timeline: TimelinePoint[];
}

export const emptyTotals = (): Totals => ({ scheduled: 0, sent: 0, ok: 0, failed: 0, late: 0 });
const bump = (m: Record<string, number>, k: string, n: number): void => void (m[k] = (m[k] ?? 0) + n);

export function newTally(): Tally {
  return { totals: emptyTotals(), status: {}, errors: {}, versions: {}, seen: {}, latency: newHistogram(), lag: newHistogram(), modes: new Map(), timeline: [] };
}

function modeOf(t: Tally, m: ConnMode): { totals: Totals; latency: Histogram } {
  let s = t.modes.get(m);
  if (!s) t.modes.set(m, (s = { totals: emptyTotals(), latency: newHistogram() }));
  return s;
}

export function tallyBucket(t: Tally, b: Bucket): void {
  const point: TimelinePoint = { t: b.t, scheduled: b.scheduled, sent: 0, ok: 0, failed: 0, late: 0, p99: 0, versions: {}, status: {}, errors: {} };
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
    const isStatus = /^\d+$/.test(c.result);
    bump(isStatus ? point.status : point.errors, c.result, c.n);
    bump(isStatus ? t.status : t.errors, c.result, c.n);
    if (c.ok && c.version !== undefined) {
      bump(point.versions, c.version, c.n);
      bump(t.versions, c.version, c.n);
    }
  }
  point.p99 = tallyHistograms(t, b);
  for (const [v, [first, last]] of Object.entries(b.seen ?? {})) {
    const span = t.seen[v];
    t.seen[v] = span ? [Math.min(span[0], first), Math.max(span[1], last)] : [first, last];
  }
  t.timeline.push(point);
}

/** Merges the bucket's histograms into the run's and its modes'; returns the second's own p99. */
function tallyHistograms(t: Tally, b: Bucket): number {
  const second = newHistogram();
  for (const [key, enc] of Object.entries(b.hists)) {
    const h = decodeHistogram(enc);
    second.add(h);
    t.latency.add(h);
    modeOf(t, key.split('|')[0] as ConnMode).latency.add(h);
  }
  if (b.lag) t.lag.add(decodeHistogram(b.lag));
  return latencyOf(second).p99;
}

export function modeSummaries(t: Tally): Partial<Record<ConnMode, Totals & { latencyMs: LatencyMs }>> {
  const modes: Partial<Record<ConnMode, Totals & { latencyMs: LatencyMs }>> = {};
  for (const [m, s] of t.modes) modes[m] = { ...s.totals, latencyMs: latencyOf(s.latency) };
  return modes;
}
