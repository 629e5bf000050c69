// The SEEDS pattern 5 pair and one scenario per cause on a real node (real kubelet, containerd, runc, CNI bridge, kube-proxy):
// the no-preStop rollout drops requests and names terminating-endpoint, the graceful twin drops
// none, both summaries say they ran on containerd, and the host is left as it was.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Summary } from '../../../src/types.js';
import { KUBE_VERSION } from '../../../src/lab/kube/binaries.js';
import { runOnRealNode, skipUnlessRealNode, unavailable } from './env.js';

const dir = mkdtempSync(join(tmpdir(), 'zdprobe-real-node-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const runScenario = (scenario: string): ReturnType<typeof runOnRealNode> => {
  assert.equal(unavailable, undefined, unavailable);
  return runOnRealNode(dir, scenario);
};

const causesOf = (s: Summary): string[] => [...new Set(s.incidents.flatMap((i) => i.causes.map((c) => c.id)))];

/** One scenario per cause rule, run on every CI run. */
const PER_CAUSE: Array<[scenario: string, cause: string]> = [
  ['rolling-update-no-readiness', 'not-ready-traffic'],
  ['single-replica-max-unavailable', 'no-ready-endpoints'],
  ['grace-period-too-short', 'grace-period-exceeded'],
  ['keepalive-reuse', 'keepalive-reuse'],
  ['istio-subset-order', 'route-config'],
  ['oom-killed', 'oom-killed'],
  ['liveness-restart', 'liveness-restart'],
  ['eviction', 'eviction'],
  ['scale-down', 'scale-down'],
  ['bad-version', 'bad-version'],
  ['proxy-lag', 'proxy-lag'],
  ['upstream-keepalive-race', 'upstream-keepalive-race'],
  ['abrupt-shutdown', 'abrupt-shutdown'],
];

describe('lab scenarios on a real node', { skip: skipUnlessRealNode, timeout: 5_400_000 }, () => {
  it('rolling-update-no-prestop drops requests and names terminating-endpoint', async () => {
    const { code, summary, out } = await runScenario('rolling-update-no-prestop');
    assert.equal(code, 0, `expectations not met:\n${out}`);
    assert.ok(summary.totals.failed + summary.totals.late > 0, 'requests were dropped');
    assert.ok(causesOf(summary).includes('terminating-endpoint'), `causes named: ${causesOf(summary).join(', ')}`);
    const node = summary.cluster.nodes?.[0];
    assert.ok(node, 'cluster.nodes lists the node');
    assert.equal(node.kubeletVersion, KUBE_VERSION);
    assert.match(node.containerRuntimeVersion, /^containerd:\/\/\d/);
  });

  it('rolling-update-graceful drops none', async () => {
    const { code, summary, out } = await runScenario('rolling-update-graceful');
    assert.equal(code, 0, `expectations not met:\n${out}`);
    assert.equal(summary.totals.failed + summary.totals.late, 0);
    assert.match(summary.cluster.nodes?.[0]?.containerRuntimeVersion ?? '', /^containerd:\/\//);
  });

  for (const [scenario, cause] of PER_CAUSE) {
    it(`${scenario} meets its expectations and names ${cause}`, async () => {
      const { code, summary, out } = await runScenario(scenario);
      assert.equal(code, 0, `expectations not met:\n${out}`);
      assert.ok(causesOf(summary).includes(cause), `causes named: ${causesOf(summary).join(', ')}`);
      assert.match(summary.cluster.nodes?.[0]?.containerRuntimeVersion ?? '', /^containerd:\/\//);
    });
  }
});
