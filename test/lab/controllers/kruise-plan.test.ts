import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Deployment } from '@kubernetes/client-node';
import { planRollout, revisionOf, stepReplicas } from '../../../src/lab/controllers/kruise-plan.js';
import type { Rollout, RolloutStatus } from '../../../src/lab/controllers/kruise-types.js';
import { routedSpec } from '../../../src/lab/controllers/kruise-routes.js';
import { nextVirtualService } from '../../../src/lab/controllers/kruise-vs.js';
import { NOW, deployment } from './fixtures.js';

const steps = [
  { replicas: 1, matches: [{ headers: [{ type: 'Exact' as const, name: 'version', value: 'canary' }] }], pause: {} },
  { traffic: '50%', replicas: '50%', pause: {} },
  { traffic: '80%', replicas: '80%', pause: {} },
];

function rollout(status?: RolloutStatus): Rollout {
  return {
    metadata: { name: 'web', namespace: 'default', uid: 'ro-uid', generation: 1 },
    spec: {
      workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      strategy: { canary: { steps, trafficRoutings: [{ service: 'web', gracePeriodSeconds: 1 }] } },
    },
    status,
  };
}

const canary = (replicas: number): V1Deployment => ({
  metadata: { name: 'web-x1', generation: 1 },
  spec: { replicas, selector: {}, template: {} },
  status: { observedGeneration: 1, replicas, readyReplicas: replicas, updatedReplicas: replicas, availableReplicas: replicas },
});

test('step replicas: ints, percents rounded up, traffic when unset', () => {
  assert.deepEqual([stepReplicas(steps[0], 3), stepReplicas(steps[1], 3), stepReplicas(steps[2], 3), stepReplicas({ traffic: '10%' }, 5)], [1, 2, 3, 1]);
});

test('a new template pauses the Deployment and starts step 1', () => {
  const v1 = deployment();
  const plan = planRollout({ rollout: rollout({ phase: 'Healthy', stableRevision: revisionOf(v1) }), deployment: deployment({}, 'v2'), now: NOW });
  assert.deepEqual(plan.actions, [{ kind: 'pause', paused: true }]);
  assert.equal(plan.status.phase, 'Progressing');
  assert.equal(plan.status.canaryStatus?.currentStepIndex, 1);
  assert.equal(plan.status.canaryStatus?.currentStepState, 'StepUpgrade');
});

test('steps advance upgrade -> traffic routing -> paused, and wait for StepReady', () => {
  const v2 = deployment({ paused: true }, 'v2');
  const stable = revisionOf(deployment());
  const base = { phase: 'Progressing' as const, stableRevision: stable };
  const cs = (state: 'StepUpgrade' | 'StepTrafficRouting' | 'StepPaused' | 'StepReady', i: number, ago = 0) => ({
    ...base,
    canaryStatus: { canaryRevision: revisionOf(v2), currentStepIndex: i, currentStepState: state, lastUpdateTime: new Date(NOW - ago).toISOString() },
  });
  const view = { deployment: v2, canary: canary(1), canaryHash: 'cnr', stableHash: 'stb', now: NOW };
  const up = planRollout({ ...view, rollout: rollout(cs('StepUpgrade', 1)) });
  assert.equal(up.status.canaryStatus?.currentStepState, 'StepTrafficRouting');
  assert.deepEqual(up.actions.filter((a) => a.kind !== 'canary'), [{ kind: 'pin-stable', hash: 'stb' }, { kind: 'route', step: steps[0] }]);
  const routing = planRollout({ ...view, rollout: rollout(cs('StepTrafficRouting', 1, 1500)) });
  assert.equal(routing.status.canaryStatus?.currentStepState, 'StepPaused');
  assert.match(routing.status.message ?? '', /step\(1\/3\), and you need manually confirm/);
  const paused = planRollout({ ...view, rollout: rollout(cs('StepPaused', 1, 60_000)) });
  assert.equal(paused.status.canaryStatus?.currentStepState, 'StepPaused', 'no duration: waits for approval');
  const approved = planRollout({ ...view, rollout: rollout(cs('StepReady', 1)) });
  assert.deepEqual([approved.status.canaryStatus?.currentStepIndex, approved.status.canaryStatus?.currentStepState], [2, 'StepUpgrade']);
  const notReady = planRollout({ ...view, rollout: rollout(cs('StepUpgrade', 2)) });
  assert.equal(notReady.status.canaryStatus?.currentStepState, 'StepUpgrade', 'canary has 1 of 2 replicas');
  assert.ok(notReady.actions.some((a) => a.kind === 'canary' && a.replicas === 2));
  const last = planRollout({ ...view, rollout: rollout(cs('StepReady', 3)) });
  assert.equal(last.status.canaryStatus?.finalisingStep, 'ReleaseWorkload');
  assert.deepEqual(last.actions, [{ kind: 'pin-stable', hash: null }]);
});

test('finalising restores routes only after the stable Deployment is fully updated', () => {
  const v2 = deployment({}, 'v2');
  const rolling = { ...v2, metadata: { ...v2.metadata, generation: 3 }, status: { observedGeneration: 3, replicas: 4, updatedReplicas: 2, availableReplicas: 3 } };
  const status = (fs: 'ReleaseWorkload' | 'RestoreGateway' | 'DeleteCanary', ago = 0): RolloutStatus => ({
    phase: 'Progressing',
    stableRevision: 'old',
    canaryStatus: { canaryRevision: revisionOf(v2), currentStepIndex: 3, currentStepState: 'Completed', finalisingStep: fs, lastUpdateTime: new Date(NOW - ago).toISOString() },
  });
  const waiting = planRollout({ rollout: rollout(status('ReleaseWorkload')), deployment: rolling, now: NOW });
  assert.equal(waiting.status.canaryStatus?.finalisingStep, 'ReleaseWorkload');
  assert.ok(!waiting.actions.some((a) => a.kind === 'route'));
  const done = { ...rolling, status: { observedGeneration: 3, replicas: 3, updatedReplicas: 3, availableReplicas: 3 } };
  const restore = planRollout({ rollout: rollout(status('ReleaseWorkload')), deployment: done, now: NOW });
  assert.equal(restore.status.canaryStatus?.finalisingStep, 'RestoreGateway');
  assert.ok(restore.actions.some((a) => a.kind === 'route' && a.step === null));
  const end = planRollout({ rollout: rollout(status('DeleteCanary', 2000)), deployment: done, now: NOW });
  assert.deepEqual(end.actions, [{ kind: 'delete-canary' }]);
  assert.equal(end.status.phase, 'Healthy');
  assert.equal(end.status.stableRevision, revisionOf(v2));
  assert.equal(end.status.canaryStatus?.finalisingStep, undefined);
});

const vsSpec = { hosts: ['web'], http: [{ route: [{ destination: { host: 'web', port: { number: 80 } } }] }] };

test('a header step prepends a match route to <service>-canary; a traffic step splits weights', () => {
  const header = routedSpec(vsSpec, steps[0] ?? null, 'web') as typeof vsSpec & { http: unknown[] };
  assert.deepEqual(header.http[0], {
    match: [{ headers: { version: { exact: 'canary' } } }],
    route: [{ destination: { host: 'web-canary', port: { number: 80 } } }],
  });
  assert.deepEqual(header.http[1], vsSpec.http[0]);
  const split = routedSpec(vsSpec, steps[2] ?? null, 'web') as { http: Array<{ route: unknown[] }> };
  assert.deepEqual(split.http[0]?.route, [
    { destination: { host: 'web', port: { number: 80 } }, weight: 20 },
    { destination: { host: 'web-canary', port: { number: 80 } }, weight: 80 },
  ]);
});

test('the original VirtualService spec is kept in an annotation and restored from it', () => {
  const vs = { metadata: { name: 'web' }, spec: vsSpec };
  const routed = nextVirtualService(vs, steps[1] ?? null, 'web');
  assert.ok(routed);
  const saved = routed.metadata?.annotations?.['rollouts.kruise.io/origin-spec-configuration'];
  assert.deepEqual(JSON.parse(saved ?? '{}'), { spec: vsSpec });
  assert.equal(nextVirtualService(routed, steps[1] ?? null, 'web'), undefined, 'already routed');
  const restored = nextVirtualService(routed, null, 'web');
  assert.deepEqual(restored?.spec, vsSpec);
  assert.equal(restored?.metadata?.annotations?.['rollouts.kruise.io/origin-spec-configuration'], undefined);
});
