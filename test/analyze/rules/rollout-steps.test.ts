import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRules } from '../../../src/analyze/rules/index.js';
import { rolloutStepsDecreasing } from '../../../src/analyze/rules/rollout-steps.js';
import type { KubeObject } from '../../../src/types.js';

const rollout = (apiVersion: string, steps: unknown[]): KubeObject => ({
  apiVersion, kind: 'Rollout', metadata: { name: 'r', namespace: 'n' }, spec: { strategy: { canary: { steps } } },
});
const KRUISE = 'rollouts.kruise.io/v1beta1';
const ARGO = 'argoproj.io/v1alpha1';

const cases: Array<[string, KubeObject, string[]]> = [
  ['Kruise 50% then 80%', rollout(KRUISE, [{ replicas: 1 }, { traffic: '50%' }, { traffic: '80%' }]), []],
  ['Kruise 50% then 20%', rollout(KRUISE, [{ replicas: 1 }, { traffic: '50%' }, { traffic: '20%' }]), ['step 3 declares 20% canary traffic, down from 50% at step 2']],
  ['Kruise v1alpha1 weight 40 then 30', rollout('rollouts.kruise.io/v1alpha1', [{ weight: 40 }, { weight: 30 }]), ['step 2 declares 30% canary traffic, down from 40% at step 1']],
  ['Kruise steps without traffic are skipped', rollout(KRUISE, [{ traffic: '20%' }, { replicas: '50%' }, { traffic: '30%' }]), []],
  ['equal traffic twice is not a decrease', rollout(KRUISE, [{ traffic: '50%' }, { traffic: '50%' }]), []],
  ['Argo setWeight 20, pause, 50, 30', rollout(ARGO, [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { setWeight: 30 }]), ['step 4 declares 30% canary traffic, down from 50% at step 3']],
  ['Argo setWeight only grows', rollout(ARGO, [{ setWeight: 20 }, { pause: { duration: '1m' } }, { setWeight: 100 }]), []],
  ['a Kruise traffic field means nothing to Argo', rollout(ARGO, [{ traffic: '50%' }, { traffic: '20%' }]), []],
];

for (const [name, obj, messages] of cases) {
  test(`rollout-steps-decreasing: ${name}`, () => {
    const found = runRules([{ obj }], [rolloutStepsDecreasing]);
    assert.deepEqual(found.map((f) => f.message), messages);
    assert.ok(found.every((f) => f.severity === 'warning' && f.object === 'Rollout/n/r'));
  });
}
