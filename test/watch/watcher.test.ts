// The watcher against the lab API server: real HTTP list/watch, objects written with client-node.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { isEvent, type EventOf } from '../../src/watch/cluster-event.js';
import { startWatcher, type Watcher } from '../../src/watch/index.js';
import { Collector, startLab, type Lab } from './helpers/lab.js';

const NS = 'default';
const iso = (ms = Date.now()): Date => new Date(ms);

const deployment = {
  metadata: { name: 'web', namespace: NS, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"token":"s3cr3t"}' } },
  spec: {
    replicas: 1, selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    template: {
      metadata: { labels: { app: 'web', version: 'v1' } },
      spec: { terminationGracePeriodSeconds: 20, containers: [{
        name: 'app', image: 'lab/web:1', env: [{ name: 'API_TOKEN', value: 's3cr3t' }],
        readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 },
        lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
      }] },
    },
  },
};

function pod(name: string, app: string): V1Pod {
  return {
    metadata: { name, namespace: NS, labels: { app, version: 'v1' } },
    spec: { terminationGracePeriodSeconds: 20, containers: [{ name: 'app', image: 'lab/web:1', lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } } }] },
  };
}

function readyStatus(ip: string): V1Pod['status'] {
  const t = iso();
  return {
    phase: 'Running', podIP: ip,
    containerStatuses: [{ name: 'app', image: 'lab/web:1', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: t } } }],
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: t },
      { type: 'ContainersReady', status: 'True', lastTransitionTime: t },
      { type: 'Ready', status: 'True', lastTransitionTime: t },
    ],
  };
}

function slice(ip: string, podName: string, conditions: { ready: boolean; serving: boolean; terminating: boolean }) {
  return {
    metadata: { name: 'web-x1', namespace: NS, labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4', ports: [{ port: 8080, protocol: 'TCP' }],
    endpoints: [{ addresses: [ip], conditions, targetRef: { kind: 'Pod', name: podName, namespace: NS } }],
  };
}

describe('startWatcher against the lab API server', () => {
  let lab: Lab;
  let watcher: Watcher;
  const seen = new Collector();

  before(async () => {
    lab = await startLab();
    await lab.apps.createNamespacedDeployment({ namespace: NS, body: deployment });
    await lab.core.createNamespacedService({ namespace: NS, body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } } });
    await lab.core.createNamespacedService({ namespace: NS, body: { metadata: { name: 'other' }, spec: { selector: { app: 'other' }, ports: [{ port: 80 }] } } });
    watcher = await startWatcher({
      kubeconfig: lab.kubeconfig, deployment: 'web', onEvent: seen.onEvent, onConfig: seen.onConfig,
      tuning: { watchdogMs: 20_000, backoffMinMs: 50, backoffMaxMs: 500 },
    });
  });

  after(async () => {
    await watcher?.close();
    await lab?.close();
    // ZDPROBE_RECORD_FIXTURES=test/fixtures/cluster saves this stream for the correlation engine's tests.
    const out = process.env['ZDPROBE_RECORD_FIXTURES'];
    if (out) await writeFile(`${out}/lab-pod-lifecycle.ndjson`, seen.events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  });

  it('is watching, with only the absent APIs skipped (the lab API server serves no PodDisruptionBudgets)', () => {
    const s = watcher.status();
    assert.equal(s.watched, true);
    assert.deepEqual(s.problems, []);
    const skipped = seen.events.filter((e) => e.type === 'skipped').map((e) => e.name);
    assert.deepEqual(skipped, ['rollouts.argoproj.io', 'poddisruptionbudgets']);
  });

  it('takes a config snapshot at start with the deployment and its service, and nothing secret', async () => {
    const snap = await seen.waitFor('first snapshot', () => seen.configs[0]);
    assert.deepEqual(snap.objects.map((o) => `${o.kind}/${o.metadata?.name}`), ['Deployment/web', 'Service/web']);
    assert.ok(!JSON.stringify(seen.configs).includes('s3cr3t'));
    assert.deepEqual(snap.objects[0]?.spec.template.spec.containers[0].lifecycle, deployment.spec.template.spec.containers[0]!.lifecycle);
  });

  it('records the exact life of a pod and its endpoint, and ignores pods out of scope', async () => {
    const base = seen.events.length;
    await lab.core.createNamespacedPod({ namespace: NS, body: pod('web-abc-1', 'web') });
    await lab.core.createNamespacedPod({ namespace: NS, body: pod('other-1', 'other') });
    await lab.core.createNamespacedBinding({ namespace: NS, body: { metadata: { name: 'web-abc-1' }, target: { kind: 'Node', name: 'n1' } } });
    const current = await lab.core.readNamespacedPod({ namespace: NS, name: 'web-abc-1' });
    await lab.core.replaceNamespacedPodStatus({ namespace: NS, name: 'web-abc-1', body: { ...current, status: readyStatus('127.9.0.2') } });
    await lab.discovery.createNamespacedEndpointSlice({ namespace: NS, body: slice('127.9.0.2', 'web-abc-1', { ready: true, serving: true, terminating: false }) });
    await seen.waitFor('endpoint added', () => seen.find('endpoint', 'added', 'web-abc-1'));
    const deleteStarted = Date.now();
    await lab.core.deleteNamespacedPod({ namespace: NS, name: 'web-abc-1' });
    await seen.waitFor('pod deleting', () => seen.find('pod', 'deleting'));
    await lab.discovery.replaceNamespacedEndpointSlice({ namespace: NS, name: 'web-x1', body: slice('127.9.0.2', 'web-abc-1', { ready: false, serving: true, terminating: true }) });
    await lab.core.createNamespacedEvent({ namespace: NS, body: {
      metadata: { name: 'web-abc-1.kill' }, reason: 'Killing', type: 'Normal', message: 'Stopping container app', count: 1,
      lastTimestamp: iso(), involvedObject: { kind: 'Pod', name: 'web-abc-1', namespace: NS }, source: { component: 'kubelet' } } });
    await lab.core.createNamespacedEvent({ namespace: NS, body: {
      metadata: { name: 'other-1.kill' }, reason: 'Killing', type: 'Normal', message: 'x', involvedObject: { kind: 'Pod', name: 'other-1', namespace: NS } } });
    await lab.core.deleteNamespacedPod({ namespace: NS, name: 'web-abc-1', gracePeriodSeconds: 0 });
    await lab.discovery.deleteNamespacedEndpointSlice({ namespace: NS, name: 'web-x1' });
    await seen.waitFor('endpoint removed', () => seen.find('endpoint', 'removed'));
    await seen.waitFor('pod deleted', () => seen.find('pod', 'deleted'));
    await seen.waitFor('Killing', () => seen.find('event', 'Killing'));

    const lines = seen.lines();
    const mine = seen.events.slice(base).filter((e) => e.kind !== 'watch').map((e) => `${e.kind} ${e.type} ${e.name}`);
    assert.deepEqual(mine.filter((l) => l.startsWith('pod')), [
      'pod created web-abc-1', 'pod scheduled web-abc-1', 'pod ip web-abc-1', 'pod started web-abc-1',
      'pod ready web-abc-1', 'pod ready web-abc-1', 'pod deleting web-abc-1', 'pod deleted web-abc-1',
    ]);
    assert.deepEqual(mine.filter((l) => l.startsWith('endpoint')), [
      'endpoint added web-abc-1', 'endpoint terminating web-abc-1', 'endpoint not-ready web-abc-1', 'endpoint removed web-abc-1',
    ]);
    assert.deepEqual(mine.filter((l) => l.startsWith('event')), ['event Killing web-abc-1']);
    assert.ok(!lines.some((l) => l.includes('other-1')), 'pods of another app are out of scope');

    const del = seen.find('pod', 'deleting')!;
    assert.equal(del.gracePeriodSeconds, 20);
    assert.equal(del.preStop !== null, true);
    // The server's deletion start, to its one-second RFC 3339 precision.
    assert.ok(Math.abs(del.serverAt! - deleteStarted) < 2_000, `deletion began at ${del.serverAt}, request at ${deleteStarted}`);
  });

  it('records route and deployment changes and takes a new snapshot on each', async () => {
    const before = seen.configs.length;
    await lab.custom.createNamespacedCustomObject({ group: 'networking.istio.io', version: 'v1beta1', namespace: NS, plural: 'virtualservices', body: {
      apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', metadata: { name: 'web' },
      spec: { hosts: ['web'], http: [{ route: [{ destination: { host: 'web', subset: 'v1' }, weight: 90 }, { destination: { host: 'web', subset: 'v2' }, weight: 10 }] }] } } });
    const vs = await seen.waitFor('route changed', () => seen.find('route', 'changed', 'web'));
    assert.equal(vs.weights['web/v1'], 90);
    await seen.waitFor('snapshot with the VirtualService', () => seen.configs.slice(before).find((c) => c.objects.some((o) => o.kind === 'VirtualService')));
    await lab.apps.patchNamespacedDeployment({ namespace: NS, name: 'web', body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'lab/web:2' }] });
    const spec = await seen.waitFor('deployment spec', () => seen.events.find((e): e is EventOf<'deployment', 'spec'> => isEvent(e, 'deployment', 'spec') && !e.initial));
    assert.equal(spec.images, 'lab/web:2');
    const last = await seen.waitFor('snapshot with image 2', () => seen.configs.find((c) => JSON.stringify(c).includes('lab/web:2')));
    assert.ok(!JSON.stringify(last).includes('s3cr3t'));
  });

  it('never records the kubeconfig token', async () => {
    const token = /token: (\S+)/.exec(await readFile(lab.kubeconfig, 'utf8'))?.[1];
    assert.ok(token && token.length >= 16);
    const all = JSON.stringify([seen.events, seen.configs, watcher.status()]);
    assert.ok(all.length > 1000 && !all.includes(token));
  });
});
