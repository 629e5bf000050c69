// The per-target view of a plan's run: one row per target, shown when a run has several.
import type { Summary, TargetSummary } from '../types.js';
import { clockTime } from '../format-time.js';

export const TARGET_HEAD = ['target', 'url', 'protocol', 'scheduled', 'ok', 'failed', 'late', 'p99 ms', 'sent/s', 'versions'];

const versionsText = (t: TargetSummary): string =>
  Object.entries(t.byVersion).map(([v, b]) => `${v}: ${t.versions[v] ?? 0} ok${b.failed ? `, ${b.failed} failed` : ''}, p99 ${b.latencyMs.p99} ms`).join('; ') || '-';

/** Rows for a targets table, or none when the run had a single target. */
export function targetRows(s: Summary): unknown[][] {
  const entries = Object.entries(s.targets ?? {});
  if (entries.length < 2) return [];
  return entries.map(([name, t]) => [name, t.url, t.protocol, t.totals.scheduled, t.totals.ok, t.totals.failed, t.totals.late, t.latencyMs.p99, t.achievedRps, versionsText(t)]);
}

/** One line on the prober's own health, with its stalls (their failures are the prober's). */
export function proberLine(s: Summary): string | undefined {
  const p = s.prober;
  if (!p) return undefined;
  const stalls = p.stalls.length ? `; stalled ${p.stalls.length}× (worst ${Math.max(...p.stalls.map((x) => x.maxDelayMs))} ms): results of those seconds are the prober's, not the app's` : '; no stall';
  return `Prober: event loop delay p99 ${p.loopDelayMs.p99} ms, max ${p.loopDelayMs.max} ms; CPU mean ${p.cpuPct.mean}%, max ${p.cpuPct.max}% of one core${stalls}.`;
}

export const INSTANCE_HEAD = ['instance', 'ok', 'failed', 'first answer', 'last answer'];

/** One row per instance (pod) that answered, in the order they first answered; none without --instance-from. */
export function instanceRows(s: Summary): unknown[][] {
  return Object.entries(s.instances ?? {})
    .sort(([, a], [, b]) => a.first - b.first)
    .map(([name, c]) => [name, c.ok, c.failed, clockTime(c.first), clockTime(c.last)]);
}
