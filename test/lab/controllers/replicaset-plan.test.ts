import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1ReplicaSet } from '@kubernetes/client-node';
import { planReplicaSet, podFromTemplate } from '../../../src/lab/controllers/replicaset-plan.js';
import { NOW, pod } from './fixtures.js';

const rs = (replicas: number, minReadySeconds = 0): V1ReplicaSet => ({
  metadata: { name: 'web-abc', namespace: 'default', uid: 'web-abc-uid', generation: 4 },
  spec: {
    replicas,
    minReadySeconds,
    selector: { matchLabels: { app: 'web', 'pod-template-hash': 'abc' } },
    template: { metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } }, spec: { containers: [{ name: 'web' }] } },
  },
});

test('creates the missing pods and ignores terminating ones', () => {
  const pods = [pod({ name: 'a', owner: 'web-abc' }), pod({ name: 'b', owner: 'web-abc', deleting: true })];
  const plan = planReplicaSet(rs(3), pods, NOW);
  assert.equal(plan.create, 2);
  assert.equal(plan.status.replicas, 1);
});

test('scales down not-ready pods first, then the newest', () => {
  const pods = [
    pod({ name: 'old', owner: 'web-abc', createdS: 300, readyS: 290 }),
    pod({ name: 'new', owner: 'web-abc', createdS: 10, readyS: 5 }),
    pod({ name: 'unready', owner: 'web-abc', createdS: 200, ready: false }),
  ];
  assert.deepEqual(planReplicaSet(rs(1), pods, NOW).remove, ['unready', 'new']);
});

test('availability waits minReadySeconds after Ready, and asks to be called back then', () => {
  const pods = [pod({ name: 'a', owner: 'web-abc', readyS: 2 }), pod({ name: 'b', owner: 'web-abc', readyS: 20 })];
  const plan = planReplicaSet(rs(2, 10), pods, NOW);
  assert.deepEqual(
    [plan.status.readyReplicas, plan.status.availableReplicas, plan.status.fullyLabeledReplicas, plan.status.observedGeneration],
    [2, 1, 0, 4],
  );
  assert.ok(plan.requeueAfterMs !== undefined && plan.requeueAfterMs > 7000 && plan.requeueAfterMs < 9000);
});

test('pods are made from the template with generateName and a controller reference', () => {
  const p = podFromTemplate(rs(1));
  assert.equal(p.metadata?.generateName, 'web-abc-');
  assert.equal(p.metadata?.labels?.['pod-template-hash'], 'abc');
  assert.deepEqual(p.metadata?.ownerReferences?.[0], {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'web-abc-uid', controller: true, blockOwnerDeletion: true,
  });
});
