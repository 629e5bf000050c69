// Rebuilds the run's traffic from recording lines. The live run feeds the same lines through the
// same code, so `zdprobe report FILE` prints exactly what the run printed. The analysis (causes,
// splits, the gate) is a later stage: src/analyze.
import type { ClusterEvent, CommandResult, ConfigSnapshot, FailureWindow, ProbeConfig, RecordLine, Sample, TimelinePoint, Totals, Traffic, VersionFlip } from '../types.js';
import { latencyOf } from './histogram.js';
import { addToWindows } from './failure-windows.js';
import { modeSummaries, newTally, tallyBucket, type Tally } from './tally.js';

/** Individual failures kept in memory (all of them are in the recording). */
export const MAX_FAILURES_KEPT = 1000;

type Header = Extract<RecordLine, { type: 'header' }>;

/** What the stages after the traffic summary need from the recording. */
export interface RunData {
  config: ProbeConfig;
  tool: { name: 'zdprobe'; version: string };
  startedAt: number;
  events: ClusterEvent[];
  snapshots: ConfigSnapshot[];
}

/** Everything read from a recording so far, as plain data. */
export interface Recording {
  header?: Header;
  footerAt?: number;
  command?: CommandResult;
  tally: Tally;
  flips: VersionFlip[];
  failures: Sample[];
  windows: FailureWindow[];
  events: ClusterEvent[];
  snapshots: ConfigSnapshot[];
}

export const newRecording = (): Recording => ({ tally: newTally(), flips: [], failures: [], windows: [], events: [], snapshots: [] });

export function addLine(r: Recording, line: RecordLine): void {
  switch (line.type) {
    case 'header': r.header = line; return;
    case 'bucket': return tallyBucket(r.tally, line.bucket);
    case 'failure':
      if (r.failures.length < MAX_FAILURES_KEPT) r.failures.push(line.sample);
      return addToWindows(r.windows, line.sample);
    case 'flip': r.flips.push(line.flip); return;
    case 'cluster': r.events.push(line.event); return;
    case 'config': r.snapshots.push(line.snapshot); return;
    case 'command': r.command = line.command; return;
    case 'footer': r.footerAt = line.endedAt; return;
  }
}

function headerOf(r: Recording): Header {
  if (!r.header) throw new Error('recording has no header line');
  return r.header;
}

export function runDataOf(r: Recording): RunData {
  const h = headerOf(r);
  return { config: h.config, tool: { name: 'zdprobe', version: h.version }, startedAt: h.startedAt, events: r.events, snapshots: r.snapshots };
}

export const lastPoint = (r: Recording): TimelinePoint | undefined => r.tally.timeline.at(-1);
export const totalsOf = (r: Recording): Totals => ({ ...r.tally.totals });

/** Complete only when the recording has its footer, or `complete` says the live run drained. */
export function trafficOf(r: Recording, opts: { endedAt?: number; complete?: boolean } = {}): Traffic {
  const h = headerOf(r);
  const t = r.tally;
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
    target: h.config.url,
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
    flips: r.flips,
    failureWindows: r.windows,
    failures: [...r.failures].sort((a, b) => a.intended - b.intended),
    failuresOmitted: Math.max(0, t.totals.failed + t.totals.late - r.failures.length),
    timeline: t.timeline,
    ...(r.command ? { command: r.command } : {}),
  };
}
