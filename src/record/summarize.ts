// Rebuilds the run's traffic from recording lines. The live run feeds the same lines through the
// same code, so `zdprobe report FILE` prints exactly what the run printed. The analysis (causes,
// splits, the gate) is a later stage: src/analyze.
import { DEFAULT_TARGET, type ClusterEvent, type CommandResult, type ConfigSnapshot, type FailureWindow, type ProbeConfig, type ProberSecond, type RecordLine, type Sample, type TargetSummary, type TimelinePoint, type Totals, type Traffic, type VersionFlip } from '../types.js';
import { latencyOf } from './histogram.js';
import { addToWindows } from './failure-windows.js';
import { proberHealth } from './prober-health.js';
import { decodeBucketHists, modeSummaries, newTally, tallyBucket, versionSummaries, type Tally } from './tally.js';

/** Individual failures kept in memory (all of them are in the recording). */
export const MAX_FAILURES_KEPT = 1000;

type Header = Extract<RecordLine, { type: 'header' }>;

/** What the stages after the traffic summary need from the recording. */
export interface RunData {
  /** The first target's config (its gate is the run's gate). */
  config: ProbeConfig;
  /** Every target of the plan, each with its name. */
  targets: ProbeConfig[];
  tool: { name: 'zdprobe'; version: string };
  startedAt: number;
  events: ClusterEvent[];
  snapshots: ConfigSnapshot[];
}

/** The traffic lines of one target, or of all of them. */
export interface Part {
  tally: Tally;
  flips: VersionFlip[];
  failures: Sample[];
  windows: FailureWindow[];
}

/** Everything read from a recording so far, as plain data. */
export interface Recording {
  header?: Header;
  footerAt?: number;
  command?: CommandResult;
  /** All targets together: the top-level summary. */
  all: Part;
  byTarget: Map<string, Part>;
  events: ClusterEvent[];
  snapshots: ConfigSnapshot[];
  prober: ProberSecond[];
  /** Per target, the protocols its connections negotiated, in the order first seen. */
  protocols: Map<string, string[]>;
}

const newPart = (): Part => ({ tally: newTally(), flips: [], failures: [], windows: [] });

export const newRecording = (): Recording => ({ all: newPart(), byTarget: new Map(), events: [], snapshots: [], prober: [], protocols: new Map() });

/** The plan's targets as the header lists them; a recording of one URL has one, `default`. */
export const targetsOf = (h: Header): ProbeConfig[] => h.targets ?? [{ ...h.config, name: h.config.name ?? DEFAULT_TARGET }];

function partsOf(r: Recording, target: string | undefined): Part[] {
  const name = target ?? (r.header ? targetsOf(r.header)[0]?.name : undefined) ?? DEFAULT_TARGET;
  let part = r.byTarget.get(name);
  if (!part) r.byTarget.set(name, (part = newPart()));
  return [r.all, part];
}

function addProtocol(r: Recording, target: string | undefined, protocol: string): void {
  const name = target ?? (r.header ? targetsOf(r.header)[0]?.name : undefined) ?? DEFAULT_TARGET;
  const seen = r.protocols.get(name) ?? [];
  if (!seen.includes(protocol)) seen.push(protocol);
  r.protocols.set(name, seen);
}

function addFailure(p: Part, sample: Sample): void {
  if (p.failures.length < MAX_FAILURES_KEPT) p.failures.push(sample);
  addToWindows(p.windows, sample);
}

export function addLine(r: Recording, line: RecordLine): void {
  switch (line.type) {
    case 'header': r.header = line; return;
    case 'bucket': {
      const hists = decodeBucketHists(line.bucket); // once for the run's tally and the target's
      return partsOf(r, line.target).forEach((p) => tallyBucket(p.tally, line.bucket, hists));
    }
    case 'failure': return partsOf(r, line.sample.target).forEach((p) => addFailure(p, line.sample));
    case 'flip': return partsOf(r, line.flip.target).forEach((p) => void p.flips.push(line.flip));
    case 'cluster': r.events.push(line.event); return;
    case 'config': r.snapshots.push(line.snapshot); return;
    case 'command': r.command = line.command; return;
    case 'prober': r.prober.push(line.second); return;
    case 'protocol': return addProtocol(r, line.target, line.protocol);
    case 'footer': r.footerAt = line.endedAt; return;
  }
}

function headerOf(r: Recording): Header {
  if (!r.header) throw new Error('recording has no header line');
  return r.header;
}

export function runDataOf(r: Recording): RunData {
  const h = headerOf(r);
  return { config: h.config, targets: targetsOf(h), tool: { name: 'zdprobe', version: h.version }, startedAt: h.startedAt, events: r.events, snapshots: r.snapshots };
}

export const lastPoint = (r: Recording): TimelinePoint | undefined => r.all.tally.timeline.at(-1);
export const totalsOf = (r: Recording): Totals => ({ ...r.all.tally.totals });

export interface TrafficOptions {
  endedAt?: number;
  /** The live run drained every request (a recording is complete only with its footer). */
  complete?: boolean;
  /** One target's traffic instead of the sum over all. */
  target?: string;
}

/** Complete only when the recording has its footer, or `complete` says the live run drained. */
export function trafficOf(r: Recording, opts: TrafficOptions = {}): Traffic {
  const h = headerOf(r);
  const config = opts.target === undefined ? h.config : targetsOf(h).find((c) => c.name === opts.target) ?? h.config;
  const part = opts.target === undefined ? r.all : r.byTarget.get(opts.target) ?? newPart();
  const t = part.tally;
  t.timeline.sort((a, b) => a.t - b.t);
  const okTotal = Object.values(t.versions).reduce((a, b) => a + b, 0);
  const versionSpans = Object.entries(t.versions).map(([version, count]) => ({
    version,
    count,
    share: okTotal ? count / okTotal : 0,
    firstSeen: t.seen[version]?.[0] ?? 0,
    lastSeen: t.seen[version]?.[1] ?? 0,
  })).sort((a, b) => a.firstSeen - b.firstSeen);
  return {
    tool: { name: 'zdprobe', version: h.version },
    target: opts.target === undefined && targetsOf(h).length > 1 ? `${targetsOf(h).length} targets: ${targetsOf(h).map((c) => c.name).join(', ')}` : config.url,
    startedAt: h.startedAt,
    endedAt: r.footerAt ?? opts.endedAt ?? h.startedAt + (t.timeline.at(-1)?.t ?? 0) * 1000 + 1000,
    complete: opts.complete ?? r.footerAt !== undefined,
    totals: { ...t.totals },
    status: t.status,
    errors: t.errors,
    versions: t.versions,
    latencyMs: latencyOf(t.latency),
    sendLagMs: latencyOf(t.lag),
    modes: modeSummaries(t),
    versionSpans,
    flips: part.flips,
    failureWindows: part.windows,
    failures: [...part.failures].sort((a, b) => a.intended - b.intended),
    failuresOmitted: Math.max(0, t.totals.failed + t.totals.late - part.failures.length),
    timeline: t.timeline,
    ...(r.command ? { command: r.command } : {}),
    ...(r.prober.length ? { prober: proberHealth(r.prober, h.startedAt) } : {}),
    ...(Object.keys(t.instances).length ? { instances: t.instances } : {}),
  };
}

/**
 * What a target's connections negotiated. A recording from before 'protocol' lines has none, yet an
 * HTTP status proves a connection, and zdprobe then spoke HTTP/1.1 only; a live run records the
 * protocol before any response, so this fallback never hides a protocol it knows.
 */
function protocolOf(recorded: string[] | undefined, status: Record<string, number>): string {
  if (recorded?.length) return recorded.join(', ');
  return Object.keys(status).some((code) => /^\d+$/.test(code)) ? 'http/1.1' : 'none';
}

/** Each target's own counts, for the summary's `targets`. */
export function targetSummaries(r: Recording, traffic: Traffic): Record<string, TargetSummary> {
  const seconds = Math.max(0.001, (traffic.endedAt - traffic.startedAt) / 1000);
  const out: Record<string, TargetSummary> = {};
  for (const config of targetsOf(headerOf(r))) {
    const name = config.name ?? DEFAULT_TARGET;
    const t = (r.byTarget.get(name) ?? newPart()).tally;
    out[name] = {
      url: config.url,
      protocol: protocolOf(r.protocols.get(name), t.status),
      totals: { ...t.totals },
      status: t.status,
      errors: t.errors,
      versions: t.versions,
      latencyMs: latencyOf(t.latency),
      achievedRps: Math.round((t.totals.sent / seconds) * 100) / 100,
      byVersion: versionSummaries(t),
    };
  }
  return out;
}

/** The whole run's traffic and each target's, as the analysis takes them. */
export function trafficByTarget(r: Recording, opts: Omit<TrafficOptions, 'target'> = {}) {
  const traffic = trafficOf(r, opts);
  const summaries = targetSummaries(r, traffic);
  const targets = targetsOf(headerOf(r)).map((config) => {
    const name = config.name ?? DEFAULT_TARGET;
    return { config, traffic: trafficOf(r, { ...opts, target: name }), summary: summaries[name]! };
  });
  return { traffic, targets };
}
