import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRules } from '../../../src/analyze/rules/index.js';
import { deployMaxUnavailable, scaled, unavailableBudget } from '../../../src/analyze/rules/rollout-strategy.js';
import { buildIndex } from '../../../src/analyze/rules/index-objects.js';
import type { KubeObject } from '../../../src/types.js';

test('int-or-percent values scale and round like the controllers', () => {
  assert.equal(scaled(2, 10, false), 2);
  assert.equal(scaled('2', 10, false), 2);
  assert.equal(scaled('25%', 3, false), 0);
  assert.equal(scaled('25%', 3, true), 1);
  assert.equal(scaled('30%', 10, false), 3);
  assert.equal(scaled('50%', 3, false), 1);
  assert.equal(scaled('100%', 4, false), 4);
});

const workload = (kind: string, apiVersion: string, spec: object): KubeObject => ({
  apiVersion, kind, metadata: { name: 'w' },
  spec: { ...spec, template: { metadata: { labels: { app: 'w' } }, spec: { containers: [] } } },
});
const dep = (spec: object): KubeObject => workload('Deployment', 'apps/v1', spec);
const ru = (replicas: number, rollingUpdate: object): object => ({ replicas, strategy: { type: 'RollingUpdate', rollingUpdate } });
const budget = (o: KubeObject): number | null => {
  const w = buildIndex([{ obj: o }]).workloads[0];
  return w ? unavailableBudget(w)?.unavailable ?? null : null;
};

const budgetCases: Array<[string, KubeObject, number | null]> = [
  ['Deployment defaults, 1 replica: 25% rounds down to 0', dep({}), 0],
  ['Deployment defaults, 4 replicas: 1', dep({ replicas: 4 }), 1],
  ['Deployment maxUnavailable 1', dep(ru(1, { maxUnavailable: 1, maxSurge: 0 })), 1],
  ['Deployment 0 and 0% surge: upstream makes it 1', dep(ru(1, { maxUnavailable: 0, maxSurge: '0%' })), 1],
  ['Deployment 20% of 3 with surge 1: 0', dep(ru(3, { maxUnavailable: '20%', maxSurge: 1 })), 0],
  ['Deployment Recreate: all replicas', dep({ replicas: 3, strategy: { type: 'Recreate' } }), 3],
  ['StatefulSet: at least 1', workload('StatefulSet', 'apps/v1', { replicas: 1 }), 1],
  ['StatefulSet OnDelete: not judged', workload('StatefulSet', 'apps/v1', { updateStrategy: { type: 'OnDelete' } }), null],
  ['CloneSet default 20% of 1 rounds up to 1', workload('CloneSet', 'apps.kruise.io/v1alpha1', { replicas: 1 }), 1],
  ['CloneSet default 20% of 10 is 2', workload('CloneSet', 'apps.kruise.io/v1alpha1', { replicas: 10 }), 2],
  ['DaemonSet: not judged', workload('DaemonSet', 'apps/v1', {}), null],
  ['Argo canary defaults like a Deployment', workload('Rollout', 'argoproj.io/v1alpha1', { replicas: 4, strategy: { canary: {} } }), 1],
  ['Argo blue/green: not judged', workload('Rollout', 'argoproj.io/v1alpha1', { strategy: { blueGreen: {} } }), null],
];

for (const [name, obj, expected] of budgetCases) {
  test(`unavailable budget: ${name}`, () => assert.equal(budget(obj), expected));
}

const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'w' }, spec: { selector: { app: 'w' } } };
const flagCases: Array<[string, KubeObject, string[]]> = [
  ['one replica, maxUnavailable 1: ready falls to 0', dep(ru(1, { maxUnavailable: 1, maxSurge: 0 })), ['error']],
  ['one replica, maxUnavailable 0, maxSurge 1: fine', dep(ru(1, { maxUnavailable: 0, maxSurge: 1 })), []],
  ['three replicas, maxUnavailable 100%', dep(ru(3, { maxUnavailable: '100%' })), ['error']],
  ['three replicas, maxUnavailable 3', dep(ru(3, { maxUnavailable: 3 })), ['error']],
  ['three replicas, maxUnavailable 2: one stays', dep(ru(3, { maxUnavailable: 2 })), []],
  ['Recreate', dep({ replicas: 2, strategy: { type: 'Recreate' } }), ['error']],
  ['zero replicas: nothing to keep', dep(ru(0, { maxUnavailable: 1 })), []],
  ['a single-replica StatefulSet', workload('StatefulSet', 'apps/v1', { replicas: 1 }), ['error']],
];

for (const [name, obj, expected] of flagCases) {
  test(`deploy-max-unavailable: ${name}`, () => {
    assert.deepEqual(runRules([{ obj }, { obj: svc }], [deployMaxUnavailable]).map((f) => f.severity), expected);
  });
}

test('deploy-max-unavailable without any Service in the input is a warning', () => {
  const found = runRules([{ obj: dep(ru(1, { maxUnavailable: 1, maxSurge: 0 })) }], [deployMaxUnavailable]);
  assert.deepEqual(found.map((f) => f.severity), ['warning']);
});
