import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { startProbeWorker } from '../../../src/lab/kubelet/probe-worker.js';
import type { ProbedContainer, ProbeState } from '../../../src/lab/kubelet/probe-worker.js';
import type { ProbeType } from '../../../src/lab/kubelet/pod-plan.js';

// The probes are real commands (`true`, `false`): no mocks. Runs `count` probes and returns the results set.
function run(type: ProbeType, count: number, container: () => ProbedContainer, thresholds = { successThreshold: 1, failureThreshold: 2 }): Promise<Array<[string, ProbeState]>> {
  const results: Array<[string, ProbeState]> = [];
  let n = 0;
  return new Promise((resolve) => {
    const worker = startProbeWorker({
      type,
      plan: { handler: { kind: 'exec', command: ['true'] }, initialDelayMs: 0, periodMs: 30, timeoutMs: 2000, ...thresholds },
      target: { socket: () => ({ host: '127.0.0.1', port: 1 }), env: {}, cwd: tmpdir() },
      view: container,
      onProbe: () => {
        n += 1;
        if (n >= count) {
          worker.stop();
          resolve(results);
        }
      },
      onResult: (id, r) => void results.push([id, r]),
    });
  });
}

const runningAs = (id: string, started = true): ProbedContainer => ({ id, running: true, startedAt: 0, started, finished: false });

test('a new container starts with the probe type\'s initial value (readiness failure, liveness success, startup unknown)', async () => {
  for (const [type, initial] of [['Readiness', 'failure'], ['Liveness', 'success'], ['Startup', 'unknown']] as const) {
    const seen = await run(type, 1, () => runningAs('c1', type !== 'Startup'));
    assert.deepEqual(seen[0], ['c1', initial], type);
  }
});

test('startup gates the others: readiness and liveness do not probe before the container has started', async () => {
  let started = false;
  let probes = 0;
  const worker = startProbeWorker({
    type: 'Liveness',
    plan: { handler: { kind: 'exec', command: ['true'] }, initialDelayMs: 0, periodMs: 20, timeoutMs: 1000, successThreshold: 1, failureThreshold: 1 },
    target: { socket: () => ({ host: '127.0.0.1', port: 1 }), env: {}, cwd: tmpdir() },
    view: () => runningAs('c1', started),
    onProbe: () => void (probes += 1),
    onResult: () => undefined,
  });
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(probes, 0, 'no liveness probe before started');
  started = true;
  await new Promise((r) => setTimeout(r, 300));
  worker.stop();
  assert.ok(probes >= 1, 'probes once started');
});

test('a liveness failure is reported after failureThreshold failures in a row, then the worker waits for a new container', async () => {
  let id = 'c1';
  let calls = 0;
  const seen: Array<[string, ProbeState]> = [];
  await new Promise<void>((resolve) => {
    const worker = startProbeWorker({
      type: 'Liveness',
      plan: { handler: { kind: 'exec', command: ['false'] }, initialDelayMs: 0, periodMs: 20, timeoutMs: 1000, successThreshold: 1, failureThreshold: 3 },
      target: { socket: () => ({ host: '127.0.0.1', port: 1 }), env: {}, cwd: tmpdir() },
      view: () => runningAs(id),
      onProbe: () => void (calls += 1),
      onResult: (cid, r) => {
        seen.push([cid, r]);
        if (cid === 'c1' && r === 'failure') setTimeout(() => (id = 'c2'), 150);
        if (cid === 'c2' && r === 'failure') {
          worker.stop();
          resolve();
        }
      },
    });
  });
  assert.deepEqual(seen, [['c1', 'success'], ['c1', 'failure'], ['c2', 'success'], ['c2', 'failure']]);
  assert.equal(calls, 6, 'three failures each, none while on hold');
});
