// The probe stage: pacer -> sender -> classify -> aggregate, each result handed on as recording
// lines through `emit`. It knows nothing of recordings, watchers or reports.
import type { Bucket, ConnMode, ProbeConfig, RecordLine } from '../types.js';
import { constantPacer, pacerSlice, type Pacer } from '../schedule/pacer.js';
import { monotonicClock, runSchedule, type Clock } from '../schedule/run-schedule.js';
import { createSender } from '../send/sender.js';
import { makeTagger } from '../classify/tagger.js';
import { classify, lateSample } from '../classify/classify.js';
import { createAggregator, type VersionObserver } from '../record/aggregate.js';

export interface ProbeOptions {
  emit(line: RecordLine): void;
  /** Called once a second, after the last complete second was emitted; `peek` shows a second still open. */
  onTick?(inFlight: number, peek: (t: number) => Bucket | undefined): void;
  clock?: Clock;
  /** This probe sends slice `index` of `count` of the target's schedule (a worker thread's share). */
  slice?: { index: number; count: number };
  /** Each ok response's version goes here instead of this probe's flip tracker (a worker's, told run-wide). */
  versions?: VersionObserver;
}

export interface ProbeRun {
  startedAt: number;
  /** Stop scheduling; in-flight requests finish (each is bounded by the timeout). */
  stop(): void;
  /** Stop scheduling; requests still in flight after a short grace are recorded as unfinished. */
  interrupt(): void;
  /** True once the schedule has ended (stopped or exhausted). */
  stopped(): boolean;
  /** Resolves once every scheduled request is accounted for and emitted. */
  done: Promise<void>;
}

const TICKS_PER_SECOND = 4;

/** How long an interrupted run waits for requests in flight before it records them unfinished. */
export const INTERRUPT_GRACE_MS = 1000;

export const modeFor = (connection: ProbeConfig['connection'], seq: number): ConnMode =>
  connection === 'both' ? (seq % 2 === 0 ? 'reuse' : 'new') : connection;

/** A target's sender and tagging, made ready before the schedule's time zero. */
export type PreparedProbe = Awaited<ReturnType<typeof senderFor>>;

/** Expected response time used to size the keep-alive connections opened before time zero. */
const PRECONNECT_LATENCY_S = 0.025;

/** Keep-alive connections the first moments need: the reuse share of the starting rate over a short response time. */
export function preconnectCount(config: ProbeConfig): number {
  const share = config.connection === 'reuse' ? 1 : config.connection === 'both' ? 0.5 : 0;
  if (share === 0) return 0;
  return Math.max(1, Math.min(config.maxInFlight, Math.ceil(config.rps * share * PRECONNECT_LATENCY_S)));
}

/**
 * Before time zero: the sender is built, its connections are opened and undici's parser compiled,
 * so the first second is sent like any other. No request reaches the target here.
 */
export async function prepareProbe(config: ProbeConfig, clock: Clock = monotonicClock): Promise<PreparedProbe> {
  const prepared = await senderFor(config, clock);
  await prepared.sender.preconnect?.(preconnectCount(config));
  return prepared;
}

/**
 * Each protocol the target's connections negotiated, recorded once when first seen. Connections
 * opened before time zero negotiate before the recording has begun: those wait for `attach`.
 */
function protocolLog() {
  const seen = new Set<string>();
  const pending: string[] = [];
  let emit: ((protocol: string) => void) | undefined;
  return {
    note(protocol: string): void {
      if (seen.has(protocol)) return;
      seen.add(protocol);
      if (emit) emit(protocol);
      else pending.push(protocol);
    },
    attach(fn: (protocol: string) => void): void {
      emit = fn;
      for (const p of pending.splice(0)) fn(p);
    },
  };
}

async function senderFor(config: ProbeConfig, clock: Clock) {
  const protocols = protocolLog();
  const version = makeTagger(config.versionFrom);
  const instance = config.instanceFrom ? makeTagger(config.instanceFrom) : undefined;
  const sender = await createSender({
    url: new URL(config.url),
    ...(config.protocol ? { protocol: config.protocol } : {}),
    method: config.method,
    ...(config.grpcMethod ? { grpcMethod: config.grpcMethod } : {}),
    headers: config.headers,
    ...(config.data !== undefined ? { data: config.data } : {}),
    timeoutMs: config.timeoutMs,
    insecure: config.insecure,
    ...(config.ca ? { ca: config.ca } : {}),
    ...(config.cert && config.key ? { cert: config.cert, key: config.key } : {}),
    bodyCapBytes: config.bodyCapBytes,
    wantsBody: (h) => version.wantsBody(h) || (instance?.wantsBody(h) ?? false),
    onProtocol: protocols.note,
    clock,
  });
  return { sender, protocols, classifyOpts: { okStatus: config.okStatus, version, ...(instance ? { instance } : {}) } };
}

/** The target's schedule, or a worker's slice of it with each request's run-wide number. */
function pacerFor(config: ProbeConfig, slice: ProbeOptions['slice']): { pacer: Pacer; seqOf(k: number): number } {
  const whole = constantPacer(config.rps, config.rampS, config.durationS ?? Infinity);
  if (!slice || slice.count === 1) return { pacer: whole, seqOf: (k) => k };
  const part = pacerSlice(whole, slice.index, slice.count);
  return { pacer: part, seqOf: part.seqOf };
}

export function startProbe(config: ProbeConfig, startedAt: number, opts: ProbeOptions, prepared: PreparedProbe): ProbeRun {
  const clock = opts.clock ?? monotonicClock;
  const { sender, protocols, classifyOpts } = prepared;
  protocols.attach((protocol) => opts.emit({ type: 'protocol', protocol, at: Date.now() }));
  const agg = createAggregator(startedAt, {
    bucket: (bucket) => opts.emit({ type: 'bucket', bucket }),
    failure: (sample) => opts.emit({ type: 'failure', sample }),
    flip: (flip) => opts.emit({ type: 'flip', flip }),
  }, opts.versions);

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

  const { pacer, seqOf } = pacerFor(config, opts.slice);
  const schedule = runSchedule(pacer, startedAt, (k, intended) => fire(seqOf(k), intended), clock);
  // Complete seconds are emitted within a quarter second (a killed run loses little more than the
  // second in progress); the run hears of them once a second.
  let nextSecond = startedAt + 1000;
  const ticker = setInterval(() => {
    const now = clock.now();
    // A second is complete only once the schedule is past it: after an event-loop stall the
    // overdue requests of that second have not been fired yet.
    agg.flush(Math.min(now, startedAt + pacer.dueAt(schedule.count())));
    if (now < nextSecond) return;
    // By the clock, not by counting ticks: ticks an event-loop stall swallowed are not owed.
    while (nextSecond <= now) nextSecond += 1000;
    opts.onTick?.(inFlight, agg.peek);
  }, 1000 / TICKS_PER_SECOND);

  let ended = false;
  const done = schedule.done.then(async () => {
    ended = true;
    if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
    clearInterval(ticker);
    agg.flush(clock.now(), true);
    await sender.close();
  });
  let grace: NodeJS.Timeout | undefined;
  const interrupt = (): void => {
    schedule.stop();
    grace ??= setTimeout(() => sender.interrupt(), INTERRUPT_GRACE_MS);
  };
  void done.then(() => clearTimeout(grace));
  return { startedAt, stop: () => schedule.stop(), interrupt, stopped: () => ended, done };
}
