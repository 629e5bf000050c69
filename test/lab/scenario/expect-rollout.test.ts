// The `rollout: promoted|aborted` expectation reads the Argo Rollout's end from the probe's own
// recorded cluster events, as Argo's controller wrote them into the Rollout's status.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkExpectations } from '../../../src/lab/scenario/expect.js';
import { analyse, ev, recording } from '../../fixtures/recordings/build.js';

const argo = (s: number, step: number | null, phase: string, message: string | null = null) =>
  ev(s, 'web', { kind: 'rollout', type: 'changed', flavor: 'argo', step, steps: 3, weight: null, state: null, phase, message, change: 'updated' });

const ABORTED = 'RolloutAborted: Rollout aborted update to revision 2: Background analysis phase error/failed: Metric "zdprobe" assessed Failed due to failed (1) > failureLimit (0)';

const cases: Array<{ name: string; events: ReturnType<typeof argo>[]; want: 'promoted' | 'aborted'; passed: boolean }> = [
  { name: 'a rollout seen progressing that ends Healthy is promoted', events: [argo(1, 0, 'Progressing'), argo(2, 1, 'Paused'), argo(4, 3, 'Healthy')], want: 'promoted', passed: true },
  { name: 'a rollout that ends Degraded with the abort message is aborted', events: [argo(1, 0, 'Progressing'), argo(3, 1, 'Degraded', ABORTED)], want: 'aborted', passed: true },
  { name: 'an aborted rollout is not promoted', events: [argo(1, 0, 'Progressing'), argo(3, 1, 'Degraded', ABORTED)], want: 'promoted', passed: false },
  { name: 'a rollout never seen moving is not promoted, even if Healthy', events: [argo(4, 3, 'Healthy')], want: 'promoted', passed: false },
  { name: 'Degraded for another reason (no abort) is not an abort', events: [argo(1, 0, 'Progressing'), argo(3, 1, 'Degraded', 'ProgressDeadlineExceeded: timed out')], want: 'aborted', passed: false },
  { name: 'no rollout event at all passes neither', events: [], want: 'aborted', passed: false },
];

for (const c of cases) {
  test(c.name, () => {
    const summary = analyse(recording({ seconds: 5, rps: 2, events: c.events }));
    const checks = checkExpectations({ rollout: c.want }, summary);
    assert.equal(checks.length, 1);
    assert.equal(checks[0]!.name, `Argo rollout ${c.want}`);
    assert.equal(checks[0]!.passed, c.passed, checks[0]!.detail);
  });
}
