// startRun: the one place a run is wired, in one direction.
//   plan -> probe (schedule, send, classify, aggregate) -> recording lines -> traffic summary
//   scope -> watcher -> cluster lines;  command -> command line
//   recording -> analysis (incidents, splits, gate) -> footer -> Summary
import type { ClusterStatus, CommandResult, ProbeConfig, RecordLine, Summary, TimelinePoint, Totals } from '../types.js';
import type { WatchOptions, Watcher } from '../watch/index.js';
import type { RecordWriter } from '../record/ndjson.js';
import { monotonicClock, type Clock } from '../schedule/run-schedule.js';
import { addLine, lastPoint, newRecording, runDataOf, totalsOf, trafficOf, type Recording } from '../record/summarize.js';
import { redactHeaders, redactUrl } from '../record/redact.js';
import { analyzeRun } from '../analyze/index.js';
import { TOOL_VERSION } from '../version.js';
import { startProbe, type ProbeRun } from './start-probe.js';
import { scheduleCommand, type CommandPlan, type ScheduledCommand } from './wrap-command.js';

/** What to probe. Today a plan holds one target. */
export interface RunPlan {
  targets: ProbeConfig[];
}

/** Which part of the cluster to watch (kubeconfig, namespace and what a release changes). */
export type WatchScope = Omit<WatchOptions, 'onEvent' | 'onConfig'>;

export interface RunOptions {
  plan: RunPlan;
  scope?: WatchScope;
  command?: CommandPlan;
  /** Aborting ends the run: scheduling stops, requests still in flight after a second are recorded unfinished, the summary follows. */
  signal?: AbortSignal;
  writer?: RecordWriter;
  /** Once a second: the last complete second, the running totals, requests in flight. */
  onSecond?(point: TimelinePoint | undefined, totals: Totals, inFlight: number): void;
  /** Called once probing and watching have begun. */
  onStarted?(): void;
  log?(line: string): void;
  clock?: Clock;
}

const NOT_WATCHED: ClusterStatus = { watched: false, problems: [], gaps: [] };

function headerLine(config: ProbeConfig, startedAt: number): RecordLine {
  const recorded: ProbeConfig = { ...config, url: redactUrl(config.url), headers: redactHeaders(config.headers) };
  if (config.data !== undefined) recorded.data = `<${Buffer.byteLength(config.data)} bytes, not recorded>`;
  return { type: 'header', tool: 'zdprobe', version: TOOL_VERSION, startedAt, config: recorded };
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
  const [config, ...more] = opts.plan.targets;
  if (!config || more.length) throw new Error('a run plan holds exactly one target');
  const clock = opts.clock ?? monotonicClock;
  const recording: Recording = newRecording();
  const emit = (line: RecordLine): void => {
    opts.writer?.write(line);
    addLine(recording, line);
  };
  const startedAt = clock.now() + 20;
  emit(headerLine(config, startedAt));
  opts.writer?.flush();

  const probe: ProbeRun = startProbe(config, startedAt, {
    emit,
    clock,
    onTick: (inFlight) => {
      opts.writer?.flush();
      opts.onSecond?.(lastPoint(recording), totalsOf(recording), inFlight);
    },
  });
  const detach = onAbort(opts.signal, () => probe.interrupt());
  let watcher: Watcher | undefined;
  try {
    if (opts.scope) watcher = await startWatching(opts.scope, emit);
  } catch (err) {
    probe.stop();
    await probe.done;
    detach();
    throw err;
  }
  const command: ScheduledCommand | undefined = opts.command ? scheduleCommand(opts.command, probe, opts.log ?? (() => undefined)) : undefined;
  opts.onStarted?.();

  await probe.done;
  detach();
  const result: CommandResult | undefined = await command?.finish();
  if (result) emit({ type: 'command', command: result });
  // Closed before the footer: a watch that is down at the end still reports its last gap.
  await watcher?.close();
  const traffic = trafficOf(recording, { endedAt: clock.now(), complete: true });
  const summary = analyzeRun(traffic, runDataOf(recording), watcher?.status() ?? NOT_WATCHED);
  emit({ type: 'footer', endedAt: summary.endedAt, summary });
  opts.writer?.flush();
  return summary;
}
