// Rebuilds the run summary from recording lines. The live run feeds the same lines through the
// same code, so `zdprobe report FILE` prints exactly what the run printed.
import type { Bucket, ClusterEvent, CommandResult, ConfigSnapshot, ConnMode, FailureWindow, ProbeConfig, RecordLine, Sample, Summary, TimelinePoint, Totals, VersionFlip } from '../types.js';
import { SUMMARY_FORMAT } from './format.js';
import { decodeHistogram, latencyOf, newHistogram, type Histogram } from './histogram.js';
import { addToWindows } from '../analyze/failure-windows.js';
import { evaluateGate } from '../analyze/gate.js';

/** Individual failures kept in memory (all of them are in the recording). */
export const MAX_FAILURES_KEPT = 1000;

export interface RunData {
  config: ProbeConfig;
  tool: { name: 'zdprobe'; version: string };
  startedAt: number;
  events: ClusterEvent[];
  snapshots: ConfigSnapshot[];
}

export interface Summarizer {
  add(line: RecordLine): void;
  /** The run's data other stages need (cluster events, config snapshots). */
  data(): RunData;
  summary(endedAt?: number): Summary;
  /** The most recent complete second, for the live line. */
  lastPoint(): TimelinePoint | undefined;
  totals(): Totals;
}

const emptyTotals = (): Totals => ({ scheduled: 0, sent: 0, ok: 0, failed: 0, late: 0 });
const bump = (m: Record<string, number>, k: string, n: number): void => void (m[k] = (m[k] ?? 0) + n);

export function createSummarizer(): Summarizer {
  let header: Extract<RecordLine, { type: 'header' }> | undefined;
  let footerAt: number | undefined;
  let command: CommandResult | undefined;
  const totals = emptyTotals();
  const status: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const versions: Record<string, number> = {};
  const seen: Record<string, [number, number]> = {};
  const all = newHistogram();
  const lag = newHistogram();
  const byMode = new Map<ConnMode, { totals: Totals; hist: Histogram }>();
  const timeline: TimelinePoint[] = [];
  const flips: VersionFlip[] = [];
  const failures: Sample[] = [];
  const windows: FailureWindow[] = [];
  const events: ClusterEvent[] = [];
  const snapshots: ConfigSnapshot[] = [];

  const modeOf = (m: ConnMode) => {
    let s = byMode.get(m);
    if (!s) byMode.set(m, (s = { totals: emptyTotals(), hist: newHistogram() }));
    return s;
  };

  const addBucket = (b: Bucket): void => {
    const point: TimelinePoint = { t: b.t, scheduled: b.scheduled, sent: 0, ok: 0, failed: 0, late: 0, p99: 0, versions: {}, status: {}, errors: {} };
    totals.scheduled += b.scheduled;
    for (const c of b.cells) {
      const kind = c.result === 'late' ? 'late' : c.ok ? 'ok' : 'failed';
      const mode = modeOf(c.mode).totals;
      point[kind] += c.n;
      totals[kind] += c.n;
      mode[kind] += c.n;
      mode.scheduled += c.n;
      if (kind === 'late') continue;
      point.sent += c.n;
      totals.sent += c.n;
      mode.sent += c.n;
      const isStatus = /^\d+$/.test(c.result);
      bump(isStatus ? point.status : point.errors, c.result, c.n);
      bump(isStatus ? status : errors, c.result, c.n);
      if (c.ok && c.version !== undefined) {
        bump(point.versions, c.version, c.n);
        bump(versions, c.version, c.n);
      }
    }
    const second = newHistogram();
    for (const [key, enc] of Object.entries(b.hists)) {
      const h = decodeHistogram(enc);
      second.add(h);
      all.add(h);
      modeOf(key.split('|')[0] as ConnMode).hist.add(h);
    }
    point.p99 = latencyOf(second).p99;
    if (b.lag) lag.add(decodeHistogram(b.lag));
    for (const [v, [first, last]] of Object.entries(b.seen ?? {})) {
      const span = seen[v];
      seen[v] = span ? [Math.min(span[0], first), Math.max(span[1], last)] : [first, last];
    }
    timeline.push(point);
  };

  const add = (line: RecordLine): void => {
    switch (line.type) {
      case 'header':
        header = line;
        return;
      case 'bucket':
        return addBucket(line.bucket);
      case 'failure':
        if (failures.length < MAX_FAILURES_KEPT) failures.push(line.sample);
        addToWindows(windows, line.sample);
        return;
      case 'flip':
        flips.push(line.flip);
        return;
      case 'cluster':
        events.push(line.event);
        return;
      case 'config':
        snapshots.push(line.snapshot);
        return;
      case 'command':
        command = line.command;
        return;
      case 'footer':
        footerAt = line.endedAt;
        return;
    }
  };

  const requireHeader = () => {
    if (!header) throw new Error('recording has no header line');
    return header;
  };

  const summary = (endedAt?: number): Summary => {
    const h = requireHeader();
    timeline.sort((a, b) => a.t - b.t);
    const latencyMs = latencyOf(all);
    const okTotal = Object.values(versions).reduce((a, b) => a + b, 0);
    const versionSpans = Object.entries(versions).map(([version, count]) => ({
      version,
      count,
      share: okTotal ? count / okTotal : 0,
      firstSeen: seen[version]?.[0] ?? 0,
      lastSeen: seen[version]?.[1] ?? 0,
    })).sort((a, b) => a.firstSeen - b.firstSeen);
    const modes: Summary['modes'] = {};
    for (const [m, s] of byMode) modes[m] = { ...s.totals, latencyMs: latencyOf(s.hist) };
    const end = footerAt ?? endedAt ?? h.startedAt + (timeline.at(-1)?.t ?? 0) * 1000 + 1000;
    return {
      format: SUMMARY_FORMAT,
      tool: { name: 'zdprobe', version: h.version },
      target: h.config.url,
      startedAt: h.startedAt,
      endedAt: end,
      complete: footerAt !== undefined,
      totals: { ...totals },
      status,
      errors,
      versions,
      latencyMs,
      sendLagMs: latencyOf(lag),
      modes,
      versionSpans,
      flips,
      failureWindows: windows,
      failures: [...failures].sort((a, b) => a.intended - b.intended),
      failuresOmitted: Math.max(0, totals.failed + totals.late - failures.length),
      gate: evaluateGate(h.config.gate, { totals, p99Ms: latencyMs.p99, timeline, ...(command ? { command } : {}) }),
      timeline,
      ...(command ? { command } : {}),
      incidents: [],
      cluster: { watched: false, problems: [], gaps: [] },
      findings: [],
      splits: [],
    };
  };

  return {
    add,
    summary,
    data: () => {
      const h = requireHeader();
      return { config: h.config, tool: { name: 'zdprobe', version: h.version }, startedAt: h.startedAt, events, snapshots };
    },
    lastPoint: () => timeline.at(-1),
    totals: () => ({ ...totals }),
  };
}
