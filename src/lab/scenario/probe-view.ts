// One scenario probe's part of the plan's summary: the scenario runs all its probes as one plan (one
// run, one watcher, one recording), and each probe's expectations are checked against its own target.
import type { Summary } from '../../types.js';

/** The plan summary `s` narrowed to target `name`: its counts, failures, incidents, splits, flips and gate checks. */
export function probeView(s: Summary, name: string): Summary {
  const t = s.targets[name];
  if (!t) throw new Error(`the plan's summary has no target "${name}"`);
  const incidents = s.incidents.filter((i) => i.target === name);
  const failures = s.failures.filter((f) => (f.target ?? name) === name);
  return {
    ...s,
    totals: t.totals,
    status: t.status,
    errors: t.errors,
    versions: t.versions,
    latencyMs: t.latencyMs,
    targets: { [name]: t },
    flips: s.flips.filter((f) => (f.target ?? name) === name),
    failures,
    failuresOmitted: Math.max(0, t.totals.failed + t.totals.late - failures.length),
    // a target's failure windows are its incidents (one per window)
    failureWindows: incidents.map(({ start, end, count, kinds, modes }) => ({ start, end, count, kinds, modes })),
    incidents,
    splits: s.splits.filter((sp) => (sp.target ?? name) === name),
    gate: { ...s.gate, checks: s.gate.checks.filter((c) => (c.target ?? name) === name) },
  };
}
