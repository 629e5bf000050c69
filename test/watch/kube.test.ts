// The watcher against the real kube-apiserver (etcd + kube-apiserver + kube-controller-manager built
// by test/kube/build.sh): TLS, real RBAC, real restarts and etcd compaction.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { kubeBinariesBuilt } from '../../src/lab/kube/binaries.js';
import { startKubeControlPlane, type KubeControlPlane } from '../../src/lab/kube/control-plane.js';
import { startWatcher, type Watcher } from '../../src/watch/index.js';
import { loadKubeConfig } from '../../src/kube/kubeconfig.js';
import { Collector } from './helpers/lab.js';

const NS = 'default';
const skip = kubeBinariesBuilt() ? false : 'kube binaries not built: run bash test/kube/build.sh';
const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const watchOf = (seen: Collector, type: string, resource = 'pods') =>
  seen.events.filter((e) => e.kind === 'watch' && e.type === type && e.name === resource);

describe('startWatcher against the real kube-apiserver', { skip }, () => {
  let dir: string;
  let cp: KubeControlPlane;
  let core: k8s.CoreV1Api;
  let apps: k8s.AppsV1Api;
  let policy: k8s.PolicyV1Api;
  let watcher: Watcher;
  const seen = new Collector();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zdprobe-watch-kube-'));
    cp = await startKubeControlPlane({ dir });
    const loaded = loadKubeConfig({ kubeconfig: cp.kubeconfig });
    if (!loaded.ok) throw new Error(loaded.problem);
    core = loaded.kc.makeApiClient(k8s.CoreV1Api);
    apps = loaded.kc.makeApiClient(k8s.AppsV1Api);
    policy = loaded.kc.makeApiClient(k8s.PolicyV1Api);
    await core.createNode({ body: { metadata: { name: 'n1' } } });
    await apps.createNamespacedDeployment({ namespace: NS, body: {
      metadata: { name: 'web' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: {
        metadata: { labels: { app: 'web', version: 'v1' } },
        spec: { terminationGracePeriodSeconds: 7, containers: [{ name: 'web', image: 'lab/web:1', ports: [{ containerPort: 8080 }],
          env: [{ name: 'API_TOKEN', value: 's3cr3t' }], lifecycle: { preStop: { sleep: { seconds: 2 } } } }] } } },
    } });
    await core.createNamespacedService({ namespace: NS, body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } } });
    watcher = await startWatcher({
      kubeconfig: cp.kubeconfig, deployment: 'web', onEvent: seen.onEvent, onConfig: seen.onConfig,
      tuning: { watchdogMs: 90_000, backoffMinMs: 100, backoffMaxMs: 1_000 }, startTimeoutMs: 20_000,
    });
  });

  after(async () => {
    await watcher?.close();
    await cp?.close();
    // ZDPROBE_RECORD_FIXTURES=test/fixtures/cluster saves this stream for the correlation engine's tests.
    const out = process.env['ZDPROBE_RECORD_FIXTURES'];
    if (out) await writeFile(join(out, 'kube-restart-compact.ndjson'), seen.events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('watches everything over TLS with a token and snapshots the deployment without secrets', async () => {
    assert.equal(watcher.status().watched, true);
    assert.deepEqual(watcher.status().problems, []);
    const snap = await seen.waitFor('snapshot', () => seen.configs[0]);
    assert.deepEqual(snap.objects.map((o) => `${o.kind}/${o.metadata?.name}`), ['Deployment/web', 'Service/web']);
    assert.ok(!JSON.stringify(seen.configs).includes('s3cr3t'));
  });

  it('records the controller-manager creating the ReplicaSet and pod, and the pod through readiness, endpoint and deletion', async () => {
    const created = await seen.waitFor('pod created', () => seen.events.find((e) => e.kind === 'pod' && e.type === 'created'), 30_000);
    await seen.waitFor('ScalingReplicaSet', () => seen.find('event', 'ScalingReplicaSet', 'web'), 30_000);
    const name = created.name;
    await core.createNamespacedBinding({ namespace: NS, body: { metadata: { name }, target: { kind: 'Node', name: 'n1' } } });
    const t = new Date();
    await core.patchNamespacedPodStatus({ namespace: NS, name, body: { status: { phase: 'Running', podIP: '10.1.0.5', podIPs: [{ ip: '10.1.0.5' }],
      containerStatuses: [{ name: 'web', image: 'lab/web:1', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: t } } }],
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: t }, { type: 'ContainersReady', status: 'True', lastTransitionTime: t }] } } }, merge);
    await seen.waitFor('pod ready', () => seen.find('pod', 'ready', name));
    await seen.waitFor('endpoint ready (real endpointslice controller)', () => seen.events.find((e) => e.kind === 'endpoint' && e.name === name && e.ready), 30_000);
    await core.deleteNamespacedPod({ namespace: NS, name });
    const deleting = await seen.waitFor('deleting', () => seen.find('pod', 'deleting', name));
    assert.equal(deleting.gracePeriodSeconds, 7);
    assert.equal(deleting.preStop, 'sleep 2s');
    await seen.waitFor('endpoint terminating', () => seen.find('endpoint', 'terminating', name), 30_000);
    await core.deleteNamespacedPod({ namespace: NS, name, gracePeriodSeconds: 0 });
    await seen.waitFor('deleted', () => seen.find('pod', 'deleted', name));
  });

  it('records the node its pod ran on being cordoned and turning Ready, and the PodDisruptionBudget the disruption controller computes', async () => {
    await policy.createNamespacedPodDisruptionBudget({ namespace: NS, body: { metadata: { name: 'web' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } } });
    const pdb = await seen.waitFor('pdb status', () => seen.events.find((e) => e.kind === 'pdb' && e.name === 'web'), 30_000);
    assert.ok(pdb.kind === 'pdb' && pdb.budget === 'minAvailable 1' && pdb.selector === 'app=web');
    await core.patchNode({ name: 'n1', body: { spec: { unschedulable: true } } }, merge);
    const cordon = await seen.waitFor('cordoned', () => seen.find('node', 'cordoned', 'n1'), 30_000);
    assert.ok(cordon.kind === 'node' && cordon.unschedulable);
    const t = new Date();
    await core.patchNodeStatus({ name: 'n1', body: { status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ok', lastHeartbeatTime: t, lastTransitionTime: t }] } } }, merge);
    await seen.waitFor('node ready', () => seen.find('node', 'ready', 'n1'), 30_000);
  });

  it('records a gap when the API server restarts and resumes', async () => {
    const before = watcher.status().gaps.length;
    await cp.restartApiServer();
    await seen.waitFor('pods resumed after a gap', () => watchOf(seen, 'gap').length > 0 && watchOf(seen, 'resumed').length > 0, 30_000);
    assert.ok(watcher.status().gaps.length > before);
    await apps.patchNamespacedDeployment({ namespace: NS, name: 'web', body: { spec: { replicas: 2 } } }, merge);
    await seen.waitFor('the scale after the restart', () => seen.events.find((e) => e.kind === 'deployment' && e.type === 'spec' && e.replicas === 2), 30_000);
  });

  it('re-lists after etcd compaction (410 Gone)', async () => {
    // Move etcd's revision past every watch's last resourceVersion, on a resource nobody watches.
    await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'bump' }, data: { a: '1' } } });
    await cp.compact();
    await seen.waitFor('a re-list', () => seen.events.find((e) => e.kind === 'watch' && e.type === 'relist' && /410|expired/i.test(e.reason)), 60_000);
  });

  it('says plainly when the credentials are rejected, without echoing them', async () => {
    const file = join(dir, 'wrong-token.kubeconfig');
    await writeFile(file, (await readFile(cp.kubeconfig, 'utf8')).replace(/token: \S+/, 'token: not-the-right-token-0123456789'));
    const w = await startWatcher({ kubeconfig: file, onEvent: () => {}, onConfig: () => {}, startTimeoutMs: 20_000 });
    try {
      const s = w.status();
      assert.equal(s.watched, false);
      assert.match(s.problems.join('\n'), /rejected the kubeconfig credentials \(401 Unauthorized\)/);
      assert.ok(!JSON.stringify(s).includes('not-the-right-token'));
    } finally {
      await w.close();
    }
  });

  it('tells a forbidden user what it cannot watch and still watches the rest', async () => {
    const mine = new Collector();
    const w = await startWatcher({ kubeconfig: cp.restrictedKubeconfig, service: 'web', onEvent: mine.onEvent, onConfig: mine.onConfig, startTimeoutMs: 20_000 });
    try {
      const s = w.status();
      assert.equal(s.watched, true);
      assert.ok(s.problems.includes('forbidden to watch endpointslices in default: add the rules in deploy/rbac.yaml'), s.problems.join('\n'));
      await mine.waitFor('events watch forbidden', () => w.status().problems.includes('forbidden to watch events in default: add the rules in deploy/rbac.yaml'));
      assert.ok(mine.events.some((e) => e.kind === 'watch' && e.type === 'forbidden' && e.name === 'endpointslices'));
    } finally {
      await w.close();
    }
  });
});
