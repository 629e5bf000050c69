// Every scenario also runs on the real kube-apiserver and kube-controller-manager (built by
// test/kube/build.sh): its expectations must hold there too, as they do on the lab API server
// (demo-pair, rolling and routing tests), so the two control planes give the same verdict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listScenarios, loadScenario } from '../../../src/lab/scenario/scenario.js';
import type { ScenarioResult } from '../../../src/lab/scenario/run-scenario.js';
import { kubeSkipReason } from '../../helpers/kube.js';
import { runLabScenario, LAB_TEST_TIMEOUT } from '../../helpers/lab-lock.js';

const failed = (r: ScenarioResult): string =>
  r.probes.flatMap((p) => p.checks.filter((c) => !c.passed).map((c) => `${p.probe.name}: ${c.name} (${c.detail})`)).join('; ');

const skip = kubeSkipReason();

/** Real Traefik and `node: real` scenarios need the real node (test/lab/real-node runs those). */
const realNodeOnly = (name: string): string | false => {
  const s = loadScenario(name);
  if (s.ingress.controller === 'traefik') return 'real Traefik runs only on the real node (test/lab/real-node)';
  return s.realNodeOnly ? 'it needs a real node (node: real): OOM killer, liveness probes, Eviction API' : false;
};

for (const name of listScenarios()) {
  test(`${name} meets its expectations on the real control plane`, { timeout: LAB_TEST_TIMEOUT, skip: skip || realNodeOnly(name) }, async () => {
    const r = await runLabScenario(name, { controlPlane: 'kube' });
    assert.equal(r.controlPlane, 'kube');
    assert.ok(r.passed, failed(r));
  });
}
