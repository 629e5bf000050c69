import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonPatch, mergePatch, strategicMerge } from '../../../src/lab/apiserver/patch.js';

test('merge patch replaces lists and deletes keys set to null', () => {
  const doc = { a: 1, b: { c: 2, d: 3 }, l: [1, 2] };
  assert.deepEqual(mergePatch(doc, { b: { c: null, e: 4 }, l: [3] }), { a: 1, b: { d: 3, e: 4 }, l: [3] });
});

test('strategic merge: containers merge by name, env by name, ports by containerPort, kubectl directives', () => {
  const doc = {
    spec: {
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
      containers: [
        { name: 'a', image: 'x:1', env: [{ name: 'E', value: '1' }], ports: [{ containerPort: 80, protocol: 'TCP' }] },
        { name: 'b', image: 'y:1' },
      ],
      finalizers: ['f1'],
    },
  };
  const patch = {
    spec: {
      strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null },
      containers: [{ name: 'a', image: 'x:2', env: [{ name: 'F', value: '2' }] }, { name: 'b', $patch: 'delete' }],
      '$setElementOrder/containers': [{ name: 'a' }],
      '$deleteFromPrimitiveList/finalizers': ['f1'],
    },
  };
  const out = strategicMerge(doc, patch) as { spec: { strategy: unknown; containers: Array<{ name: string; image: string; env: unknown[]; ports: unknown[] }>; finalizers: string[] } };
  assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
  assert.equal(out.spec.containers.length, 1);
  assert.equal(out.spec.containers[0]?.image, 'x:2');
  assert.equal(out.spec.containers[0]?.env.length, 2);
  assert.equal(out.spec.containers[0]?.ports.length, 1);
  assert.deepEqual(out.spec.finalizers, []);
});

test('json patch: add, replace, remove, move, copy and a failing test op', () => {
  const doc = { a: { b: [1, 2] }, c: 'x' };
  const out = jsonPatch(doc, [
    { op: 'add', path: '/a/b/-', value: 3 },
    { op: 'replace', path: '/c', value: 'y' },
    { op: 'copy', from: '/c', path: '/d' },
    { op: 'move', from: '/d', path: '/e' },
    { op: 'remove', path: '/a/b/0' },
    { op: 'add', path: '/k~1v', value: 1 },
  ]);
  assert.deepEqual(out, { a: { b: [2, 3] }, c: 'y', e: 'y', 'k/v': 1 });
  assert.deepEqual(doc, { a: { b: [1, 2] }, c: 'x' });
  assert.throws(() => jsonPatch(doc, [{ op: 'test', path: '/c', value: 'nope' }]), { code: 422 });
  assert.throws(() => jsonPatch(doc, [{ op: 'remove', path: '/zz' }]), { code: 422 });
});
