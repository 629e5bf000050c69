import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1EndpointSlice } from '@kubernetes/client-node';
import { eventually, fakeKubelet, merge, randomPrefix, webDeployment, withLab } from './lab.js';

const surge1 = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
const ns = { namespace: 'default' };

test('a rolling update with maxSurge 1 / maxUnavailable 0 reaches revision 2 with upstream events', async () => {
  await withLab(['deployment', 'replicaset'], async ({ apps, core }) => {
    const kubelet = fakeKubelet(core, randomPrefix());
    try {
      await apps.createNamespacedDeployment({ ...ns, body: webDeployment(1, 2, surge1) });
      const complete = async (rev: string) => {
        const d = await apps.readNamespacedDeployment({ ...ns, name: 'web' });
        const s = d.status;
        const ok = d.metadata?.annotations?.['deployment.kubernetes.io/revision'] === rev && s?.observedGeneration === d.metadata?.generation &&
          s?.updatedReplicas === 2 && s?.replicas === 2 && s?.availableReplicas === 2 && s?.unavailableReplicas === 0;
        return ok && d;
      };
      await eventually('revision 1 available', () => complete('1'));
      const body = { spec: { template: webDeployment(2, 2, surge1).spec?.template } };
      await apps.patchNamespacedDeployment({ ...ns, name: 'web', body }, merge);
      const d = await eventually('revision 2 available', () => complete('2'));
      assert.equal(d.status?.conditions?.find((c) => c.type === 'Progressing')?.reason, 'NewReplicaSetAvailable');
      const rss = (await apps.listNamespacedReplicaSet(ns)).items;
      const byRev = (rev: string) => rss.find((r) => r.metadata?.annotations?.['deployment.kubernetes.io/revision'] === rev);
      const [oldRS, newRS] = [byRev('1'), byRev('2')];
      assert.ok(oldRS && newRS);
      assert.equal(newRS.metadata?.name, `web-${newRS.metadata?.labels?.['pod-template-hash']}`);
      assert.equal(newRS.metadata?.ownerReferences?.[0]?.controller, true);
      const [o, n] = [oldRS.metadata?.name, newRS.metadata?.name];
      await eventually('old pods gone', async () => (await core.listNamespacedPod(ns)).items.length === 2);
      const events = (await core.listNamespacedEvent(ns)).items
        .filter((e) => e.reason === 'ScalingReplicaSet' && e.involvedObject.name === 'web')
        .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))
        .map((e) => e.message);
      assert.deepEqual(events, [
        `Scaled up replica set ${o} from 0 to 2`,
        `Scaled up replica set ${n} from 0 to 1`,
        `Scaled down replica set ${o} from 2 to 1`,
        `Scaled up replica set ${n} from 1 to 2`,
        `Scaled down replica set ${o} from 1 to 0`,
      ]);
    } finally {
      await kubelet.stop();
    }
  });
});

test('endpoint slice conditions follow a pod through deletion', async () => {
  await withLab(['endpointslice'], async ({ core, discovery }) => {
    const kubelet = fakeKubelet(core, randomPrefix(), 2500);
    try {
      await core.createNamespacedService({ ...ns, body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } } });
      const template = webDeployment(1, 1, surge1).spec?.template;
      await core.createNamespacedPod({ ...ns, body: { metadata: { ...template?.metadata, name: 'web-1' }, spec: template?.spec } });
      const endpoint = async () => {
        const slices = (await discovery.listNamespacedEndpointSlice({ ...ns, labelSelector: 'kubernetes.io/service-name=web' })).items;
        if (slices.length !== 1) return undefined;
        return { slice: slices[0] as V1EndpointSlice, ep: slices[0]?.endpoints?.[0] };
      };
      const ready = await eventually('ready endpoint', async () => {
        const e = await endpoint();
        return e?.ep?.conditions?.ready === true && e;
      });
      assert.match(ready.slice.metadata?.name ?? '', /^web-[a-z0-9]{5}$/);
      assert.equal(ready.slice.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
      assert.deepEqual(ready.slice.ports?.map((p) => p.port), [8080]);
      assert.deepEqual({ ...ready.ep?.conditions }, { ready: true, serving: true, terminating: false });
      const podName = ready.ep?.targetRef?.name ?? '';
      await core.deleteNamespacedPod({ ...ns, name: podName });
      const terminating = await eventually('terminating endpoint', async () => {
        const e = await endpoint();
        return e?.ep?.conditions?.terminating === true && e;
      });
      assert.deepEqual({ ...terminating.ep?.conditions }, { ready: false, serving: true, terminating: true });
      await eventually('endpoint removed', async () => {
        const e = await endpoint();
        return e !== undefined && (e.slice.endpoints ?? []).length === 0;
      });
    } finally {
      await kubelet.stop();
    }
  });
});
