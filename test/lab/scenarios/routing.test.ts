// The routing scenarios (SEEDS patterns 1-4) run end to end in the lab, each with its expectations checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadScenario } from '../../../src/lab/scenario/scenario.js';
import type { ScenarioResult } from '../../../src/lab/scenario/run-scenario.js';
import { runLabScenario, LAB_TEST_TIMEOUT } from '../../helpers/lab-lock.js';

const failedChecks = (r: ScenarioResult): string =>
  r.probes.flatMap((p) => p.checks.filter((c) => !c.passed).map((c) => `${p.probe.name}: ${c.name} (${c.detail})`)).join('; ') || 'no failed check (aborted?)';

const cases: Array<[name: string, what: string]> = [
  ['istio-canary-weights', 'shifts VirtualService weights 100/0 -> 90/10 -> 50/50 -> 0/100 with every split matched and nothing dropped'],
  ['istio-header-route', 'sends the end-user: test-user header to v2 only and everyone else to v1 only'],
  ['istio-missing-fallback', 'fails unmatched requests once the catch-all route is gone and names route-config'],
  ['istio-subset-order', 'answers 503 while weight goes to a subset the DestinationRule lacks and names route-config'],
  ['ingress-blue-green', 'switches / from blue to green in one Ingress edit without a drop, green-only under /green'],
  ['kruise-canary-steps', 'walks the Kruise header, 50% and 80% steps to completion with matching splits and no drop'],
];

for (const [name, what] of cases) {
  test(`${name} ${what}`, { timeout: LAB_TEST_TIMEOUT }, async () => {
    const r = await runLabScenario(name);
    assert.ok(r.passed, `${name}: ${failedChecks(r)}`);
    const probes = loadScenario(name).probes.map((p) => p.name);
    assert.equal(r.probes.length, probes.length);
    // the scenario ran as one plan: one run, a target per probe, the run's totals their sum
    assert.deepEqual(Object.keys(r.summary.targets), probes);
    const sum = (k: 'scheduled' | 'ok' | 'failed' | 'late') => Object.values(r.summary.targets).reduce((n, t) => n + t.totals[k], 0);
    assert.deepEqual([sum('scheduled'), sum('ok'), sum('failed'), sum('late')], [r.summary.totals.scheduled, r.summary.totals.ok, r.summary.totals.failed, r.summary.totals.late]);
    for (const p of r.probes) {
      const t = p.summary.totals;
      assert.equal(t.scheduled, t.ok + t.failed + t.late, `${p.probe.name}: every scheduled request counted once`);
      assert.deepEqual(t, r.summary.targets[p.probe.name]!.totals);
    }
  });
}
