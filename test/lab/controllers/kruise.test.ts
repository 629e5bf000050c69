import { test } from 'node:test';
import assert from 'node:assert/strict';
import { approveRollout } from '../../../src/lab/controllers/index.js';
import type { Rollout } from '../../../src/lab/controllers/kruise-types.js';
import { ZdError } from '../../../src/errors.js';
import type { Lab } from './lab.js';
import { eventually, fakeKubelet, merge, randomPrefix, webDeployment, withLab } from './lab.js';

const ns = { namespace: 'default' };
const VS = { group: 'networking.istio.io', version: 'v1beta1', plural: 'virtualservices', namespace: 'default', name: 'web' };
const RO = { group: 'rollouts.kruise.io', version: 'v1beta1', plural: 'rollouts', namespace: 'default', name: 'web' };
const vsSpec = { hosts: ['web'], http: [{ route: [{ destination: { host: 'web', port: { number: 80 } } }] }] };
const ORIGIN = 'rollouts.kruise.io/origin-spec-configuration';

const rollout = {
  apiVersion: 'rollouts.kruise.io/v1beta1',
  kind: 'Rollout',
  metadata: { name: 'web' },
  spec: {
    workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    strategy: {
      canary: {
        steps: [
          { replicas: 1, matches: [{ headers: [{ type: 'Exact', name: 'version', value: 'canary' }] }], pause: {} },
          { traffic: '50%', replicas: '50%', pause: {} },
          { traffic: '80%', replicas: '80%', pause: {} },
        ],
        trafficRoutings: [{ service: 'web', gracePeriodSeconds: 0, customNetworkRefs: [{ apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', name: 'web' }] }],
      },
    },
  },
};

type Vs = { metadata: { annotations?: Record<string, string> }; spec: { http: Array<{ match?: unknown; route: Array<{ destination: { host: string }; weight?: number }> }> } };
const readVs = async (lab: Lab) => (await lab.custom.getNamespacedCustomObject(VS)) as Vs;
const readRollout = async (lab: Lab) => (await lab.custom.getNamespacedCustomObject(RO)) as Rollout;

async function pausedAt(lab: Lab, step: number): Promise<Rollout> {
  return eventually(`step ${step} paused`, async () => {
    const r = await readRollout(lab);
    return r.status?.canaryStatus?.currentStepIndex === step && r.status.canaryStatus.currentStepState === 'StepPaused' && r;
  }, 45_000);
}

const weights = (vs: Vs) => vs.spec.http.map((h) => h.route.map((d) => `${d.destination.host}:${d.weight ?? 100}`).join(','));

test('a Kruise canary goes through header, 50% and 80% steps with approvals, then restores the VirtualService', async () => {
  await withLab(['deployment', 'replicaset', 'endpointslice', 'kruise'], async (lab) => {
    const { apps, core, custom } = lab;
    const kubelet = fakeKubelet(core, randomPrefix());
    try {
      const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
      await apps.createNamespacedDeployment({ ...ns, body: webDeployment(1, 3, strategy) });
      await core.createNamespacedService({ ...ns, body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } } });
      await custom.createNamespacedCustomObject({ ...VS, body: { apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', metadata: { name: 'web' }, spec: vsSpec } });
      await custom.createNamespacedCustomObject({ ...RO, body: rollout });
      await eventually('healthy', async () => (await readRollout(lab)).status?.phase === 'Healthy');
      await eventually('v1 available', async () => (await apps.readNamespacedDeployment({ ...ns, name: 'web' })).status?.availableReplicas === 3);
      await assert.rejects(approveRollout(lab.kubeconfig, 'default', 'web'), ZdError);

      // The new template arrives with paused: true, as Kruise's admission webhook would add it.
      const body = { spec: { paused: true, template: webDeployment(2, 3, strategy).spec?.template } };
      await apps.patchNamespacedDeployment({ ...ns, name: 'web', body }, merge);

      const r1 = await pausedAt(lab, 1);
      assert.equal(r1.status?.phase, 'Progressing');
      const vs1 = await readVs(lab);
      assert.deepEqual(vs1.spec.http[0], { match: [{ headers: { version: { exact: 'canary' } } }], route: [{ destination: { host: 'web-canary', port: { number: 80 } } }] });
      assert.deepEqual(JSON.parse(vs1.metadata.annotations?.[ORIGIN] ?? '{}'), { spec: vsSpec });
      const canary = (await apps.listNamespacedDeployment({ ...ns, labelSelector: 'rollouts.kruise.io/canary-deployment=web' })).items;
      assert.equal(canary.length, 1);
      assert.match(canary[0]?.metadata?.name ?? '', /^web-[a-z0-9]{5}$/);
      assert.equal(canary[0]?.spec?.replicas, 1);
      const canarySvc = await core.readNamespacedService({ ...ns, name: 'web-canary' });
      assert.equal(canarySvc.spec?.selector?.['pod-template-hash'], r1.status?.canaryStatus?.podTemplateHash);
      const stableSvc = await core.readNamespacedService({ ...ns, name: 'web' });
      assert.ok(stableSvc.spec?.selector?.['pod-template-hash'], 'stable service pinned to the stable pods');
      assert.equal((await apps.readNamespacedDeployment({ ...ns, name: 'web' })).spec?.paused, true);

      await approveRollout(lab.kubeconfig, 'default', 'web');
      await pausedAt(lab, 2);
      assert.deepEqual(weights(await readVs(lab)), ['web:50,web-canary:50']);
      assert.equal((await apps.readNamespacedDeployment({ ...ns, name: canary[0]?.metadata?.name ?? '' })).spec?.replicas, 2);

      await approveRollout(lab.kubeconfig, 'default', 'web');
      await pausedAt(lab, 3);
      assert.deepEqual(weights(await readVs(lab)), ['web:20,web-canary:80']);

      await approveRollout(lab.kubeconfig, 'default', 'web');
      const done = await eventually('healthy again', async () => {
        const r = await readRollout(lab);
        return r.status?.phase === 'Healthy' && r.status.canaryStatus?.currentStepState === 'Completed' && r;
      }, 60_000);
      assert.equal(done.status?.stableRevision, done.status?.canaryStatus?.canaryRevision);
      const restored = await readVs(lab);
      assert.deepEqual(restored.spec, vsSpec);
      assert.equal(restored.metadata.annotations?.[ORIGIN], undefined);
      const d = await apps.readNamespacedDeployment({ ...ns, name: 'web' });
      assert.equal(d.spec?.paused, false);
      assert.equal(d.status?.updatedReplicas, 3);
      assert.equal((await core.readNamespacedService({ ...ns, name: 'web' })).spec?.selector?.['pod-template-hash'], undefined);
      await assert.rejects(core.readNamespacedService({ ...ns, name: 'web-canary' }));
      await eventually('canary deployment deleted', async () =>
        (await apps.listNamespacedDeployment({ ...ns, labelSelector: 'rollouts.kruise.io/canary-deployment=web' })).items.length === 0);
    } finally {
      await kubelet.stop();
    }
  });
});
