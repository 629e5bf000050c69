import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startKubelet } from '../../../src/lab/kubelet/index.js';
import { eventually, merge, randomPrefix, webDeployment, withLab } from './lab.js';

const ns = { namespace: 'default' };

test('with the real kubelet, a rolling update replaces the running pod process and keeps one ready endpoint', async () => {
  await withLab(['deployment', 'replicaset', 'endpointslice'], async ({ apps, core, discovery, kubeconfig }) => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'zdprobe-ctrl-kubelet-'));
    const kubelet = await startKubelet({ kubeconfig, nodeName: 'lab-node-1', dir, ipPrefix: randomPrefix() });
    try {
      const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
      const d = webDeployment(1, 1, strategy);
      const container = d.spec?.template.spec?.containers[0];
      if (container) container.readinessProbe = { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 };
      await apps.createNamespacedDeployment({ ...ns, body: d });
      await core.createNamespacedService({ ...ns, body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } } });
      const readyEndpoints = async () => {
        const slices = (await discovery.listNamespacedEndpointSlice({ ...ns, labelSelector: 'kubernetes.io/service-name=web' })).items;
        return slices.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready);
      };
      const first = await eventually('v1 ready', async () => {
        const eps = await readyEndpoints();
        return eps.length === 1 && eps[0];
      }, 60_000);
      const body = { spec: { template: { metadata: { labels: { app: 'web', version: 'v2' } }, spec: { containers: [{ ...container, image: 'lab/web:2' }] } } } };
      await apps.patchNamespacedDeployment({ ...ns, name: 'web', body }, merge);
      await eventually('revision 2 complete', async () => {
        const dep = await apps.readNamespacedDeployment({ ...ns, name: 'web' });
        const s = dep.status;
        const rev = dep.metadata?.annotations?.['deployment.kubernetes.io/revision'];
        return rev === '2' && s?.observedGeneration === dep.metadata?.generation && s?.updatedReplicas === 1 && s.availableReplicas === 1 && s.replicas === 1;
      }, 60_000);
      const eps = await eventually('only the v2 pod is an endpoint', async () => {
        const all = (await discovery.listNamespacedEndpointSlice(ns)).items.flatMap((s) => s.endpoints ?? []);
        return all.length === 1 && all;
      }, 60_000);
      assert.notEqual(eps[0]?.targetRef?.name, first.targetRef?.name);
      const pod = await core.readNamespacedPod({ ...ns, name: eps[0]?.targetRef?.name ?? '' });
      assert.equal(pod.metadata?.labels?.version, 'v2');
    } finally {
      await kubelet.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
