// A lab scenario's probes are one plan, built the way the CLI's --plan builds one: a ProbeConfig per
// probe, named after it, each with its own path, Host and routing headers (shown, for split checks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadScenario } from '../../src/lab/scenario/scenario.js';
import { scenarioPlan } from '../../src/lab/scenario/run-scenario.js';

const INGRESS = 'http://127.0.0.1:8080/';

test('ingress-blue-green is one plan: / and /green/ as two targets of one run', () => {
  const sc = loadScenario('ingress-blue-green');
  const plan = scenarioPlan(sc, sc.probes.map(() => INGRESS));
  assert.deepEqual(plan.targets.map((t) => [t.name, t.url, t.rps]), [['main', `${INGRESS}`, 30], ['green-tester', `${INGRESS}green/`, 10]]);
  assert.equal(plan.targets[0]!.gate.expectVersion, '1.24.0');
});

test('istio-header-route (Bookinfo) is one plan: plain and end-user: test-user traffic side by side', () => {
  const sc = loadScenario('istio-header-route');
  const plan = scenarioPlan(sc, sc.probes.map(() => INGRESS));
  assert.deepEqual(plan.targets.map((t) => t.name), ['main', 'test-user']);
  assert.deepEqual(plan.targets.map((t) => t.headers), [{ Host: 'reviews' }, { Host: 'reviews', 'end-user': 'test-user' }]);
  assert.deepEqual(plan.targets[1]!.showHeaders, ['end-user']);
});
