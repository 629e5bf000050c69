// Scenarios also run on the real kube-apiserver and kube-controller-manager (built by
// test/kube/build.sh) with the stand-in kubelet: their expectations must hold there too, as they
// do on the lab API server (demo-pair, rolling and routing tests). The real node runs the real
// control plane as well (test/lab/real-node: one scenario per cause on every run), so by default
// this file runs the demo's scenario, the Kruise one and the newer causes' scenarios that the
// stand-in can run; ZDPROBE_CONTROL_PLANES=all runs every scenario (about 12 min).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listScenarios, loadScenario, realNodeOnly as realNodeOnlyReason } from '../../../src/lab/scenario/scenario.js';
import type { ScenarioResult } from '../../../src/lab/scenario/run-scenario.js';
import { kubeSkipReason } from '../../helpers/kube.js';
import { runLabScenario, LAB_TEST_TIMEOUT } from '../../helpers/lab-lock.js';

const failed = (r: ScenarioResult): string =>
  r.probes.flatMap((p) => p.checks.filter((c) => !c.passed).map((c) => `${p.probe.name}: ${c.name} (${c.detail})`)).join('; ');

const skip = kubeSkipReason();

/** Real Traefik or a real controller needs the real node (test/lab/real-node runs those scenarios). */
const realNodeOnly = (name: string): string | false => {
  const why = realNodeOnlyReason(loadScenario(name));
  return why ? `${why}: it runs only on the real node (test/lab/real-node)` : false;
};

const DEFAULT_SET = ['rolling-update-no-prestop', 'kruise-canary-steps', 'scale-down', 'bad-version', 'proxy-lag', 'upstream-keepalive-race'];
const selected = process.env['ZDPROBE_CONTROL_PLANES'] === 'all' ? listScenarios() : listScenarios().filter((n) => DEFAULT_SET.includes(n));

for (const name of selected) {
  test(`${name} meets its expectations on the real control plane`, { timeout: LAB_TEST_TIMEOUT, skip: skip || realNodeOnly(name) }, async () => {
    const r = await runLabScenario(name, { controlPlane: 'kube' });
    assert.equal(r.controlPlane, 'kube');
    assert.ok(r.passed, failed(r));
  });
}
