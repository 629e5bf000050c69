import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { ScenarioResult } from '../../../src/lab/scenario/run-scenario.js';
import { runCli } from '../../helpers/cli.js';
import { runLabScenario, withLabLock, LAB_TEST_TIMEOUT } from '../../helpers/lab-lock.js';

const failed = (r: ScenarioResult): string =>
  r.probes.flatMap((p) => p.checks.filter((c) => !c.passed).map((c) => `${p.probe.name}: ${c.name} (${c.detail})`)).join('; ');

test('rolling-update-no-prestop drops requests and names the terminating endpoint', { timeout: LAB_TEST_TIMEOUT }, async () => {
  const r = await runLabScenario('rolling-update-no-prestop');
  assert.ok(r.passed, failed(r));
  const s = r.probes[0]!.summary;
  assert.ok(s.totals.failed > 0);
  assert.equal(s.totals.scheduled, s.totals.ok + s.totals.failed + s.totals.late);
  assert.ok(s.findings.some((f) => f.id === 'deploy-no-prestop'), 'the config audit names the missing preStop hook');
  // The watcher read the Node objects: the stand-in kubelet says honestly what it is.
  assert.match(s.cluster.nodes?.[0]?.containerRuntimeVersion ?? '', /^lab:\/\//);
});

test('rolling-update-graceful rolls the same way without dropping a request', { timeout: LAB_TEST_TIMEOUT }, async () => {
  const r = await runLabScenario('rolling-update-graceful');
  assert.ok(r.passed, failed(r));
  assert.equal(r.probes[0]!.summary.totals.failed, 0);
  assert.deepEqual(Object.keys(r.probes[0]!.summary.versions).sort(), ['1', '2']);
});

test('lab run exits 0 when the expectations hold and prints them', { timeout: LAB_TEST_TIMEOUT }, async () => {
  const r = await withLabLock(() => runCli(['lab', 'run', 'rolling-update-graceful'], { timeoutMs: 170_000 }));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /EXPECTATIONS MET/);
});

test('lab run with an unknown scenario is a usage error that lists the scenarios', async () => {
  const r = await runCli(['lab', 'run', 'no-such-scenario']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown scenario "no-such-scenario": choose one of .*rolling-update-graceful/);
});

test('Ctrl-C during lab run ends the steps, still reports, and leaves no nginx of that lab behind', { timeout: LAB_TEST_TIMEOUT }, async () => {
  const r = await withLabLock(() =>
    runCli(['lab', 'run', 'rolling-update-graceful'], {
      timeoutMs: 170_000,
      onSpawn: (c) => {
        let sent = false;
        c.stderr?.on('data', (d: Buffer) => {
          if (!sent && /step 3\/3/.test(String(d))) {
            sent = true;
            setTimeout(() => c.kill('SIGINT'), 500);
          }
        });
      },
    }),
  );
  assert.equal(r.code, 130, 'an interrupted run exits as interrupted and does not claim its expectations held');
  assert.match(r.stderr, /stopping the lab run/);
  assert.match(r.stdout, /interrupted; its expectations were not judged/);
  assert.doesNotMatch(r.stdout, /EXPECTATIONS MET/);
  const stray = execFileSync('ps', ['-eo', 'args']).toString().split('\n').filter((l) => l.includes('zdprobe-lab-rolling-update-graceful-') && l.includes('nginx'));
  assert.deepEqual(stray, []);
});
