import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { execProbe, httpProbe, tcpProbe } from '../../../src/lab/kubelet/probe.js';

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

async function freePort(): Promise<number> {
  let port = 0;
  await withServer(() => 200, async (p) => void (port = p));
  return port;
}

test('httpProbe: 2xx/3xx pass; other statuses, refusals and timeouts fail with kubelet-style messages', async () => {
  await withServer(() => 302, async (port) => {
    assert.deepEqual(await httpProbe('127.0.0.1', { path: '/healthz', port, timeoutMs: 1000 }), { outcome: 'success', message: '' });
  });
  await withServer(() => 503, async (port) => {
    assert.deepEqual(await httpProbe('127.0.0.1', { path: '/healthz', port, timeoutMs: 1000 }), { outcome: 'failure', message: 'HTTP probe failed with statuscode: 503' });
  });
  await withServer(() => 200, async (port) => {
    const r = await httpProbe('127.0.0.1', { path: '/', port, timeoutMs: 100 });
    assert.equal(r.outcome, 'failure');
    assert.match(r.message, /context deadline exceeded/);
  }, 1000);
  const port = await freePort();
  const refused = await httpProbe('127.0.0.1', { path: '/', port, timeoutMs: 1000 });
  assert.equal(refused.message, `Get "http://127.0.0.1:${port}/": dial tcp 127.0.0.1:${port}: connect: connection refused`);
});

test('tcpProbe: a listening port passes, a closed one fails as the kubelet words it', async () => {
  await withServer(() => 200, async (port) => {
    assert.deepEqual(await tcpProbe('127.0.0.1', port, 1000), { outcome: 'success', message: '' });
  });
  const port = await freePort();
  assert.deepEqual(await tcpProbe('127.0.0.1', port, 1000), { outcome: 'failure', message: `dial tcp 127.0.0.1:${port}: connect: connection refused` });
});

test('execProbe: exit 0 passes; otherwise the output is the message; timeoutSeconds kills it; env and cwd are the pod\'s', async () => {
  const at = { env: { MARK: 'from-env' }, cwd: tmpdir() };
  assert.equal((await execProbe(['sh', '-c', 'test "$MARK" = from-env && test "$PWD" = "$(cd "$1" && pwd)"', 'sh', tmpdir()], at, 2000)).outcome, 'success');
  assert.deepEqual(await execProbe(['sh', '-c', 'echo not yet; exit 3'], at, 2000), { outcome: 'failure', message: 'not yet\n' });
  assert.deepEqual(await execProbe(['sleep', '5'], at, 200), { outcome: 'failure', message: 'command "sleep 5" timed out' });
  assert.equal((await execProbe(['/no/such/binary'], at, 1000)).outcome, 'error');
});
