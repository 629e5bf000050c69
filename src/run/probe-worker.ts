// A worker thread's part of a sharded probe (see sharded-probe.ts): it prepares its own sender,
// runs its slice of the schedule with its own aggregator, and posts what it records in batches
// (every quarter second, never per request). The main thread merges and writes the recording.
import { parentPort, workerData } from 'node:worker_threads';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Bucket, ProbeConfig, RecordLine, VersionPoint } from '../types.js';
import { monotonicClock } from '../schedule/run-schedule.js';
import { createVersionTrail } from '../record/version-trail.js';
import { prepareProbe, startProbe, type ProbeRun } from './start-probe.js';

export interface WorkerSetup {
  config: ProbeConfig;
  index: number;
  count: number;
}

/** From the main thread. */
export type ToWorker = { type: 'start'; startedAt: number } | { type: 'stop' } | { type: 'interrupt' };

/**
 * To the main thread: `ready` once connected, batches while running, `done` after the last batch.
 * A batch's `versions` are the responses the flip tracker needs (version-trail.ts); the worker has
 * none left at or before `upTo`, so the main thread can order them with the other workers'.
 */
export type FromWorker =
  | { type: 'ready' }
  | {
    type: 'batch';
    lines: RecordLine[];
    versions: { points: VersionPoint[]; upTo: number };
    tick?: { inFlight: number; open?: Bucket; loopMaxMs: number; loopP99Ms: number };
  }
  | { type: 'done' };

const BATCH_MS = 250;

async function main(port: NonNullable<typeof parentPort>, setup: WorkerSetup): Promise<void> {
  const { config, index, count } = setup;
  // Each worker opens its share of the connections the starting rate needs.
  const prepared = await prepareProbe({ ...config, rps: config.rps / count });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let lines: RecordLine[] = [];
  const trail = createVersionTrail();
  const post = (msg: FromWorker): void => port.postMessage(msg);
  const flush = (tick?: Extract<FromWorker, { type: 'batch' }>['tick']): void => {
    // taken together: a response added after this has a later end time than upTo
    const versions = { points: trail.take(), upTo: monotonicClock.now() };
    if (lines.length === 0 && versions.points.length === 0 && !tick) return;
    post({ type: 'batch', lines, versions, ...(tick ? { tick } : {}) });
    lines = [];
  };
  let probe: ProbeRun | undefined;
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'start') probe = begin(msg.startedAt);
    else if (msg.type === 'stop') probe?.stop();
    else probe?.interrupt();
  });
  const begin = (startedAt: number): ProbeRun => {
    delay.enable();
    const timer = setInterval(() => flush(), BATCH_MS);
    const run = startProbe(config, startedAt, {
      emit: (line) => void lines.push(line),
      slice: { index, count },
      versions: trail,
      onTick: (inFlight, peek) => {
        const open = peek(Math.floor((monotonicClock.now() - startedAt) / 1000) - 1);
        flush({ inFlight, ...(open ? { open } : {}), loopMaxMs: delay.max / 1e6, loopP99Ms: delay.percentile(99) / 1e6 });
        delay.reset();
      },
    }, prepared);
    void run.done.then(() => {
      clearInterval(timer);
      delay.disable();
      flush();
      post({ type: 'done' });
      port.close();
    });
    return run;
  };
  post({ type: 'ready' });
}

if (parentPort) void main(parentPort, workerData as WorkerSetup);
