// The rolling-update incident scenarios, each run end to end in the lab (real processes, real nginx
// when installed): the incident must happen and the analysis must name its cause.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ScenarioResult } from '../../../src/lab/scenario/run-scenario.js';
import { runLabScenario, LAB_TEST_TIMEOUT } from '../../helpers/lab-lock.js';

const failedChecks = (r: ScenarioResult): string =>
  r.probes.flatMap((p) => p.checks.filter((c) => !c.passed).map((c) => `${p.probe.name}: ${c.name} (${c.detail})`)).join('; ');

/** Every probe's causes, for a failure message that shows what was named instead. */
const causes = (r: ScenarioResult): string =>
  r.probes.map((p) => `${p.probe.name}: ${[...new Set(p.summary.incidents.flatMap((i) => i.causes.map((c) => c.id)))].join(', ') || 'none'}`).join('; ');

async function run(name: string): Promise<ScenarioResult> {
  const r = await runLabScenario(name);
  assert.ok(r.passed, `${name} (${r.engine} ingress): failed checks: ${failedChecks(r)}; causes named: ${causes(r)}`);
  // A passing scenario ran its checks: a scenario without expectations would pass vacuously.
  assert.ok(r.probes.every((p) => p.checks.length > 0), `${name}: a probe had no expectation to check`);
  return r;
}

test('rolling-update-no-readiness: a slow starter without readinessProbe gets traffic before it listens', { timeout: LAB_TEST_TIMEOUT }, async () => {
  const s = (await run('rolling-update-no-readiness')).probes[0]!.summary;
  assert.ok(s.findings.some((f) => f.id === 'deploy-no-readiness'), 'the config audit names the missing readinessProbe');
});

test('single-replica-max-unavailable: the only pod goes before its successor is ready', { timeout: LAB_TEST_TIMEOUT }, async () => {
  const s = (await run('single-replica-max-unavailable')).probes[0]!.summary;
  assert.ok(s.failureWindows.every((w) => Object.keys(w.kinds).every((k) => k === '503')), `only 503s expected: ${JSON.stringify(s.failureWindows.map((w) => w.kinds))}`);
});

test('grace-period-too-short: SIGKILL at the end of a 2 s grace period cuts requests in flight', { timeout: LAB_TEST_TIMEOUT }, async () => {
  await run('grace-period-too-short');
});

test('keepalive-reuse: only connections kept on a stopping pod fail; the ingress probe sees nothing', { timeout: LAB_TEST_TIMEOUT }, async () => {
  const r = await run('keepalive-reuse');
  const service = r.probes.find((p) => p.probe.name === 'service')!.summary;
  assert.equal(service.totals.failed, service.failureWindows.reduce((n, w) => n + (w.modes.reuse ?? 0), 0), 'every failure on a reused connection');
});
