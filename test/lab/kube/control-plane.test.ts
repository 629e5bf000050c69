// Starts the real etcd + kube-apiserver + kube-controller-manager built by test/kube/build.sh.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppsV1Api, CoreV1Api, CustomObjectsApi, VersionApi } from '@kubernetes/client-node';
import { KUBE_VERSION, NOT_BUILT_MESSAGE } from '../../../src/lab/kube/binaries.js';
import { startKubeControlPlane, type KubeControlPlane } from '../../../src/lab/kube/control-plane.js';
import { httpCall, pollFor } from '../../../src/lab/kube/wait-ready.js';
import { alive, built, isGone, loadKubeconfig, skipUnlessBuilt, tokenOf } from './env.js';

const load = loadKubeconfig;

const deployment = (name: string) => ({
  metadata: { name, labels: { app: name } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name, version: 'v1' } },
      spec: { containers: [{ name: 'web', image: 'lab/web:1', ports: [{ containerPort: 8080 }] }] },
    },
  },
});

describe('real Kubernetes control plane', { skip: skipUnlessBuilt, timeout: 600_000 }, () => {
  let dir = '';
  let cp: KubeControlPlane | undefined;
  const plane = (): KubeControlPlane => {
    assert.ok(cp, built ? 'control plane did not start' : NOT_BUILT_MESSAGE);
    return cp;
  };

  before(async () => {
    if (!built) return; // only reached with CI set: every test then fails with the build hint
    dir = mkdtempSync(join(tmpdir(), 'zdprobe-kube-'));
    cp = await startKubeControlPlane({ dir, startTimeoutMs: 180_000 });
  });

  after(async () => {
    await cp?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('binaries are built (CI must run test/kube/build.sh)', () => {
    assert.ok(built, NOT_BUILT_MESSAGE);
  });

  it('serves the pinned Kubernetes version through the kubeconfig it wrote', async () => {
    const info = await load(plane().kubeconfig).makeApiClient(VersionApi).getCode();
    assert.equal(info.gitVersion, KUBE_VERSION);
  });

  it('runs the real deployment controller: Deployment -> ReplicaSet -> Pending pods', async () => {
    const kc = load(plane().kubeconfig);
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('web') });
    const rs = await pollFor('a ReplicaSet for web', 60_000, async () => {
      const list = await apps.listNamespacedReplicaSet({ namespace: 'default', labelSelector: 'app=web' });
      return list.items[0];
    });
    assert.equal(rs.metadata?.ownerReferences?.[0]?.kind, 'Deployment');
    assert.equal(rs.metadata?.ownerReferences?.[0]?.name, 'web');
    const pods = await pollFor('2 pods for web', 60_000, async () => {
      const list = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' });
      return list.items.length === 2 ? list.items : undefined;
    });
    for (const pod of pods) {
      assert.equal(pod.metadata?.ownerReferences?.[0]?.name, rs.metadata?.name);
      assert.equal(pod.status?.phase, 'Pending', 'no kubelet runs here, so nothing starts the pods');
    }
  });

  it('lets the restricted user list pods and events but forbids watching events and reading endpointslices', async () => {
    const token = tokenOf(plane().restrictedKubeconfig);
    const status = async (path: string): Promise<number> =>
      (await httpCall(`${plane().url}${path}`, { token, timeoutMs: 20_000 })).status;
    assert.equal(await status('/api/v1/namespaces/default/pods'), 200);
    assert.equal(await status('/api/v1/pods?watch=1&timeoutSeconds=1'), 200);
    assert.equal(await status('/api/v1/namespaces/default/events'), 200);
    assert.equal(await status('/api/v1/namespaces/default/events?watch=1&timeoutSeconds=1'), 403);
    assert.equal(await status('/apis/events.k8s.io/v1/events?watch=1&timeoutSeconds=1'), 403);
    assert.equal(await status('/apis/discovery.k8s.io/v1/endpointslices'), 403);
    assert.equal(await status('/apis/discovery.k8s.io/v1/endpointslices?watch=1&timeoutSeconds=1'), 403);
  });

  it('installs the lab CRDs so their objects can be created', async () => {
    const token = tokenOf(plane().kubeconfig);
    const paths = [
      '/apis/networking.istio.io/v1beta1/namespaces/default/virtualservices',
      '/apis/networking.istio.io/v1alpha3/namespaces/default/destinationrules',
      '/apis/networking.istio.io/v1/namespaces/default/virtualservices',
      '/apis/rollouts.kruise.io/v1beta1/namespaces/default/rollouts',
      '/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes',
    ];
    for (const path of paths) {
      const res = await httpCall(`${plane().url}${path}`, { token, timeoutMs: 20_000 });
      assert.equal(res.status, 200, `${path}: ${res.body.slice(0, 200)}`);
    }
  });

  it('keeps a lab custom resource spec as written (no schema pruning)', async () => {
    const custom = load(plane().kubeconfig).makeApiClient(CustomObjectsApi);
    const at = { group: 'networking.istio.io', version: 'v1', namespace: 'default', plural: 'virtualservices' };
    const spec = { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: 100 }] }] };
    await custom.createNamespacedCustomObject({ ...at, body: { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'kept' }, spec } });
    const got = (await custom.getNamespacedCustomObject({ ...at, name: 'kept' })) as { spec?: unknown };
    assert.deepEqual(got.spec, spec);
  });

  it('keeps its data across an apiserver restart', async () => {
    const core = load(plane().kubeconfig).makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'survivor' }, data: { k: 'v' } },
    });
    await plane().restartApiServer();
    const fresh = load(plane().kubeconfig).makeApiClient(CoreV1Api);
    const cm = await fresh.readNamespacedConfigMap({ name: 'survivor', namespace: 'default' });
    assert.equal(cm.data?.['k'], 'v');
    const apps = load(plane().kubeconfig).makeApiClient(AppsV1Api);
    const web = await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    assert.equal(web.spec?.replicas, 2);
  });

  it('answers 410 Gone to a watch from a resourceVersion older than a compaction', async () => {
    const token = tokenOf(plane().kubeconfig);
    const core = load(plane().kubeconfig).makeApiClient(CoreV1Api);
    const oldRv = (await core.listNamespacedConfigMap({ namespace: 'default' })).metadata?.resourceVersion;
    assert.ok(oldRv);
    for (let i = 0; i < 3; i++) {
      await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: `churn-${i}` } } });
    }
    const watchPath = `/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=3&resourceVersion=${oldRv}`;
    const before = await httpCall(`${plane().url}${watchPath}`, { token, timeoutMs: 20_000 });
    assert.ok(!isGone(before), 'before compaction the old resourceVersion is still served');
    assert.match(before.body, /churn-0/);
    await plane().compact();
    const afterCompaction = await httpCall(`${plane().url}${watchPath}`, { token, timeoutMs: 20_000 });
    assert.ok(isGone(afterCompaction), `expected 410 Gone, got ${afterCompaction.status} ${afterCompaction.body}`);
  });

  it('close stops every process it started', async () => {
    const pids = plane().pids();
    assert.equal(pids.length, 3);
    for (const pid of pids) assert.equal(alive(pid), true, `pid ${pid} should run before close`);
    await plane().close();
    for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} still runs after close`);
  });
});
