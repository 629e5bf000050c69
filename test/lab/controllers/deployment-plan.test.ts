import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planDeployment } from '../../../src/lab/controllers/deployment-plan.js';
import { deploymentStatus } from '../../../src/lab/controllers/deployment-status.js';
import { scalingMessage } from '../../../src/lab/controllers/deployment.js';
import { templateHash } from '../../../src/lab/controllers/hash.js';
import { NOW, deployment, pod, rsFor } from './fixtures.js';

const surge1 = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };

test('a new template creates <deploy>-<hash> with the next revision, sized by maxSurge', () => {
  const v1 = deployment({ strategy: surge1 });
  const old = rsFor(v1, 'web-old', 3, 3, 100, 1);
  const v2 = deployment({ strategy: surge1 }, 'v2');
  const plan = planDeployment(v2, [old], []);
  const create = plan.actions.find((a) => a.kind === 'create-rs');
  assert.ok(create && create.kind === 'create-rs');
  const hash = templateHash(v2.spec?.template);
  assert.equal(create.rs.metadata?.name, `web-${hash}`);
  assert.equal(create.replicas, 1);
  assert.equal(create.rs.metadata?.labels?.['pod-template-hash'], hash);
  assert.equal(create.rs.spec?.selector?.matchLabels?.['pod-template-hash'], hash);
  assert.equal(create.rs.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2');
  assert.equal(create.rs.metadata?.ownerReferences?.[0]?.controller, true);
  assert.equal(plan.revision, '2');
  assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
});

test('paused: no new ReplicaSet and no progress', () => {
  const v1 = deployment({ strategy: surge1 });
  const old = rsFor(v1, 'web-old', 3, 3, 100, 1);
  const plan = planDeployment(deployment({ strategy: surge1, paused: true }, 'v2'), [old], []);
  assert.deepEqual(plan.actions, []);
  assert.equal(plan.newRS, undefined);
});

test('Recreate scales old to zero, then waits for old pods to be gone before the new RS', () => {
  const v1 = deployment({ strategy: { type: 'Recreate' } });
  const v2 = deployment({ strategy: { type: 'Recreate' } }, 'v2');
  const running = rsFor(v1, 'web-old', 3, 3, 100, 1);
  assert.deepEqual(planDeployment(v2, [running], []).actions, [{ kind: 'scale', scale: { name: 'web-old', from: 3, to: 0 } }]);
  const drained = { ...rsFor(v1, 'web-old', 0, 0, 100, 1) };
  const terminating = pod({ name: 'web-old-a', owner: 'web-old', deleting: true });
  assert.deepEqual(planDeployment(v2, [drained], [terminating]).actions, []);
  const kinds = planDeployment(v2, [drained], []).actions.map((a) => a.kind);
  assert.deepEqual(kinds, ['create-rs', 'scale']);
});

test('status counts and conditions follow upstream', () => {
  const d = deployment({ strategy: surge1 });
  const plan = planDeployment(d, [rsFor(d, 'web-cur', 3, 3, 100, 1)], []);
  const s = deploymentStatus(d, { newRS: plan.newRS, all: plan.all, createdNewRS: false }, NOW);
  assert.deepEqual([s.replicas, s.updatedReplicas, s.readyReplicas, s.availableReplicas, s.unavailableReplicas], [3, 3, 3, 3, 0]);
  assert.equal(s.conditions.find((c) => c.type === 'Available')?.reason, 'MinimumReplicasAvailable');
  assert.equal(s.conditions.find((c) => c.type === 'Progressing')?.message, 'ReplicaSet "web-cur" has successfully progressed.');
});

test('ScalingReplicaSet messages use upstream wording', () => {
  assert.equal(scalingMessage('web-5d4f', 0, 1), 'Scaled up replica set web-5d4f from 0 to 1');
  assert.equal(scalingMessage('web-5d4f', 3, 2), 'Scaled down replica set web-5d4f from 3 to 2');
});
