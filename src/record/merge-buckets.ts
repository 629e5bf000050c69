// One second of a target sent by several workers, as the one bucket a single sender would have made:
// counts added, cells joined by (mode, result, version), histograms merged (as fortio merges its
// workers'), version spans and instances widened. Done once a second per worker, never per request.
import type { Bucket, Cell, InstanceCount } from '../types.js';
import { decodeHistogram, encodeHistogram, newHistogram } from './histogram.js';

const cellKey = (c: Cell): string => `${c.mode}|${c.result}|${c.version ?? ''}`;

function mergeHist(a: string | undefined, b: string): string {
  if (a === undefined) return b;
  const h = newHistogram(); // auto-resizing: a decoded histogram only covers its own values
  h.add(decodeHistogram(a));
  h.add(decodeHistogram(b));
  return encodeHistogram(h);
}

function mergeCells(a: Cell[], b: Cell[]): Cell[] {
  const byKey = new Map(a.map((c) => [cellKey(c), { ...c }]));
  for (const c of b) {
    const known = byKey.get(cellKey(c));
    if (known) known.n += c.n;
    else byKey.set(cellKey(c), { ...c });
  }
  return [...byKey.values()];
}

function mergeInstances(a: Record<string, InstanceCount> = {}, b: Record<string, InstanceCount> = {}): Record<string, InstanceCount> {
  const out: Record<string, InstanceCount> = { ...a };
  for (const [name, c] of Object.entries(b)) {
    const k = out[name];
    out[name] = k ? { ok: k.ok + c.ok, failed: k.failed + c.failed, first: Math.min(k.first, c.first), last: Math.max(k.last, c.last) } : { ...c };
  }
  return out;
}

/** Bucket `b` of the same second added to `a` (a new object; neither input is changed). */
export function mergeBuckets(a: Bucket | undefined, b: Bucket): Bucket {
  if (!a) return b;
  const hists: Record<string, string> = { ...a.hists };
  for (const [key, enc] of Object.entries(b.hists)) hists[key] = mergeHist(hists[key], enc);
  const seen: Record<string, [number, number]> = { ...a.seen };
  for (const [v, [first, last]] of Object.entries(b.seen)) {
    const s = seen[v];
    seen[v] = s ? [Math.min(s[0], first), Math.max(s[1], last)] : [first, last];
  }
  const instances = a.instances || b.instances ? { instances: mergeInstances(a.instances, b.instances) } : {};
  return { t: a.t, scheduled: a.scheduled + b.scheduled, cells: mergeCells(a.cells, b.cells), hists, lag: mergeHist(a.lag, b.lag), seen, ...instances };
}
