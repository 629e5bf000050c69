// Wires one run together: pacer -> sender -> classify -> aggregate -> recording + summary.
// Other sources (the cluster watcher, the wrapped command) feed their lines in through `emit`.
import type { ClusterStatus, ConnMode, ProbeConfig, RecordLine, Summary, TimelinePoint, Totals } from '../types.js';
import { constantPacer } from '../schedule/pacer.js';
import { monotonicClock, runSchedule, type Clock } from '../schedule/run-schedule.js';
import { createSender } from '../send/sender.js';
import { makeTagger } from '../classify/tagger.js';
import { classify, lateSample } from '../classify/classify.js';
import { createAggregator } from '../record/aggregate.js';
import { createSummarizer, type Summarizer } from '../record/summarize.js';
import type { RecordWriter } from '../record/ndjson.js';
import { RECORDING_FORMAT } from '../record/format.js';
import { TOOL_VERSION } from '../version.js';
import { redactHeaders, redactUrl } from '../record/redact.js';
import { analyzeRun } from '../analyze/index.js';

export interface ProbeOptions {
  writer?: RecordWriter;
  /** Called once a second with the last complete second and the running totals. */
  onSecond?(point: TimelinePoint | undefined, totals: Totals, inFlight: number): void;
  clock?: Clock;
}

export interface ProbeRun {
  startedAt: number;
  emit(line: RecordLine): void;
  /** Stop scheduling; in-flight requests finish (each is bounded by the timeout). */
  stop(): void;
  /** True once the schedule has ended (stopped or exhausted). */
  stopped(): boolean;
  /** Resolves with the core summary once every scheduled request is accounted for. */
  done: Promise<Summary>;
  /** Analyses the run with what the watcher saw, writes the footer and returns the final summary. */
  finish(core: Summary, cluster: ClusterStatus): Summary;
  summarizer: Summarizer;
}

/** Bodies are kept up to this many bytes for tagging; the rest is drained. */
export const BODY_CAP_BYTES = 16 * 1024;

/** Enough slots for every request of one timeout period to hang, bounded for file descriptors. */
export const defaultMaxInFlight = (rps: number, timeoutMs: number): number => Math.min(10_000, Math.ceil(rps * (timeoutMs / 1000) * 1.2) + 16);

export const modeFor = (connection: ProbeConfig['connection'], seq: number): ConnMode =>
  connection === 'both' ? (seq % 2 === 0 ? 'reuse' : 'new') : connection;

export function startProbe(config: ProbeConfig, opts: ProbeOptions = {}): ProbeRun {
  const clock = opts.clock ?? monotonicClock;
  const startedAt = clock.now() + 20;
  const summarizer = createSummarizer();
  const emit = (line: RecordLine): void => {
    opts.writer?.write(line);
    summarizer.add(line);
  };
  const recorded: ProbeConfig = { ...config, url: redactUrl(config.url), headers: redactHeaders(config.headers) };
  if (config.data !== undefined) recorded.data = `<${Buffer.byteLength(config.data)} bytes, not recorded>`;
  emit({ type: 'header', format: RECORDING_FORMAT, tool: 'zdprobe', version: TOOL_VERSION, startedAt, config: recorded });
  opts.writer?.flush();

  const version = makeTagger(config.versionFrom);
  const instance = config.instanceFrom ? makeTagger(config.instanceFrom) : undefined;
  const sender = createSender({
    url: new URL(config.url),
    method: config.method,
    headers: config.headers,
    ...(config.data !== undefined ? { data: config.data } : {}),
    timeoutMs: config.timeoutMs,
    insecure: config.insecure,
    ...(config.ca ? { ca: config.ca } : {}),
    bodyCapBytes: config.bodyCapBytes,
    wantsBody: (h) => version.wantsBody(h) || (instance?.wantsBody(h) ?? false),
    clock,
  });
  const agg = createAggregator(startedAt, {
    bucket: (bucket) => emit({ type: 'bucket', bucket }),
    failure: (sample) => emit({ type: 'failure', sample }),
    flip: (flip) => emit({ type: 'flip', flip }),
  });
  const classifyOpts = { okStatus: config.okStatus, version, ...(instance ? { instance } : {}) };

  let inFlight = 0;
  let drained: (() => void) | undefined;
  const fire = (seq: number, intended: number): void => {
    agg.scheduled(intended);
    const mode = modeFor(config.connection, seq);
    if (inFlight >= config.maxInFlight) return agg.add(lateSample(seq, intended, mode, inFlight));
    inFlight += 1;
    sender.send(mode, (r) => {
      inFlight -= 1;
      agg.add(classify(seq, intended, mode, r, classifyOpts));
      if (inFlight === 0) drained?.();
    });
  };

  const pacer = constantPacer(config.rps, config.rampS, config.durationS ?? Infinity);
  const schedule = runSchedule(pacer, startedAt, fire, clock);
  const ticker = setInterval(() => {
    // A second is complete only once the schedule is past it: after an event-loop stall the
    // overdue requests of that second have not been fired yet.
    agg.flush(Math.min(clock.now(), startedAt + pacer.dueAt(schedule.count())));
    opts.writer?.flush();
    opts.onSecond?.(summarizer.lastPoint(), summarizer.totals(), inFlight);
  }, 1000);

  const done = schedule.done.then(async () => {
    if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
    clearInterval(ticker);
    agg.flush(clock.now(), true);
    await sender.close();
    return { ...summarizer.summary(clock.now()), complete: true };
  });

  const finish = (core: Summary, cluster: ClusterStatus): Summary => {
    const summary = analyzeRun(core, summarizer.data(), cluster);
    emit({ type: 'footer', endedAt: summary.endedAt, summary });
    opts.writer?.flush();
    return summary;
  };

  let ended = false;
  void schedule.done.then(() => (ended = true));
  return { startedAt, emit, stop: () => schedule.stop(), stopped: () => ended, done, finish, summarizer };
}
