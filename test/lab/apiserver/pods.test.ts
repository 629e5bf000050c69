import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { pod, statusOf, waitFor, withLab, type Lab } from './helpers.js';

const bind = (lab: Lab, name: string, node: string) =>
  lab.core.createNamespacedPodBinding({ name, namespace: 'default', body: { metadata: { name }, target: { kind: 'Node', name: node } } });

test('binding sets spec.nodeName and PodScheduled; a second binding is 409 Conflict', async () => {
  await withLab(async (lab) => {
    await lab.core.createNamespacedPod({ namespace: 'default', body: pod('a') });
    await bind(lab, 'a', 'node-1');
    const p = await lab.core.readNamespacedPod({ name: 'a', namespace: 'default' });
    assert.equal(p.spec?.nodeName, 'node-1');
    const sched = p.status?.conditions?.find((c) => c.type === 'PodScheduled');
    assert.equal(sched?.status, 'True');
    assert.ok(sched?.lastTransitionTime instanceof Date);
    const again = await statusOf(bind(lab, 'a', 'node-2'));
    assert.equal(again.code, 409);
  });
});

test('deleting a scheduled pod is two-phase: deletionTimestamp + grace first (MODIFIED), removal at grace 0 (DELETED)', async () => {
  await withLab(async (lab) => {
    await lab.core.createNamespacedPod({ namespace: 'default', body: pod('a', {}, { terminationGracePeriodSeconds: 20 }) });
    await bind(lab, 'a', 'node-1');
    const events: string[] = [];
    const ctrl = await new k8s.Watch(lab.kc).watch('/api/v1/namespaces/default/pods', { resourceVersion: '0' }, (type) => events.push(type), () => undefined);
    try {
      const before = Date.now();
      await lab.core.deleteNamespacedPod({ name: 'a', namespace: 'default' });
      const terminating = await lab.core.readNamespacedPod({ name: 'a', namespace: 'default' });
      assert.equal(terminating.metadata?.deletionGracePeriodSeconds, 20);
      const at = terminating.metadata?.deletionTimestamp?.getTime() ?? 0;
      assert.ok(at >= before - 1000 + 20_000 && at <= Date.now() + 20_000, `deletionTimestamp ${at} is about now + 20 s`);

      // A longer grace cannot extend it; a shorter one shortens it.
      await lab.core.deleteNamespacedPod({ name: 'a', namespace: 'default', body: { gracePeriodSeconds: 60 } });
      assert.equal((await lab.core.readNamespacedPod({ name: 'a', namespace: 'default' })).metadata?.deletionGracePeriodSeconds, 20);
      await lab.core.deleteNamespacedPod({ name: 'a', namespace: 'default', body: { gracePeriodSeconds: 5 } });
      assert.equal((await lab.core.readNamespacedPod({ name: 'a', namespace: 'default' })).metadata?.deletionGracePeriodSeconds, 5);

      await lab.core.deleteNamespacedPod({ name: 'a', namespace: 'default', gracePeriodSeconds: 0 });
      assert.equal((await statusOf(lab.core.readNamespacedPod({ name: 'a', namespace: 'default' }))).code, 404);
      await waitFor(() => events.includes('DELETED'));
      assert.deepEqual(events, ['ADDED', 'MODIFIED', 'MODIFIED', 'DELETED']);
    } finally {
      ctrl.abort();
    }
  });
});

test('a pod that was never scheduled, or has finished, is removed at once', async () => {
  await withLab(async (lab) => {
    await lab.core.createNamespacedPod({ namespace: 'default', body: pod('pending') });
    await lab.core.deleteNamespacedPod({ name: 'pending', namespace: 'default' });
    assert.equal((await statusOf(lab.core.readNamespacedPod({ name: 'pending', namespace: 'default' }))).code, 404);

    await lab.core.createNamespacedPod({ namespace: 'default', body: pod('done') });
    await bind(lab, 'done', 'node-1');
    await lab.core.patchNamespacedPodStatus(
      { name: 'done', namespace: 'default', body: { status: { phase: 'Succeeded' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await lab.core.deleteNamespacedPod({ name: 'done', namespace: 'default' });
    assert.equal((await statusOf(lab.core.readNamespacedPod({ name: 'done', namespace: 'default' }))).code, 404);
  });
});

test('pod status updates keep the spec and the kubelet-written fields come back', async () => {
  await withLab(async (lab) => {
    await lab.core.createNamespacedPod({ namespace: 'default', body: pod('a') });
    await bind(lab, 'a', 'node-1');
    const cur = await lab.core.readNamespacedPod({ name: 'a', namespace: 'default' });
    cur.status = { ...cur.status, phase: 'Running', podIP: '127.42.7.2', conditions: [...(cur.status?.conditions ?? []), { type: 'Ready', status: 'True' }] };
    cur.spec!.nodeName = 'elsewhere';
    const out = await lab.core.replaceNamespacedPodStatus({ name: 'a', namespace: 'default', body: cur });
    assert.equal(out.status?.phase, 'Running');
    assert.equal(out.status?.podIP, '127.42.7.2');
    assert.equal(out.spec?.nodeName, 'node-1');
    const list = await lab.core.listNamespacedPod({ namespace: 'default', fieldSelector: 'status.phase=Running,spec.nodeName=node-1' });
    assert.equal(list.items.length, 1);
  });
});
