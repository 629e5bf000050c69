import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchFields, parseFieldSelector, parseLabelSelector } from '../../../src/lab/apiserver/field-selector.js';
import { pod, withLab } from './helpers.js';

// Which labels match is test/kube/selector.test.ts; here the API's answer to a bad one.
test('a malformed label selector is a 400 BadRequest', () => {
  assert.throws(() => parseLabelSelector('app in (x'), { code: 400 });
});

test('field selectors read dotted paths; missing fields read as empty', () => {
  const obj = { metadata: { name: 'a', namespace: 'default' }, spec: { nodeName: 'n1' }, status: { phase: 'Running' } };
  assert.equal(matchFields(parseFieldSelector('metadata.name=a,spec.nodeName=n1'), obj), true);
  assert.equal(matchFields(parseFieldSelector('status.phase!=Running'), obj), false);
  assert.equal(matchFields(parseFieldSelector('spec.nodeName='), { spec: {} }), true);
  assert.equal(matchFields(parseFieldSelector('metadata.namespace==default'), obj), true);
});

test('list through the API honours set-based label selectors and field selectors', async () => {
  await withLab(async ({ core }) => {
    await core.createNamespacedPod({ namespace: 'default', body: pod('a', { app: 'web', version: 'v1' }) });
    await core.createNamespacedPod({ namespace: 'default', body: pod('b', { app: 'web', version: 'v2' }) });
    await core.createNamespacedPod({ namespace: 'default', body: pod('c', { app: 'db' }) });
    const names = async (labelSelector?: string, fieldSelector?: string) =>
      (await core.listNamespacedPod({ namespace: 'default', labelSelector, fieldSelector })).items.map((p) => p.metadata?.name);
    assert.deepEqual(await names('app=web'), ['a', 'b']);
    assert.deepEqual(await names('version in (v2,v3)'), ['b']);
    assert.deepEqual(await names('version notin (v2)'), ['a', 'c']);
    assert.deepEqual(await names('!version'), ['c']);
    assert.deepEqual(await names('version'), ['a', 'b']);
    assert.deepEqual(await names(undefined, 'metadata.name=c'), ['c']);
    assert.deepEqual(await names(undefined, 'status.phase=Pending,metadata.name!=a'), ['b', 'c']);
    const all = await core.listPodForAllNamespaces({ limit: 1 });
    assert.equal(all.items.length, 3);
  });
});
