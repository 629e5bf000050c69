// startRun: the one place a run is wired, in one direction.
//   plan -> probe (schedule, send, classify, aggregate) -> recording lines -> traffic summary
//   scope -> watcher -> cluster lines;  command -> command line
//   recording -> analysis (incidents, splits, gate) -> footer -> Summary
import { DEFAULT_TARGET, type Bucket, type ClusterEvent, type ClusterStatus, type CommandResult, type ProbeConfig, type ProberSecond, type RecordLine, type Summary, type TimelinePoint, type Totals } from '../types.js';
import type { WatchOptions, Watcher } from '../watch/index.js';
import type { RecordWriter } from '../record/ndjson.js';
import { monotonicClock, type Clock } from '../schedule/run-schedule.js';
import { addLine, lastPoint, newRecording, runDataOf, totalsOf, trafficByTarget, type Recording } from '../record/summarize.js';
import { redactCommand, redactConfig } from '../record/redact.js';
import { newTally, tallyBucket } from '../record/tally.js';
import { TOOL_VERSION } from '../version.js';
import { RECORDING_FORMAT } from '../record/format.js';
import { prepareProbe, startProbe, type PreparedProbe, type ProbeOptions, type ProbeRun } from './start-probe.js';
import type { PreparedShards, ShardedRun } from './sharded-probe.js';
import { workersFor } from './probe-config.js';
import { startHealth } from './prober-health.js';
import type { RunMetrics } from './run-metrics.js';
import { rolloutTracker } from './until-rollout.js';
import { scheduleCommand, type CommandPlan, type ScheduledCommand } from './wrap-command.js';

/** What to probe: one or more targets, each on its own schedule, in one recording and report. */
export interface RunPlan {
  targets: ProbeConfig[];
}

/** Which part of the cluster to watch (kubeconfig, namespace and what a release changes). */
export type WatchScope = Omit<WatchOptions, 'onEvent' | 'onConfig'>;

export interface RunOptions {
  plan: RunPlan;
  scope?: WatchScope;
  command?: CommandPlan;
  /** End `settleMs` after the watched Deployment or Rollout finished rolling (no command to wrap). */
  untilRollout?: { settleMs: number };
  /** Aborting ends the run: scheduling stops, requests still in flight after a second are recorded unfinished, the summary follows. */
  signal?: AbortSignal;
  /** Aborting ends the run as planned: scheduling stops and requests in flight finish (each bounded by its timeout). */
  end?: AbortSignal;
  writer?: RecordWriter;
  /** Worker threads per target (1: sent on the main thread); absent: chosen from each target's rate and the cores. */
  workers?: number;
  /** Prometheus metrics, updated from the recording lines (see run-metrics.ts). */
  metrics?: RunMetrics;
  /** Once a second: the last complete second, the running totals, requests in flight. */
  onSecond?(point: TimelinePoint | undefined, totals: Totals, inFlight: number): void;
  /** Called once probing and watching have begun. */
  onStarted?(): void;
  log?(line: string): void;
  clock?: Clock;
}

const NOT_WATCHED: ClusterStatus = { watched: false, problems: [], gaps: [] };

/** A run of one target writes the header it always did; a plan lists its targets too. */
function headerLine(targets: ProbeConfig[], startedAt: number): RecordLine {
  const recorded = targets.map(redactConfig);
  return { type: 'header', format: RECORDING_FORMAT, tool: 'zdprobe', version: TOOL_VERSION, startedAt, config: recorded[0]!, ...(targets.length > 1 ? { targets: recorded } : {}) };
}

/** Targets named uniquely; a single unnamed one is `default`. */
export function namedTargets(plan: RunPlan): ProbeConfig[] {
  if (plan.targets.length === 0) throw new Error('a run plan needs at least one target');
  const named = plan.targets.map((t, i) => ({ ...t, name: t.name ?? (plan.targets.length === 1 ? DEFAULT_TARGET : `target-${i + 1}`) }));
  const seen = new Set<string>();
  for (const t of named) {
    if (seen.has(t.name)) throw new Error(`two targets are named "${t.name}": give each target its own name`);
    seen.add(t.name);
  }
  return named;
}

/** Each line of a target in a plan of several carries the target's name. */
function tagged(line: RecordLine, target: string | undefined): RecordLine {
  if (target === undefined) return line;
  if (line.type === 'bucket') return { ...line, target };
  if (line.type === 'failure') return { ...line, sample: { ...line.sample, target } };
  if (line.type === 'flip') return { ...line, flip: { ...line.flip, target } };
  if (line.type === 'protocol') return { ...line, target };
  return line;
}

async function startWatching(scope: WatchScope, emit: (line: RecordLine) => void): Promise<Watcher> {
  // Loaded only when needed: the Kubernetes client adds noticeable start-up time.
  const { startWatcher } = await import('../watch/index.js');
  return startWatcher({ ...scope, onEvent: (event) => emit({ type: 'cluster', event }), onConfig: (snapshot) => emit({ type: 'config', snapshot }) });
}

function onAbort(signal: AbortSignal | undefined, stop: () => void): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) stop();
  signal.addEventListener('abort', stop, { once: true });
  return () => signal.removeEventListener('abort', stop);
}

export async function startRun(opts: RunOptions): Promise<Summary> {
  const targets = namedTargets(opts.plan);
  const clock = opts.clock ?? monotonicClock;
  const recording: Recording = newRecording();
  let onCluster: ((e: ClusterEvent) => void) | undefined;
  const emit = (line: RecordLine): void => {
    opts.writer?.write(line);
    addLine(recording, line);
    opts.metrics?.line(line, targets[0]!.name!);
    if (line.type === 'cluster') onCluster?.(line.event);
    // A complete second goes to disk at once: a killed run keeps everything but the seconds in progress.
    if (line.type === 'bucket') opts.writer?.flush();
  };
  // Loading the Kubernetes client blocks the event loop for a second on a busy node: done before the
  // first request is due, not while the probe's first seconds run (they timed out in a Job's pods).
  if (opts.scope) await import('../watch/index.js');
  // Connections are opened before time zero; the schedule starts once they are (bounded by the timeout).
  const prepared = await Promise.all(targets.map((config) => prepareTarget(config, opts.workers ?? workersFor(config.rps), clock)));
  const startedAt = clock.now() + 20;
  emit(headerLine(targets, startedAt));
  opts.writer?.flush();

  const inFlight = new Map<string, number>();
  const peeks = new Map<string, (t: number) => Bucket | undefined>();
  const health = startHealth();
  const onTick = (name: string, n: number, peek: (t: number) => Bucket | undefined): void => {
    inFlight.set(name, n);
    peeks.set(name, peek);
    if (name !== targets[0]!.name) return; // once a second for the run, not per target
    // The sample covers the time since the last one; it is told as the second that just ended.
    emit({ type: 'prober', second: withWorkers(health.sample(Math.max(0, Math.floor((clock.now() - startedAt) / 1000) - 1)), probes) });
    opts.writer?.flush();
    const live = freshPoint(lastPoint(recording), Math.floor((clock.now() - startedAt) / 1000) - 1, [...peeks.values()]);
    opts.onSecond?.(live, totalsOf(recording), [...inFlight.values()].reduce((a, b) => a + b, 0));
  };
  const several = targets.length > 1;
  const probes: ProbeRun[] = targets.map((config, i) => startTarget(config, startedAt, {
    emit: (line) => emit(tagged(line, several ? config.name : undefined)),
    clock,
    onTick: (n, peek) => onTick(config.name!, n, peek),
  }, prepared[i]!));
  const probe = allOf(probes);
  if (opts.untilRollout && opts.scope) {
    const tracker = rolloutTracker(opts.scope);
    const { settleMs } = opts.untilRollout;
    let settling = false;
    onCluster = (e) => {
      const outcome = settling ? undefined : tracker(e);
      if (!outcome) return;
      settling = true;
      opts.log?.(`${outcome.why}; ${outcome.done === 'failed' ? 'the rollout failed' : 'settling'} for ${settleMs / 1000} s`);
      setTimeout(() => probe.stop(), settleMs).unref();
    };
  }
  const detachEnd = onAbort(opts.end, () => probe.stop());
  const detachSignal = onAbort(opts.signal, () => probe.interrupt());
  const detach = (): void => { detachEnd(); detachSignal(); };
  let watcher: Watcher | undefined;
  try {
    if (opts.scope) watcher = await startWatching(opts.scope, emit);
  } catch (err) {
    probe.stop();
    await probe.done;
    health.stop();
    detach();
    throw err;
  }
  const command: ScheduledCommand | undefined = opts.command ? scheduleCommand(opts.command, probe, opts.log ?? (() => undefined)) : undefined;
  opts.onStarted?.();

  await probe.done;
  emit({ type: 'prober', second: health.sample(Math.max(0, Math.floor((clock.now() - startedAt) / 1000))) }); // the last, partial second
  health.stop();
  detach();
  const result: CommandResult | undefined = await command?.finish();
  if (result) emit({ type: 'command', command: redactCommand(result) });
  // Closed before the footer: a watch that is down at the end still reports its last gap.
  await watcher?.close();
  const endedAt = clock.now();
  // Loaded after the run: nothing of the analysis is needed before the first request.
  const { analyzeRunLazily } = await import('../analyze/analyze-lazily.js');
  const traffic = trafficByTarget(recording, { endedAt, complete: true });
  const summary = await analyzeRunLazily({ ...traffic, data: runDataOf(recording), cluster: watcher?.status() ?? NOT_WATCHED });
  emit({ type: 'footer', endedAt: summary.endedAt, summary });
  opts.writer?.flush();
  return summary;
}

/**
 * The live view of the last second that has passed: a second is emitted only once all its requests
 * answered (up to the timeout later), so until then it is shown as far as it is known.
 */
function freshPoint(last: TimelinePoint | undefined, second: number, peeks: Array<(t: number) => Bucket | undefined>): TimelinePoint | undefined {
  if (second < 0 || (last && last.t >= second)) return last;
  const tally = newTally();
  for (const peek of peeks) {
    const b = peek(second);
    if (b) tallyBucket(tally, b);
  }
  return tally.timeline[0] ?? last;
}

type PreparedTarget = { probe: PreparedProbe } | { shards: PreparedShards; start: typeof import('./sharded-probe.js').startShards };

/** One target's sender on this thread, or its workers (loaded only then: a slow probe never pays for them). */
async function prepareTarget(config: ProbeConfig, workers: number, clock: Clock): Promise<PreparedTarget> {
  if (workers <= 1) return { probe: await prepareProbe(config, clock) };
  const { prepareShards, startShards } = await import('./sharded-probe.js');
  return { shards: await prepareShards(config, workers), start: startShards };
}

function startTarget(config: ProbeConfig, startedAt: number, opts: ProbeOptions, prepared: PreparedTarget): ProbeRun {
  return 'probe' in prepared ? startProbe(config, startedAt, opts, prepared.probe) : prepared.start(config, prepared.shards, startedAt, opts);
}

/** The prober's second with its workers' event loops too: a stalled worker sends late like a stalled main thread. */
function withWorkers(second: ProberSecond, probes: ProbeRun[]): ProberSecond {
  for (const p of probes) {
    const loop = (p as Partial<ShardedRun>).loopDelay?.();
    if (!loop) continue;
    second.loopMaxMs = Math.max(second.loopMaxMs, Math.round(loop.maxMs * 10) / 10);
    second.loopP99Ms = Math.max(second.loopP99Ms, Math.round(loop.p99Ms * 10) / 10);
  }
  return second;
}

/** The targets' probes as one: stopped together, done when all are. */
function allOf(probes: ProbeRun[]): ProbeRun {
  return {
    startedAt: probes[0]!.startedAt,
    stop: () => probes.forEach((p) => p.stop()),
    interrupt: () => probes.forEach((p) => p.interrupt()),
    stopped: () => probes.every((p) => p.stopped()),
    done: Promise.all(probes.map((p) => p.done)).then(() => undefined),
  };
}
