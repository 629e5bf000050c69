// The probe stage: pacer -> sender -> classify -> aggregate, each result handed on as recording
// lines through `emit`. It knows nothing of recordings, watchers or reports.
import type { Bucket, ConnMode, ProbeConfig, RecordLine } from '../types.js';
import { constantPacer } from '../schedule/pacer.js';
import { monotonicClock, runSchedule, type Clock } from '../schedule/run-schedule.js';
import { createSender } from '../send/sender.js';
import { makeTagger } from '../classify/tagger.js';
import { classify, lateSample } from '../classify/classify.js';
import { createAggregator } from '../record/aggregate.js';

export interface ProbeOptions {
  emit(line: RecordLine): void;
  /** Called once a second, after the last complete second was emitted; `peek` shows a second still open. */
  onTick?(inFlight: number, peek: (t: number) => Bucket | undefined): void;
  clock?: Clock;
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

function senderFor(config: ProbeConfig, clock: Clock, onProtocol: (protocol: string) => void) {
  const version = makeTagger(config.versionFrom);
  const instance = config.instanceFrom ? makeTagger(config.instanceFrom) : undefined;
  const sender = createSender({
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
    onProtocol,
    clock,
  });
  return { sender, classifyOpts: { okStatus: config.okStatus, version, ...(instance ? { instance } : {}) } };
}

export function startProbe(config: ProbeConfig, startedAt: number, opts: ProbeOptions): ProbeRun {
  const clock = opts.clock ?? monotonicClock;
  // Each protocol the target's connections negotiated is recorded once, when first seen.
  const negotiated = new Set<string>();
  const onProtocol = (protocol: string): void => {
    if (negotiated.has(protocol)) return;
    negotiated.add(protocol);
    opts.emit({ type: 'protocol', protocol, at: Date.now() });
  };
  const { sender, classifyOpts } = senderFor(config, clock, onProtocol);
  const agg = createAggregator(startedAt, {
    bucket: (bucket) => opts.emit({ type: 'bucket', bucket }),
    failure: (sample) => opts.emit({ type: 'failure', sample }),
    flip: (flip) => opts.emit({ type: 'flip', flip }),
  });

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
