// The run's analysis: incidents with causes, config findings, traffic split checks.
// Inputs are the core summary and what the watcher recorded; the result is a new summary.
import type { ClusterStatus, Split, Summary } from '../types.js';
import type { RunData } from '../record/summarize.js';
import { buildIncidents } from './incidents.js';
import { resolveCluster } from './cluster-status.js';
import { auditConfig } from './audit.js';
import { checkSplits } from './splits/index.js';
import { gateChecks } from './gate-checks.js';

export { buildIncidents } from './incidents.js';
export { clusterFromEvents, resolveCluster } from './cluster-status.js';
export { auditConfig } from './audit.js';
export { checkSplits } from './splits/index.js';
export { CAUSE_RULES, diagnose } from './causes/index.js';

/** Cluster events kept in the summary for the timeline (all of them are in the recording). */
export const MAX_TIMELINE_EVENTS = 1000;

/** A declared split that traffic did not follow fails the gate like a dropped request does. */
function withSplits(gate: Required<Summary['gate']>, splits: Split[]): Summary['gate'] {
  if (splits.length === 0) return gate;
  const bad = splits.filter((s) => !s.passed);
  const reason = bad.length ? `${bad.length} of ${splits.length} traffic split window(s) did not match the declared weights (${bad.map((s) => s.source).join(', ')})` : undefined;
  const check = { name: 'observed traffic shares match the declared weights', passed: !reason, ...(reason ? { reason } : {}) };
  return { passed: gate.passed && !reason, reasons: reason ? [...gate.reasons, reason] : gate.reasons, checks: [...gate.checks, check] };
}

export function analyzeRun(summary: Summary, data: RunData, cluster: ClusterStatus): Summary {
  const status = resolveCluster(cluster, data.events);
  const incidents = buildIncidents({
    failureWindows: summary.failureWindows,
    failures: summary.failures,
    events: data.events,
    snapshots: data.snapshots,
    connection: data.config.connection,
    watched: status.watched,
  });
  const nothingFailed = summary.totals.failed + summary.totals.late === 0;
  const splits = checkSplits({
    config: data.config, startedAt: summary.startedAt, endedAt: summary.endedAt, timeline: summary.timeline,
    versionSpans: summary.versionSpans, events: data.events, snapshots: data.snapshots,
  });
  const gate = withSplits({ ...summary.gate, checks: gateChecks(data.config.gate, summary) }, splits);
  const clusterEvents = data.events.filter((e) => e.initial !== true).sort((a, b) => a.at - b.at).slice(0, MAX_TIMELINE_EVENTS);
  return { ...summary, gate, cluster: status, incidents, findings: auditConfig(data.snapshots, nothingFailed), splits, clusterEvents };
}
