// Every SEEDS pattern as manifests, broken and fixed: the broken variant shows exactly the
// findings that explain its dropped requests, the fixed variant shows none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadManifests } from '../../../src/analyze/load-manifests.js';
import { runRules } from '../../../src/analyze/rules/index.js';

const DIR = fileURLToPath(new URL('../../../../test/fixtures/manifests/', import.meta.url));
const noStdin = (): Promise<string> => Promise.reject(new Error('no stdin'));

const cases: Array<[string, string[]]> = [
  ['istio-subsets/broken-order.yaml', ['warning svc-selects-version Service/sample/helloworld', 'error vs-unknown-subset VirtualService/sample/helloworld']],
  ['istio-subsets/broken-retire.yaml', ['error dr-subset-no-workload DestinationRule/sample/helloworld', 'warning vs-weights-sum VirtualService/sample/helloworld']],
  ['istio-subsets/fixed.yaml', []],
  ['nginx-bluegreen/broken.yaml', [
    'error deploy-no-readiness Deployment/nginx-v1.22.0', 'warning deploy-no-prestop Deployment/nginx-v1.22.0',
    'error deploy-no-readiness Deployment/nginx-v1.24.0', 'error deploy-grace-too-short Deployment/nginx-v1.24.0']],
  ['nginx-bluegreen/fixed.yaml', []],
  ['bookinfo-canary/broken.yaml', ['error vs-missing-fallback VirtualService/bookinfo/reviews']],
  ['bookinfo-canary/fixed.yaml', []],
  ['kruise-rollout/broken.yaml', ['warning rollout-steps-decreasing Rollout/demo/rollouts-demo']],
  ['kruise-rollout/fixed.yaml', []],
  ['argo-rollout/broken.json', ['error deploy-max-unavailable Rollout/shop/checkout', 'warning rollout-steps-decreasing Rollout/shop/checkout']],
  ['argo-rollout/fixed.json', []],
  ['rolling-update/broken.yaml', ['error deploy-max-unavailable Deployment/site', 'error deploy-grace-too-short Deployment/site']],
  ['rolling-update/as-written.yaml', ['warning deploy-no-prestop Deployment/site']],
  ['rolling-update/fixed.yaml', []],
];

for (const [file, expected] of cases) {
  test(`${file}: ${expected.length ? expected.map((e) => e.split(' ')[1]).join(', ') : 'no findings'}`, async () => {
    const found = runRules(await loadManifests([DIR + file], noStdin));
    assert.deepEqual(found.map((f) => `${f.severity} ${f.id} ${f.object}`), expected);
  });
}
