// The stand-in on a machine with only 127.0.0.1 (macOS): pods keep distinct IPs in the API and
// listen on 127.0.0.1 at ports of their own. Forced here with ZDPROBE_LAB_NETWORK=shared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab } from '../../src/lab/start-lab.js';
import { applyAll, objectApi } from '../../src/lab/scenario/run-steps.js';
import { loadScenario } from '../../src/lab/scenario/scenario.js';
import { choosePodNetwork, sharedNetwork } from '../../src/lab/kubelet/pod-network.js';
import type { KubeObject } from '../../src/types.js';
import { runCli } from '../helpers/cli.js';
import { withLabLock, LAB_TEST_TIMEOUT } from '../helpers/lab-lock.js';

function get(url: string): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.end();
  });
}

test('the shared pod network is chosen when the lab address cannot be bound, aliases when it can', async () => {
  // 192.0.2.1 (TEST-NET-1) is on no interface: binding it fails as 127.0.0.2 does on macOS
  assert.equal((await choosePodNetwork('192.0.2.1', undefined)).mode, 'shared');
  assert.equal((await choosePodNetwork('127.0.0.1', undefined)).mode, 'aliases');
  assert.equal((await choosePodNetwork('127.0.0.1', 'shared')).mode, 'shared');
});

test('the shared network gives each pod port its own port of 127.0.0.1, the same one each time', async (t) => {
  const net = sharedNetwork(30_000, 3);
  t.after(() => net.close());
  assert.deepEqual([net.socket('127.9.9.2', 8080), net.socket('127.9.9.3', 8080), net.socket('127.9.9.2', 8080)], [
    { host: '127.0.0.1', port: 30_000 }, { host: '127.0.0.1', port: 30_001 }, { host: '127.0.0.1', port: 30_000 },
  ]);
  net.release('127.9.9.2');
  assert.equal(net.socket('127.9.9.4', 8080).port, 30_002, 'fresh ports first');
  assert.equal(net.socket('127.9.9.5', 8080).port, 30_000, 'then freed ones');
});

test('a lab on the shared network runs pods on 127.0.0.1 only and routes to them through the ingress', { timeout: LAB_TEST_TIMEOUT }, async () => {
  await withLabLock(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zdprobe-shared-lab-'));
    process.env['ZDPROBE_LAB_NETWORK'] = 'shared';
    const lab = await startLab({ dir }).finally(() => delete process.env['ZDPROBE_LAB_NETWORK']);
    try {
      assert.equal(lab.network, 'shared');
      const api = objectApi(lab.kubeconfig);
      await applyAll(api, loadScenario('rolling-update-graceful').manifests);
      let pods: KubeObject[] = [];
      for (let i = 0; i < 300 && pods.length < 2; i++) {
        const list = await api.list('v1', 'Pod', 'default');
        pods = (list.items as KubeObject[]).filter((p) => p.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'));
        if (pods.length < 2) await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(pods.length, 2, 'both pods became ready (the readiness probe reached them)');
      const ips = pods.map((p) => String(p.status?.podIP));
      assert.equal(new Set(ips).size, 2, `distinct pod IPs in the API: ${ips}`);
      for (const ip of ips) {
        assert.match(ip, /^127\./);
        const at = lab.addressMap(ip, 8080);
        assert.equal(at.host, '127.0.0.1');
        assert.match(JSON.stringify(await get(`http://127.0.0.1:${at.port}/`)), /"status":200/);
        assert.deepEqual(await get(`http://${ip}:8080/`), { error: 'ECONNREFUSED' }, 'nothing listens on the alias');
      }
      assert.notEqual(lab.addressMap(ips[0]!, 8080).port, lab.addressMap(ips[1]!, 8080).port);
      // the ingress sees endpoint changes after its propagation delay
      let viaIngress = await get(lab.ingressUrl);
      for (let i = 0; i < 50 && !('status' in viaIngress && viaIngress.status === 200); i++) {
        await new Promise((r) => setTimeout(r, 200));
        viaIngress = await get(lab.ingressUrl);
      }
      assert.ok('status' in viaIngress && viaIngress.status === 200 && /Version 1/.test(viaIngress.body), JSON.stringify(viaIngress));
    } finally {
      await lab.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('a rolling update on the shared network still drops nothing (rolling-update-graceful)', { timeout: LAB_TEST_TIMEOUT }, async () => {
  const r = await withLabLock(() => runCli(['lab', 'run', 'rolling-update-graceful'], { timeoutMs: 170_000, env: { ZDPROBE_LAB_NETWORK: 'shared' } }));
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /EXPECTATIONS MET/);
});
