// --rollout kruise/NAME alone: the watcher finds the Deployment and Services through the Rollout.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import type { RolloutEvent } from '../../src/watch/cluster-event.js';
import { startWatcher, type Watcher } from '../../src/watch/index.js';
import { Collector, startLab, type Lab } from './helpers/lab.js';

const NS = 'default';
const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const KRUISE = { group: 'rollouts.kruise.io', version: 'v1beta1', namespace: NS, plural: 'rollouts' };

const rollout = {
  apiVersion: 'rollouts.kruise.io/v1beta1', kind: 'Rollout', metadata: { name: 'rollouts-demo' },
  spec: {
    workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'echoserver' },
    strategy: { canary: {
      steps: [{ replicas: 1, matches: [{ headers: [{ type: 'Exact', name: 'version', value: 'canary' }] }] },
        { traffic: '50%', replicas: '50%' }, { traffic: '80%', replicas: '80%' }],
      trafficRoutings: [{ service: 'echoserver', customResourceRefs: [{ apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', name: 'echoserver' }] }],
    } },
  },
};

describe('scope from a Kruise Rollout', () => {
  let lab: Lab;
  let watcher: Watcher;
  const seen = new Collector();

  before(async () => {
    lab = await startLab();
    await lab.apps.createNamespacedDeployment({ namespace: NS, body: {
      metadata: { name: 'echoserver' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'echoserver' } }, template: { metadata: { labels: { app: 'echoserver' } }, spec: { containers: [{ name: 'e', image: 'lab/web:1' }] } } },
    } });
    await lab.apps.createNamespacedDeployment({ namespace: NS, body: {
      metadata: { name: 'unrelated' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'unrelated' } }, template: { metadata: { labels: { app: 'unrelated' } }, spec: { containers: [{ name: 'e', image: 'lab/web:1' }] } } },
    } });
    await lab.core.createNamespacedService({ namespace: NS, body: { metadata: { name: 'echoserver' }, spec: { selector: { app: 'echoserver' }, ports: [{ port: 80 }] } } });
    await lab.custom.createNamespacedCustomObject({ group: 'networking.istio.io', version: 'v1beta1', namespace: NS, plural: 'virtualservices', body: {
      apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', metadata: { name: 'echoserver' },
      spec: { hosts: ['echoserver.example.com'], http: [{ route: [{ destination: { host: 'echoserver' } }] }] } } });
    await lab.custom.createNamespacedCustomObject({ ...KRUISE, body: rollout });
    watcher = await startWatcher({ kubeconfig: lab.kubeconfig, rollout: 'kruise/rollouts-demo', onEvent: seen.onEvent, onConfig: seen.onConfig });
  });

  after(async () => {
    await watcher?.close();
    await lab?.close();
  });

  it('snapshots the Rollout, its Deployment, Service and VirtualService, and nothing unrelated', async () => {
    assert.deepEqual(watcher.status().problems, []);
    const snap = await seen.waitFor('snapshot', () => seen.configs[0]);
    assert.deepEqual(snap.objects.map((o) => `${o.kind}/${o.metadata?.name}`).sort(),
      ['Deployment/echoserver', 'Rollout/rollouts-demo', 'Service/echoserver', 'VirtualService/echoserver']);
  });

  it('reports each step with its declared weight', async () => {
    const status = (step: number, state: string) => ({ status: { phase: 'Progressing', canaryStatus: { currentStepIndex: step, currentStepState: state } } });
    await lab.custom.patchNamespacedCustomObjectStatus({ ...KRUISE, name: 'rollouts-demo', body: status(1, 'StepPaused') }, merge);
    await seen.waitFor('step 1', () => seen.events.find((e) => e.kind === 'rollout' && e.step === 1));
    await lab.custom.patchNamespacedCustomObjectStatus({ ...KRUISE, name: 'rollouts-demo', body: status(2, 'StepUpgrade') }, merge);
    const step2 = await seen.waitFor('step 2', () => seen.events.find((e): e is RolloutEvent => e.kind === 'rollout' && e.type === 'step' && e.step === 2));
    assert.equal(step2.name, 'rollouts-demo');
    assert.equal(step2.weight, 50);
    assert.equal(step2.flavor, 'kruise');
  });

  it('watches the canary Service Kruise creates, and its endpoints', async () => {
    await lab.core.createNamespacedService({ namespace: NS, body: { metadata: { name: 'echoserver-canary' }, spec: { selector: { app: 'echoserver', 'pod-template-hash': 'abc' }, ports: [{ port: 80 }] } } });
    await seen.waitFor('canary service', () => seen.find('service', 'created', 'echoserver-canary'));
    await lab.discovery.createNamespacedEndpointSlice({ namespace: NS, body: {
      metadata: { name: 'echoserver-canary-1', labels: { 'kubernetes.io/service-name': 'echoserver-canary' } }, addressType: 'IPv4',
      endpoints: [{ addresses: ['127.8.0.9'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'echoserver-abc-1' } }] } });
    await seen.waitFor('canary endpoint', () => seen.find('endpoint', 'added', 'echoserver-abc-1'));
  });
});
