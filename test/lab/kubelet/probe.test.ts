import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpProbe, initialTally, startProber, tally } from '../../../src/lab/kubelet/probe.js';
import type { Tally } from '../../../src/lab/kubelet/probe.js';

test('readiness needs successThreshold successes in a row and failureThreshold failures in a row', () => {
  const plan = { successThreshold: 2, failureThreshold: 3 };
  const run = (results: boolean[]): boolean[] => {
    let t: Tally = initialTally;
    return results.map((ok) => (t = tally(t, ok, plan)).ready);
  };
  assert.deepEqual(run([true, false, true, true, false, false, true, false]), [false, false, false, true, true, true, true, true]);
  assert.deepEqual(run([true, true, false, false, false]), [false, true, true, true, false]);
});

async function withServer(status: () => number, fn: (port: number) => Promise<void>, delayMs = 0): Promise<void> {
  const server = createServer((_req, res) => setTimeout(() => res.writeHead(status()).end(), delayMs));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await fn((server.address() as AddressInfo).port);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

test('httpProbe: 2xx/3xx pass; other statuses, refusals and timeouts fail with kubelet-style messages', async () => {
  await withServer(() => 302, async (port) => {
    assert.deepEqual(await httpProbe('127.0.0.1', { path: '/healthz', port, timeoutMs: 1000 }), { ok: true, message: '' });
  });
  await withServer(() => 503, async (port) => {
    assert.deepEqual(await httpProbe('127.0.0.1', { path: '/healthz', port, timeoutMs: 1000 }), { ok: false, message: 'HTTP probe failed with statuscode: 503' });
  });
  await withServer(() => 200, async (port) => {
    const r = await httpProbe('127.0.0.1', { path: '/', port, timeoutMs: 100 });
    assert.equal(r.ok, false);
    assert.match(r.message, /context deadline exceeded/);
  }, 1000);
  let freePort = 0;
  await withServer(() => 200, async (port) => void (freePort = port));
  const refused = await httpProbe('127.0.0.1', { path: '/', port: freePort, timeoutMs: 1000 });
  assert.equal(refused.message, `Get "http://127.0.0.1:${freePort}/": dial tcp 127.0.0.1:${freePort}: connect: connection refused`);
});

test('the prober becomes ready after successThreshold periods and unready after failureThreshold', async () => {
  let status = 200;
  await withServer(() => status, async (port) => {
    const seen: Array<[boolean, boolean]> = [];
    const plan = { path: '/', port, initialDelayMs: 0, periodMs: 50, timeoutMs: 1000, successThreshold: 3, failureThreshold: 2 };
    let flipped: () => void = () => undefined;
    const unready = new Promise<void>((r) => (flipped = r));
    const prober = startProber('127.0.0.1', '127.0.0.1', plan, (result, now, before) => {
      seen.push([result.ok, now.ready]);
      if (before.ready && now.ready) status = 500;
      if (before.ready && !now.ready) flipped();
    });
    const timeout = setTimeout(flipped, 10_000);
    await unready;
    clearTimeout(timeout);
    prober.stop();
    assert.deepEqual(seen, [[true, false], [true, false], [true, true], [true, true], [false, true], [false, false]]);
  });
});
