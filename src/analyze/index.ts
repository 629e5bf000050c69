// The run's analysis: incidents with causes, config findings, traffic split checks, and the gate.
// Input: the traffic summary and what the watcher recorded; output: the final summary.
import type { Analysis, ClusterStatus, Summary, Traffic } from '../types.js';
import type { RunData } from '../record/summarize.js';
import { buildIncidents } from './incidents.js';
import { resolveCluster } from './cluster-status.js';
import { auditConfig } from './audit.js';
import { checkSplits } from './splits/index.js';
import { decideGate } from './gate.js';

export { buildIncidents } from './incidents.js';
export { clusterFromEvents, resolveCluster } from './cluster-status.js';
export { auditConfig } from './audit.js';
export { checkSplits } from './splits/index.js';
export { CAUSE_RULES, diagnose } from './causes/index.js';

/** Cluster events kept in the summary for the timeline (all of them are in the recording). */
export const MAX_TIMELINE_EVENTS = 1000;

function analyzeCluster(traffic: Traffic, data: RunData, cluster: ClusterStatus): Analysis {
  const status = resolveCluster(cluster, data.events);
  const incidents = buildIncidents({
    failureWindows: traffic.failureWindows,
    failures: traffic.failures,
    events: data.events,
    snapshots: data.snapshots,
    connection: data.config.connection,
    watched: status.watched,
  });
  const nothingFailed = traffic.totals.failed + traffic.totals.late === 0;
  const splits = checkSplits({
    config: data.config, startedAt: traffic.startedAt, endedAt: traffic.endedAt, timeline: traffic.timeline,
    versionSpans: traffic.versionSpans, events: data.events, snapshots: data.snapshots,
  });
  const clusterEvents = data.events.filter((e) => e.detail['initial'] !== true).sort((a, b) => a.at - b.at).slice(0, MAX_TIMELINE_EVENTS);
  return { incidents, cluster: status, findings: auditConfig(data.snapshots, nothingFailed), splits, clusterEvents };
}

export function analyzeRun(traffic: Traffic, data: RunData, cluster: ClusterStatus): Summary {
  const analysis = analyzeCluster(traffic, data, cluster);
  const gate = decideGate(data.config.gate, {
    totals: traffic.totals,
    p99Ms: traffic.latencyMs.p99,
    timeline: traffic.timeline,
    complete: traffic.complete,
    splits: analysis.splits,
    ...(traffic.command ? { command: traffic.command } : {}),
  });
  return { ...traffic, gate, ...analysis };
}
