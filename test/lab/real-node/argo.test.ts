// Argo Rollouts analysis on the real node: the real controller runs a canary whose background
// analysis is the zdprobe image as a Job, probing the Service by ClusterIP. The graceful canary is
// promoted; the canary of an app without preStop is aborted on zdprobe's failing verdict (exit 1).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Summary } from '../../../src/types.js';
import { argoRolloutsUnavailable } from '../../../src/lab/real-node/argo-rollouts.js';
import { runOnRealNode, unavailable } from './env.js';

const why = unavailable ?? argoRolloutsUnavailable();
const skip: string | false = why && !process.env['CI'] ? why : false;
const dir = mkdtempSync(join(tmpdir(), 'zdprobe-argo-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(scenario: string): ReturnType<typeof runOnRealNode> {
  assert.equal(why, undefined, why);
  return runOnRealNode(dir, scenario);
}

/** The Argo Rollout's phases and messages as the probe's own watcher recorded them. */
const rolloutSeen = (s: Summary): Array<{ phase: string | null; message: string | null }> =>
  (s.clusterEvents ?? []).flatMap((e) => (e.kind === 'rollout' && e.flavor === 'argo' ? [{ phase: e.phase, message: e.message }] : []));

describe('Argo Rollouts canary analysis by the zdprobe image on the real node', { skip, timeout: 3_600_000 }, () => {
  it('argo-canary-analysis: nothing drops, the zdprobe Job passes and the canary is promoted', async () => {
    const { code, summary, out } = await run('argo-canary-analysis');
    assert.equal(code, 0, `expectations not met:\n${out}`);
    assert.equal(summary.totals.failed + summary.totals.late, 0);
    assert.equal(rolloutSeen(summary).at(-1)?.phase, 'Healthy', JSON.stringify(rolloutSeen(summary)));
  });

  it('argo-canary-analysis-no-prestop: requests drop, the zdprobe Job fails and Argo aborts the canary', async () => {
    const { code, summary, out } = await run('argo-canary-analysis-no-prestop');
    assert.equal(code, 0, `expectations not met:\n${out}`);
    assert.ok(summary.totals.failed + summary.totals.late > 0, 'requests were dropped');
    const last = rolloutSeen(summary).at(-1);
    assert.equal(last?.phase, 'Degraded', JSON.stringify(rolloutSeen(summary)));
    // Argo's own words: the background analysis failed because the zdprobe metric (the Job) failed.
    assert.match(last?.message ?? '', /RolloutAborted.*analysis.*Metric "zdprobe" assessed Failed/s);
  });
});
