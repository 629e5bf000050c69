import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fenceposts, maxUnavailable, scaleNew, scaleOld, scaledValue } from '../../../src/lab/controllers/deployment-math.js';
import type { RsView } from '../../../src/lab/controllers/deployment-math.js';
import { deployment } from './fixtures.js';

const view = (name: string, replicas: number, available: number, created: number): RsView => ({
  name, replicas, actual: replicas, ready: available, available, created, revision: 1,
});

test('percent values round surge up and unavailable down, as upstream', () => {
  const cases: Array<[string | number, number, boolean, number]> = [
    ['25%', 3, true, 1], ['25%', 3, false, 0], ['50%', 3, true, 2], ['50%', 3, false, 1], [2, 10, true, 2], ['100%', 4, false, 4],
  ];
  for (const [v, total, up, want] of cases) assert.equal(scaledValue(v, total, up, '25%'), want, `${v} of ${total}`);
});

test('maxSurge 0 and maxUnavailable 0 resolve to unavailable 1', () => {
  const d = deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } });
  assert.deepEqual(fenceposts(d), { surge: 0, unavailable: 1 });
});

test('defaults are 25% / 25% and Recreate has no unavailable budget', () => {
  assert.deepEqual(fenceposts(deployment({ replicas: 4 })), { surge: 1, unavailable: 1 });
  assert.equal(maxUnavailable(deployment({ strategy: { type: 'Recreate' } })), 0);
});

test('surge 1 / unavailable 0: the new RS grows by one, old pods go only once new ones are available', () => {
  const d = deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } });
  const old = view('web-old', 3, 3, 0);
  const fresh = view('web-new', 0, 0, 1);
  assert.deepEqual(scaleNew(d, [old, fresh], fresh), { name: 'web-new', from: 0, to: 1 });
  const grown = view('web-new', 1, 0, 1);
  assert.equal(scaleNew(d, [old, grown], grown), undefined, 'no surge left');
  assert.deepEqual(scaleOld(d, [old], grown), [], 'nothing available yet');
  const ready = view('web-new', 1, 1, 1);
  assert.deepEqual(scaleOld(d, [old], ready), [{ name: 'web-old', from: 3, to: 2 }]);
});

test('unhealthy old replicas are cleaned up first', () => {
  const d = deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } });
  const old = view('web-old', 3, 1, 0);
  const fresh = view('web-new', 1, 1, 1);
  // 4 pods, minAvailable 2, new unavailable 0 -> may remove 2 not-available old pods.
  assert.deepEqual(scaleOld(d, [old], fresh), [{ name: 'web-old', from: 3, to: 1 }]);
});
