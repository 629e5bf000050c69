// With the watch cache off, an etcd compaction alone (no apiserver restart) expires old resourceVersions.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { NOT_BUILT_MESSAGE } from '../../../src/lab/kube/binaries.js';
import { startKubeControlPlane, type KubeControlPlane } from '../../../src/lab/kube/control-plane.js';
import { httpCall } from '../../../src/lab/kube/wait-ready.js';
import { built, isGone, loadKubeconfig, skipUnlessBuilt, tokenOf } from './env.js';

describe('real control plane without the watch cache', { skip: skipUnlessBuilt, timeout: 600_000 }, () => {
  let dir = '';
  let cp: KubeControlPlane | undefined;

  before(async () => {
    if (!built) return;
    dir = mkdtempSync(join(tmpdir(), 'zdprobe-kube-nocache-'));
    cp = await startKubeControlPlane({ dir, watchCache: false, startTimeoutMs: 180_000 });
  });

  after(async () => {
    await cp?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends an expired watch an ERROR event with code 410 after compact(), without restarting', async () => {
    assert.ok(cp, built ? 'control plane did not start' : NOT_BUILT_MESSAGE);
    const core = loadKubeconfig(cp.kubeconfig).makeApiClient(CoreV1Api);
    const oldRv = (await core.listNamespacedConfigMap({ namespace: 'default' })).metadata?.resourceVersion;
    assert.ok(oldRv);
    for (let i = 0; i < 3; i++) {
      await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: `churn-${i}` } } });
    }
    const pids = cp.pids();
    const watch = `${cp.url}/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=3&resourceVersion=${oldRv}`;
    const token = tokenOf(cp.kubeconfig);
    const before = await httpCall(watch, { token, timeoutMs: 20_000 });
    assert.equal(isGone(before), false, before.body.slice(0, 300));
    assert.match(before.body, /churn-2/);
    await cp.compact();
    assert.deepEqual(cp.pids(), pids, 'compact() must not restart anything when the watch cache is off');
    const gone = await httpCall(watch, { token, timeoutMs: 20_000 });
    assert.equal(gone.status, 200);
    assert.match(gone.body, /"type":"ERROR"/);
    assert.ok(isGone(gone), gone.body.slice(0, 300));
  });
});
