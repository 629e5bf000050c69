// A whole rolling update in the lab (controllers + the real kubelet running pod processes), as the
// watcher records it: the order of pod, endpoint and workload transitions a report relies on.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { startControllers, type Controllers } from '../../src/lab/controllers/index.js';
import { startKubelet, type Kubelet } from '../../src/lab/kubelet/index.js';
import type { ClusterEvent } from '../../src/types.js';
import { startWatcher, type Watcher } from '../../src/watch/index.js';
import { Collector, startLab, type Lab } from './helpers/lab.js';

const NS = 'default';
const prefix = (): string => `127.${20 + Math.floor(Math.random() * 230)}.${1 + Math.floor(Math.random() * 249)}.`;
const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

function container(version: number): k8s.V1Container {
  return {
    name: 'web', image: `lab/web:${version}`, ports: [{ name: 'http', containerPort: 8080 }],
    readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 },
    lifecycle: { preStop: { exec: { command: ['sleep', '1'] } } },
  };
}

const deployment: k8s.V1Deployment = {
  metadata: { name: 'web', namespace: NS },
  spec: {
    replicas: 1, selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    template: { metadata: { labels: { app: 'web', version: 'v1' } }, spec: { terminationGracePeriodSeconds: 5, containers: [container(1)] } },
  },
};

/** Index of the first event matching, or -1. */
const at = (evs: ClusterEvent[], kind: string, type: string, name: string, extra: (e: ClusterEvent) => boolean = () => true): number =>
  evs.findIndex((e) => e.kind === kind && e.type === type && e.name === name && extra(e));

describe('a rolling update in the lab, as watched', () => {
  let lab: Lab;
  let controllers: Controllers;
  let kubelet: Kubelet;
  let watcher: Watcher;
  const seen = new Collector();

  before(async () => {
    lab = await startLab();
    controllers = await startControllers({ kubeconfig: lab.kubeconfig, controllers: ['deployment', 'replicaset', 'endpointslice'], resyncMs: 1000 });
    kubelet = await startKubelet({ kubeconfig: lab.kubeconfig, nodeName: 'lab-node-1', dir: lab.dir, ipPrefix: prefix() });
    await lab.apps.createNamespacedDeployment({ namespace: NS, body: deployment });
    await lab.core.createNamespacedService({ namespace: NS, body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } } });
    watcher = await startWatcher({ kubeconfig: lab.kubeconfig, deployment: 'web', onEvent: seen.onEvent, onConfig: seen.onConfig });
  });

  after(async () => {
    await watcher?.close();
    await kubelet?.close();
    await controllers?.close();
    const out = process.env['ZDPROBE_RECORD_FIXTURES'];
    if (out) await writeFile(join(out, 'lab-rolling-update.ndjson'), seen.events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    await lab?.close();
  });

  it('sees the new pod become ready before the old one is deleted, and every step of both', async () => {
    const readyEndpoint = (e: ClusterEvent): boolean => e.kind === 'endpoint' && e.ready;
    const v1 = await seen.waitFor('a ready v1 endpoint', () => seen.events.find(readyEndpoint), 60_000);
    const oldPod = v1.name;
    const body = { spec: { template: { metadata: { labels: { app: 'web', version: 'v2' } }, spec: { containers: [container(2)] } } } };
    await lab.apps.patchNamespacedDeployment({ namespace: NS, name: 'web', body }, merge);
    await seen.waitFor('the v1 pod deleted', () => seen.find('pod', 'deleted', oldPod), 60_000);
    const newPod = seen.events.find((e) => e.kind === 'pod' && e.type === 'created' && e.name !== oldPod)?.name ?? '';
    await seen.waitFor('v2 ready endpoint', () => seen.events.find((e) => readyEndpoint(e) && e.name === newPod), 30_000);
    await seen.waitFor('the v1 endpoint removed', () => seen.find('endpoint', 'removed', oldPod), 30_000);

    const evs = seen.events;
    const order = (...idx: number[]): void => {
      assert.ok(idx.every((i) => i >= 0), `missing step in ${JSON.stringify(idx)}:\n${seen.lines().join('\n')}`);
      assert.deepEqual(idx, [...idx].sort((a, b) => a - b), `out of order:\n${seen.lines().join('\n')}`);
    };
    order(at(evs, 'pod', 'created', newPod), at(evs, 'pod', 'scheduled', newPod), at(evs, 'pod', 'ip', newPod),
      at(evs, 'pod', 'started', newPod), at(evs, 'pod', 'ready', newPod, (e) => 'condition' in e && e.condition === 'Ready'));
    order(at(evs, 'pod', 'ready', newPod, (e) => 'condition' in e && e.condition === 'Ready'), at(evs, 'pod', 'deleting', oldPod),
      at(evs, 'pod', 'terminated', oldPod), at(evs, 'pod', 'deleted', oldPod));
    order(at(evs, 'endpoint', 'terminating', oldPod), at(evs, 'endpoint', 'removed', oldPod));
    const deleting = seen.find('pod', 'deleting', oldPod)!;
    assert.equal(deleting.preStop !== null, true);
    assert.equal(deleting.gracePeriodSeconds, 5);
    assert.ok(evs.some((e) => e.kind === 'replicaset' && e.type === 'created' && !e.initial), 'the new ReplicaSet');
    assert.ok(evs.some((e) => e.kind === 'deployment' && e.type === 'status' && e.revision === '2'));
    assert.deepEqual(watcher.status().gaps, []);
  });
});
