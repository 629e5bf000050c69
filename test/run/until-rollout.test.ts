// --until rollout-complete: the run follows the watched Deployment and ends once it rolled out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { startControllers } from '../../src/lab/controllers/index.js';
import { startKubelet } from '../../src/lab/kubelet/index.js';
import { startRun } from '../../src/run/index.js';
import { rolloutTracker } from '../../src/run/until-rollout.js';
import type { ClusterEvent } from '../../src/types.js';
import { startLab } from '../watch/helpers/lab.js';
import { flipping, startServer } from '../helpers/servers.js';
import { testConfig } from '../helpers/probe-config.js';
import { ev } from '../fixtures/recordings/build.js';

const spec = (s: number, generation: number, initial = false): ClusterEvent => {
  const e = ev(s, 'web', { kind: 'deployment', type: 'spec', generation, replicas: 2, images: 'web:2', version: null, paused: false });
  if (initial) e.initial = true;
  return e;
};
const status = (s: number, o: { gen: number; replicas: number; updated: number; available: number; progressing?: string }): ClusterEvent =>
  ev(s, 'web', { kind: 'deployment', type: 'status', replicas: o.replicas, ready: o.available, available: o.available, revision: '2', observedGeneration: o.gen, updated: o.updated, unavailable: o.replicas - o.available, progressing: o.progressing ?? null });

test('a Deployment counts as rolled out only after a change made during the run, once every replica is new and available', () => {
  const track = rolloutTracker({ deployment: 'web' });
  assert.equal(track(spec(0, 1, true)), undefined, 'the state found at start is not a rollout');
  assert.equal(track(status(0, { gen: 1, replicas: 2, updated: 2, available: 2 })), undefined, 'complete before any change: not ours');
  assert.equal(track(spec(1, 2)), undefined);
  assert.equal(track(status(2, { gen: 2, replicas: 3, updated: 1, available: 2 })), undefined, 'surging');
  assert.equal(track(status(3, { gen: 2, replicas: 2, updated: 2, available: 1 })), undefined, 'a new pod not yet available');
  assert.equal(track(status(4, { gen: 2, replicas: 2, updated: 2, available: 2 }))?.done, 'complete');
});

test('a Deployment past its progress deadline is a failed rollout', () => {
  const track = rolloutTracker({ deployment: 'web' });
  track(spec(1, 2));
  assert.equal(track(status(9, { gen: 2, replicas: 3, updated: 1, available: 2, progressing: 'ProgressDeadlineExceeded' }))?.done, 'failed');
});

test('probe --until rollout-complete ends by itself once the watched Deployment rolled out', { timeout: 120_000 }, async () => {
  const lab = await startLab();
  const controllers = await startControllers({ kubeconfig: lab.kubeconfig, controllers: ['deployment', 'replicaset', 'endpointslice'], resyncMs: 1000 });
  const kubelet = await startKubelet({ kubeconfig: lab.kubeconfig, nodeName: 'lab-node-1', dir: lab.dir, ipPrefix: `127.${20 + Math.floor(Math.random() * 230)}.${1 + Math.floor(Math.random() * 249)}.` });
  const srv = await startServer(flipping(1e9));
  const safety = new AbortController();
  const bound = setTimeout(() => safety.abort(), 90_000);
  try {
    const container = (v: number): k8s.V1Container => ({ name: 'web', image: `lab/web:${v}`, ports: [{ containerPort: 8080 }], readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 } });
    await lab.apps.createNamespacedDeployment({ namespace: 'default', body: {
      metadata: { name: 'web' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container(1)] } } },
    } });
    const logs: string[] = [];
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const { durationS: _bounded, ...endless } = testConfig(srv.url, { rps: 10 }); // the rollout ends it
    const run = startRun({
      plan: { targets: [endless] },
      scope: { kubeconfig: lab.kubeconfig, namespace: 'default', deployment: 'web' },
      untilRollout: { settleMs: 500 },
      signal: safety.signal,
      onStarted: started,
      log: (l) => logs.push(l),
    });
    await running;
    await new Promise((r) => setTimeout(r, 1500));
    const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
    await lab.apps.patchNamespacedDeployment({ namespace: 'default', name: 'web', body: { spec: { template: { spec: { containers: [container(2)] } } } } }, merge);
    const s = await run;
    assert.equal(safety.signal.aborted, false, 'the run ended by itself, not by the safety bound');
    assert.match(logs.join('\n'), /Deployment web rolled out: 1 of 1 replicas updated and available; settling for 0.5 s/);
    assert.equal(s.totals.scheduled, s.totals.ok + s.totals.failed + s.totals.late);
    assert.ok((s.clusterEvents ?? []).some((e) => e.kind === 'deployment' && e.type === 'spec'));
  } finally {
    clearTimeout(bound);
    await srv.close();
    await kubelet.close();
    await controllers.close();
    await lab.close();
  }
});
