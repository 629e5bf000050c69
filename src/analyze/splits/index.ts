// Traffic split checks: in each step window, is the observed version share what the routes declared?
import type { ClusterEvent, ConfigSnapshot, ProbeConfig, Split, TimelinePoint, VersionSpan } from '../../types.js';
import { kruiseFinalising, rolloutDeclarations, routeDeclarations, type Declaration, type Weights } from './declared.js';
import { probeRequest } from './match.js';
import { mapDestinations } from './versions.js';
import { wilson, Z999 } from './wilson.js';

/** Skipped after each change: proxies take a while to apply new weights. */
export const SETTLE_MS = 3000;
/** A share within this many percentage points of a declared 0 < w < 100 passes even outside the interval. */
export const TOLERANCE_POINTS = 2;

export interface SplitInput {
  config: ProbeConfig;
  startedAt: number;
  endedAt: number;
  timeline: TimelinePoint[];
  versionSpans: VersionSpan[];
  events: ClusterEvent[];
  snapshots: ConfigSnapshot[];
}

interface Window { d: Declaration & { weights: Weights }; start: number; end: number }

function windows(decls: Declaration[], endedAt: number, cuts: number[]): Window[] {
  const out: Window[] = [];
  decls.forEach((d, i) => {
    if (d.weights === null) return;
    const next = decls.slice(i + 1).find((x) => x.source === d.source);
    const cut = cuts.find((c) => c > d.at) ?? Infinity;
    out.push({ d: d as Window['d'], start: d.initial ? d.at : d.at + SETTLE_MS, end: Math.min(next?.at ?? endedAt, cut) });
  });
  return out.filter((w) => w.end > w.start);
}

/** Tagged ok responses per version over the whole seconds inside [start, end]. */
function countsIn(input: SplitInput, start: number, end: number): { counts: Record<string, number>; from: number; to: number } {
  const counts: Record<string, number> = {};
  let from = Infinity;
  let to = -Infinity;
  for (const p of input.timeline) {
    const s = input.startedAt + p.t * 1000;
    if (s < start || s + 1000 > end) continue;
    from = Math.min(from, s);
    to = Math.max(to, s + 1000);
    for (const [v, n] of Object.entries(p.versions)) counts[v] = (counts[v] ?? 0) + n;
  }
  return { counts, from, to };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

function judge(w: Window, input: SplitInput, byAge: string[]): Split | undefined {
  const { counts, from, to } = countsIn(input, w.start, w.end);
  const n = Object.values(counts).reduce((a, b) => a + b, 0);
  if (n === 0) return undefined;
  const map = mapDestinations(Object.keys(w.d.weights), w.d.snapshot, byAge);
  if (map.size === 0) return undefined;
  const declared: Record<string, number> = {};
  for (const [dest, pct] of Object.entries(w.d.weights)) {
    const key = map.get(dest) ?? dest;
    declared[key] = (declared[key] ?? 0) + pct;
  }
  return { source: w.d.source, start: from, end: to, ...compareShares(declared, counts), ...(w.d.approximate ? { approximate: w.d.approximate } : {}) };
}

/** Observed shares against declared percentages: inside the 99.9% Wilson interval, or within a tolerance. */
export function compareShares(declaredIn: Record<string, number>, counts: Record<string, number>): Pick<Split, 'declared' | 'observed' | 'interval' | 'n' | 'passed'> {
  const n = Object.values(counts).reduce((a, b) => a + b, 0);
  const declared = { ...declaredIn };
  const observed: Record<string, number> = {};
  const interval: Record<string, [number, number]> = {};
  let passed = n > 0;
  for (const key of new Set([...Object.keys(declared), ...Object.keys(counts)])) {
    const k = counts[key] ?? 0;
    const [lo, hi] = wilson(k, n, Z999);
    observed[key] = round1((n ? k / n : 0) * 100);
    interval[key] = [round1(lo * 100), round1(hi * 100)];
    const want = declared[key];
    if (want === undefined) continue;
    const inside = want / 100 >= lo - 1e-9 && want / 100 <= hi + 1e-9;
    const close = want > 0 && want < 100 && n > 0 && Math.abs((k / n) * 100 - want) <= TOLERANCE_POINTS;
    if (!inside && !close) passed = false;
    declared[key] = round1(want);
  }
  // A version no destination stands for means traffic went somewhere undeclared.
  if (Object.keys(counts).some((v) => declared[v] === undefined)) passed = false;
  return { declared, observed, interval, n, passed };
}

export function checkSplits(input: SplitInput): Split[] {
  const req = probeRequest(input.config);
  const decls = [...routeDeclarations(input.snapshots, req), ...rolloutDeclarations(input.events, input.snapshots, req)];
  const byAge = [...input.versionSpans].sort((a, b) => a.firstSeen - b.firstSeen).map((v) => v.version);
  // While a Kruise rollout finalises, its Services select both versions: no declared share maps to one version.
  const cuts = input.events.filter(kruiseFinalising).map((e) => e.at).sort((a, b) => a - b);
  return windows(decls, input.endedAt, cuts)
    .map((w) => judge(w, input, byAge))
    .filter((s): s is Split => s !== undefined)
    .sort((a, b) => a.start - b.start);
}
