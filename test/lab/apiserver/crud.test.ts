import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { deployment, pod, statusOf, withLab } from './helpers.js';

const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const strategic = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);
const jsonPatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch);

test('create stamps uid, creationTimestamp, resourceVersion and defaults; get returns the same object', async () => {
  await withLab(async ({ core, apps }) => {
    const created = await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('web') });
    assert.match(created.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
    assert.ok(created.metadata?.creationTimestamp instanceof Date);
    assert.equal(created.metadata?.generation, 1);
    assert.equal(created.spec?.strategy?.type, 'RollingUpdate');
    assert.equal(created.spec?.strategy?.rollingUpdate?.maxSurge, '25%');
    assert.equal(created.spec?.revisionHistoryLimit, 10);
    assert.equal(created.spec?.progressDeadlineSeconds, 600);
    const got = await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    assert.equal(got.metadata?.resourceVersion, created.metadata?.resourceVersion);

    const svc = await core.createNamespacedService({ namespace: 'default', body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } } });
    assert.equal(svc.spec?.type, 'ClusterIP');
    assert.match(svc.spec?.clusterIP ?? '', /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
    assert.equal(svc.spec?.ports?.[0]?.targetPort, 80);

    const p = await core.createNamespacedPod({ namespace: 'default', body: pod('p1') });
    assert.equal(p.status?.phase, 'Pending');
    assert.equal(p.status?.qosClass, 'BestEffort');
    assert.equal(p.spec?.terminationGracePeriodSeconds, 30);
  });
});

test('generateName gives a unique name; a missing name is 422; a duplicate is 409 AlreadyExists; unknown is 404', async () => {
  await withLab(async ({ core }) => {
    const a = await core.createNamespacedPod({ namespace: 'default', body: { metadata: { generateName: 'web-' }, spec: pod('x').spec } });
    const b = await core.createNamespacedPod({ namespace: 'default', body: { metadata: { generateName: 'web-' }, spec: pod('x').spec } });
    assert.match(a.metadata?.name ?? '', /^web-[a-z0-9]{5}$/);
    assert.notEqual(a.metadata?.name, b.metadata?.name);

    const noName = await statusOf(core.createNamespacedPod({ namespace: 'default', body: { metadata: {}, spec: pod('x').spec } }));
    assert.deepEqual([noName.code, noName.body.reason], [422, 'Invalid']);
    await core.createNamespacedPod({ namespace: 'default', body: pod('dup') });
    const dup = await statusOf(core.createNamespacedPod({ namespace: 'default', body: pod('dup') }));
    assert.deepEqual([dup.code, dup.body.reason], [409, 'AlreadyExists']);
    const missing = await statusOf(core.readNamespacedPod({ name: 'nope', namespace: 'default' }));
    assert.deepEqual([missing.code, missing.body.reason], [404, 'NotFound']);
  });
});

test('an update with a stale resourceVersion is 409 Conflict; a spec change bumps generation', async () => {
  await withLab(async ({ apps }) => {
    const d = await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('web') });
    const fresh = structuredClone(d);
    fresh.spec!.replicas = 3;
    const updated = await apps.replaceNamespacedDeployment({ name: 'web', namespace: 'default', body: fresh });
    assert.equal(updated.metadata?.generation, 2);
    assert.ok(Number(updated.metadata?.resourceVersion) > Number(d.metadata?.resourceVersion));
    const stale = structuredClone(d);
    stale.spec!.replicas = 5;
    const res = await statusOf(apps.replaceNamespacedDeployment({ name: 'web', namespace: 'default', body: stale }));
    assert.deepEqual([res.code, res.body.reason], [409, 'Conflict']);
    const labelsOnly = await apps.patchNamespacedDeployment({ name: 'web', namespace: 'default', body: { metadata: { labels: { a: 'b' } } } }, merge);
    assert.equal(labelsOnly.metadata?.generation, 2);
  });
});

test('merge, strategic and JSON patches apply; strategic merges containers by name', async () => {
  await withLab(async ({ apps }) => {
    await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('web') });
    const m = await apps.patchNamespacedDeployment({ name: 'web', namespace: 'default', body: { spec: { replicas: 4 } } }, merge);
    assert.equal(m.spec?.replicas, 4);
    const s = await apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'default', body: { spec: { template: { spec: { containers: [{ name: 'web', image: 'lab/web:2' }] } } } } },
      strategic,
    );
    const c = s.spec?.template.spec?.containers[0];
    assert.equal(c?.image, 'lab/web:2');
    assert.equal(c?.ports?.[0]?.containerPort, 8080);
    const j = await apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'default', body: [{ op: 'replace', path: '/spec/replicas', value: 1 }, { op: 'add', path: '/metadata/labels', value: { x: 'y' } }] },
      jsonPatch,
    );
    assert.equal(j.spec?.replicas, 1);
    assert.deepEqual(j.metadata?.labels, { x: 'y' });
  });
});

test('status writes go through /status only; the main resource keeps status and vice versa', async () => {
  await withLab(async ({ apps }) => {
    await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('web') });
    const st = await apps.patchNamespacedDeploymentStatus({ name: 'web', namespace: 'default', body: { status: { replicas: 2, readyReplicas: 1 }, spec: { replicas: 9 } } }, merge);
    assert.equal(st.status?.readyReplicas, 1);
    assert.equal(st.spec?.replicas, 2);
    assert.equal(st.metadata?.generation, 1);
    const main = await apps.patchNamespacedDeployment({ name: 'web', namespace: 'default', body: { status: { readyReplicas: 7 } } }, merge);
    assert.equal(main.status?.readyReplicas, 1);
  });
});

test('deployments/scale reads and writes spec.replicas', async () => {
  await withLab(async ({ apps }) => {
    await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('web') });
    const scale = await apps.readNamespacedDeploymentScale({ name: 'web', namespace: 'default' });
    assert.equal(scale.spec?.replicas, 2);
    assert.equal(scale.status?.selector, 'app=web');
    await apps.patchNamespacedDeploymentScale({ name: 'web', namespace: 'default', body: { spec: { replicas: 5 } } }, merge);
    assert.equal((await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' })).spec?.replicas, 5);
  });
});

test('deleting an owner deletes its dependents by ownerReferences uid; finalizers hold a delete', async () => {
  await withLab(async ({ apps, core }) => {
    const d = await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('web') });
    const owner = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata?.uid ?? '', controller: true };
    await apps.createNamespacedReplicaSet({
      namespace: 'default',
      body: { metadata: { name: 'web-1', ownerReferences: [owner] }, spec: { selector: { matchLabels: { app: 'web' } }, template: deployment('web').spec?.template } },
    });
    await apps.deleteNamespacedDeployment({ name: 'web', namespace: 'default' });
    for (let i = 0; i < 50 && (await apps.listNamespacedReplicaSet({ namespace: 'default' })).items.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal((await apps.listNamespacedReplicaSet({ namespace: 'default' })).items.length, 0);

    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'held', finalizers: ['lab/hold'] } } });
    await core.deleteNamespacedConfigMap({ name: 'held', namespace: 'default' });
    const held = await core.readNamespacedConfigMap({ name: 'held', namespace: 'default' });
    assert.ok(held.metadata?.deletionTimestamp);
    await core.patchNamespacedConfigMap({ name: 'held', namespace: 'default', body: { metadata: { finalizers: null } } }, merge);
    const gone = await statusOf(core.readNamespacedConfigMap({ name: 'held', namespace: 'default' }));
    assert.equal(gone.code, 404);
  });
});

test('custom resources: istio VirtualService in three versions shares one store', async () => {
  await withLab(async ({ custom }) => {
    const body = { apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', metadata: { name: 'web' }, spec: { hosts: ['web'] } };
    await custom.createNamespacedCustomObject({ group: 'networking.istio.io', version: 'v1beta1', namespace: 'default', plural: 'virtualservices', body });
    const v1 = await custom.getNamespacedCustomObject({ group: 'networking.istio.io', version: 'v1', namespace: 'default', plural: 'virtualservices', name: 'web' });
    assert.equal(v1.apiVersion, 'networking.istio.io/v1');
    assert.equal(v1.metadata.generation, 1);
    const list = await custom.listNamespacedCustomObject({ group: 'networking.istio.io', version: 'v1alpha3', namespace: 'default', plural: 'virtualservices' });
    assert.equal(list.items.length, 1);
  });
});

test('deleting a namespace deletes what is in it', async () => {
  await withLab(async ({ core }) => {
    await core.createNamespace({ body: { metadata: { name: 'team' } } });
    await core.createNamespacedConfigMap({ namespace: 'team', body: { metadata: { name: 'c' } } });
    await core.createNamespacedPod({ namespace: 'team', body: pod('p') });
    const ns = await core.readNamespace({ name: 'team' });
    assert.equal(ns.status?.phase, 'Active');
    await core.deleteNamespace({ name: 'team' });
    for (let i = 0; i < 50 && (await core.listNamespacedPod({ namespace: 'team' })).items.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal((await core.listNamespacedPod({ namespace: 'team' })).items.length, 0);
    assert.equal((await core.listNamespacedConfigMap({ namespace: 'team' })).items.length, 0);
  });
});
