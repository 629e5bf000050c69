// The run's analysis: incidents with causes, config findings, traffic split checks, and the gate.
// Input: the traffic (all targets, and each target's own) and what the watcher recorded;
// output: the final summary. The stages that need cluster data or failures come in as `parts`:
// index.ts passes them all, analyze-lazily.ts loads only those a run needs.
import { DEFAULT_TARGET, type Analysis, type ClusterStatus, type Incident, type ProbeConfig, type Split, type Summary, type TargetSummary, type Traffic } from '../types.js';
import type { RunData } from '../record/summarize.js';
import type { buildIncidents } from './incidents.js';
import { resolveCluster } from './cluster-status.js';
import type { auditConfig } from './audit.js';
import type { checkSplits, compareShares } from './splits/index.js';
import { decideGate } from './gate.js';
import { blameProberStalls } from './prober-stall.js';
import { SUMMARY_FORMAT } from '../record/format.js';

/** The analysis stages that read failures, cluster data or declared splits. */
export interface AnalysisParts {
  buildIncidents: typeof buildIncidents;
  auditConfig: typeof auditConfig;
  checkSplits: typeof checkSplits;
  compareShares: typeof compareShares;
}

/** Cluster events kept in the summary for the timeline (all of them are in the recording). */
export const MAX_TIMELINE_EVENTS = 1000;

/** One target of the plan: its config, its own traffic and counts. */
export interface TargetRun {
  config: ProbeConfig;
  traffic: Traffic;
  summary: TargetSummary;
}

export interface RunInput {
  /** All targets together. */
  traffic: Traffic;
  targets: TargetRun[];
  data: RunData;
  cluster: ClusterStatus;
}

const nameOf = (c: ProbeConfig): string => c.name ?? DEFAULT_TARGET;

/** A plan's `expectSplit`: the whole run's tagged responses against the declared shares. */
function declaredSplit(parts: AnalysisParts, t: TargetRun): Split[] {
  if (!t.config.expectSplit) return [];
  const counts = t.traffic.versions;
  return [{ target: nameOf(t.config), source: `plan target ${nameOf(t.config)}`, start: t.traffic.startedAt, end: t.traffic.endedAt, ...parts.compareShares(t.config.expectSplit, counts) }];
}

function analyzeTarget(parts: AnalysisParts, t: TargetRun, data: RunData, watched: boolean): { incidents: Incident[]; splits: Split[] } {
  const target = nameOf(t.config);
  const incidents = parts.buildIncidents({
    failureWindows: t.traffic.failureWindows,
    failures: t.traffic.failures,
    events: data.events,
    snapshots: data.snapshots,
    connection: t.config.connection,
    watched,
    ...(t.traffic.instances ? { instances: t.traffic.instances } : {}),
    probe: { url: t.config.url, timeoutMs: t.config.timeoutMs },
  }).map((i) => ({ target, ...i }));
  const routed = parts.checkSplits({
    config: t.config, startedAt: t.traffic.startedAt, endedAt: t.traffic.endedAt, timeline: t.traffic.timeline,
    versionSpans: t.traffic.versionSpans, events: data.events, snapshots: data.snapshots,
  }).map((s) => ({ target, ...s }));
  return { incidents, splits: [...routed, ...declaredSplit(parts, t)] };
}

function analyzeCluster(parts: AnalysisParts, input: RunInput): Analysis {
  const { traffic, data } = input;
  const status = resolveCluster(input.cluster, data.events);
  const perTarget = input.targets.map((t) => analyzeTarget(parts, t, data, status.watched));
  const nothingFailed = traffic.totals.failed + traffic.totals.late === 0;
  const clusterEvents = data.events.filter((e) => e.initial !== true).sort((a, b) => a.at - b.at).slice(0, MAX_TIMELINE_EVENTS);
  return {
    incidents: blameProberStalls(perTarget.flatMap((p) => p.incidents), traffic.prober).sort((a, b) => a.start - b.start),
    cluster: status,
    findings: parts.auditConfig(data.snapshots, nothingFailed),
    splits: perTarget.flatMap((p) => p.splits),
    clusterEvents,
  };
}

export function analyzeRunWith(parts: AnalysisParts, input: RunInput): Summary {
  const { traffic, targets } = input;
  const analysis = analyzeCluster(parts, input);
  const several = targets.length > 1;
  const gate = decideGate(input.data.config.gate, {
    totals: traffic.totals,
    p99Ms: traffic.latencyMs.p99,
    expectVersions: targets.flatMap((t) => {
      const expected = t.config.gate.expectVersion;
      return expected === undefined ? [] : [{ ...(several ? { target: nameOf(t.config) } : {}), expected, timeline: t.traffic.timeline }];
    }),
    complete: traffic.complete,
    splits: analysis.splits,
    ...(traffic.command ? { command: traffic.command } : {}),
  });
  return { format: SUMMARY_FORMAT, ...traffic, targets: Object.fromEntries(targets.map((t) => [nameOf(t.config), t.summary])), gate, ...analysis };
}
