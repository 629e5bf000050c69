// A target's schedule sharded over worker threads: worker i of n sends its slice of the one open-loop
// schedule with its own sender and aggregator (probe-worker.ts) and posts its lines in batches. Here
// the workers' buckets of a second are merged into the one bucket the recording gets, once every
// worker is past that second; failures pass through, protocols are told once, and version flips are
// found over all workers' responses in time order (version-trail.ts), as one thread finds them. Nothing
// crosses threads per request, and the main thread alone writes the recording.
import { Worker } from 'node:worker_threads';
import type { Bucket, ProbeConfig, RecordLine } from '../types.js';
import { monotonicClock } from '../schedule/run-schedule.js';
import { mergeBuckets } from '../record/merge-buckets.js';
import { createFlipMerge } from '../record/version-trail.js';
import type { ProbeOptions, ProbeRun } from './start-probe.js';
import type { FromWorker, ToWorker, WorkerSetup } from './probe-worker.js';

/** The workers of one target, connected and waiting for time zero. */
export interface PreparedShards {
  workers: Worker[];
}

interface Shard {
  /** The last second this worker emitted a bucket for; Infinity once it is done. */
  through: number;
  inFlight: number;
  open?: Bucket;
}

/** Starts `count` workers for `config` (each with its share of the in-flight cap); resolves once all are connected. */
export async function prepareShards(config: ProbeConfig, count: number): Promise<PreparedShards> {
  const maxInFlight = Math.max(1, Math.ceil(config.maxInFlight / count));
  const workers = Array.from({ length: count }, (_, index) => {
    const workerData: WorkerSetup = { config: { ...config, maxInFlight }, index, count };
    return new Worker(new URL('./probe-worker.js', import.meta.url), { workerData });
  });
  try {
    await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
      w.once('message', (m: FromWorker) => (m.type === 'ready' ? resolve() : reject(new Error(`a probe worker sent ${m.type} before it was ready`))));
      w.once('error', reject);
      w.once('exit', (code) => reject(new Error(`a probe worker exited (code ${code}) before it was ready`)));
    })));
  } catch (err) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  }
  for (const w of workers) w.removeAllListeners();
  return { workers };
}

export interface ShardedRun extends ProbeRun {
  /** The workers' worst event-loop delay since the last call (their own stalls count as the prober's). */
  loopDelay(): { maxMs: number; p99Ms: number };
}

export function startShards(config: ProbeConfig, { workers }: PreparedShards, startedAt: number, opts: ProbeOptions): ShardedRun {
  const shards: Shard[] = workers.map(() => ({ through: -1, inFlight: 0 }));
  const pending = new Map<number, Bucket>();
  const protocols = new Set<string>();
  const flips = createFlipMerge(workers.length, (flip) => opts.emit({ type: 'flip', flip }));
  let loop = { maxMs: 0, p99Ms: 0 };
  let stopAsked = false;

  const release = (): void => {
    const through = Math.min(...shards.map((s) => s.through));
    for (const t of [...pending.keys()].sort((a, b) => a - b)) {
      if (t > through) break;
      opts.emit({ type: 'bucket', bucket: pending.get(t)! });
      pending.delete(t);
    }
  };
  const take = (shard: Shard, line: RecordLine): void => {
    if (line.type === 'bucket') {
      pending.set(line.bucket.t, mergeBuckets(pending.get(line.bucket.t), line.bucket));
      shard.through = line.bucket.t;
    } else if (line.type === 'protocol') {
      if (!protocols.has(line.protocol)) protocols.add(line.protocol), opts.emit(line);
    } else opts.emit(line);
  };

  const done = Promise.all(workers.map((w, i) => new Promise<void>((resolve, reject) => {
    const shard = shards[i]!;
    w.on('message', (m: FromWorker) => {
      if (m.type === 'batch') {
        for (const line of m.lines) take(shard, line);
        flips.add(i, m.versions.points, m.versions.upTo);
        if (m.tick) {
          shard.inFlight = m.tick.inFlight;
          shard.open = m.tick.open;
          loop = { maxMs: Math.max(loop.maxMs, m.tick.loopMaxMs), p99Ms: Math.max(loop.p99Ms, m.tick.loopP99Ms) };
        }
      } else if (m.type === 'done') {
        shard.through = Infinity;
        shard.inFlight = 0;
        flips.end(i);
        resolve();
      }
      release();
    });
    w.once('error', reject);
    w.once('exit', (code) => (shard.through === Infinity ? resolve() : reject(new Error(`a probe worker exited (code ${code}) before its requests were accounted for`))));
  }))).finally(() => {
    clearInterval(ticker);
    release();
    return Promise.all(workers.map((w) => w.terminate()));
  }).then(() => undefined);

  const peek = (t: number): Bucket | undefined => shards.reduce<Bucket | undefined>((acc, s) => (s.open?.t === t ? mergeBuckets(acc, s.open) : acc), pending.get(t));
  const ticker = setInterval(() => opts.onTick?.(shards.reduce((a, s) => a + s.inFlight, 0), peek), 1000);
  const tell = (msg: ToWorker): void => workers.forEach((w) => w.postMessage(msg));
  tell({ type: 'start', startedAt });
  const endMs = startedAt + (config.durationS ?? Infinity) * 1000;
  return {
    startedAt,
    stop: () => { stopAsked = true; tell({ type: 'stop' }); },
    interrupt: () => { stopAsked = true; tell({ type: 'interrupt' }); },
    stopped: () => stopAsked || monotonicClock.now() >= endMs,
    done,
    loopDelay() {
      const out = loop;
      loop = { maxMs: 0, p99Ms: 0 };
      return out;
    },
  };
}
