import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { startRun } from '../../src/run/index.js';
import { preconnectCount } from '../../src/run/start-probe.js';
import { testConfig } from '../helpers/probe-config.js';
import type { ProbeConfig } from '../../src/types.js';

/** A server that logs each connection and how many requests it carried, and how many were open at the first request. */
async function countingServer() {
  const perConnection = new Map<Socket, number>();
  let requests = 0;
  let openAtFirstRequest: number | undefined;
  const server = http.createServer((req, res) => {
    requests += 1;
    openAtFirstRequest ??= perConnection.size;
    perConnection.set(req.socket, (perConnection.get(req.socket) ?? 0) + 1);
    res.setHeader('x-app-version', '1');
    res.end('ok');
  });
  server.on('connection', (s: Socket) => perConnection.set(s, 0));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests: () => requests,
    openAtFirstRequest: () => openAtFirstRequest,
    carried: () => [...perConnection.values()],
    close: () => new Promise<void>((resolve) => {
      for (const s of perConnection.keys()) s.destroy();
      server.close(() => resolve());
    }),
  };
}

async function probeCounting(over: Partial<ProbeConfig>) {
  const srv = await countingServer();
  try {
    let requestsAtStart: number | undefined;
    const config = testConfig(srv.url, over);
    const summary = await startRun({ plan: { targets: [config] }, onStarted: () => (requestsAtStart = srv.requests()) });
    return { summary, config, requestsAtStart, requests: srv.requests(), openAtFirstRequest: srv.openAtFirstRequest(), carried: srv.carried() };
  } finally {
    await srv.close();
  }
}

test('keep-alive connections are open before time zero and every request the target sees is a counted one', async () => {
  const r = await probeCounting({ rps: 120, connection: 'reuse' });
  assert.equal(preconnectCount(r.config), 3);
  assert.equal(r.requestsAtStart, 0, 'no request before the schedule began');
  assert.equal(r.summary.totals.scheduled, 120);
  assert.equal(r.requests, r.summary.totals.sent, 'the target saw exactly the requests the summary counts');
  assert.equal(r.summary.totals.ok, 120);
  assert.ok((r.openAtFirstRequest ?? 0) >= 3, `the pre-opened connections were there at the first request (${r.openAtFirstRequest})`);
  assert.equal(r.carried.reduce((a, b) => a + b, 0), r.requests);
});

test('with fresh connections only, nothing is opened before time zero (the reader is warmed on local data); each request opens its own', async () => {
  const r = await probeCounting({ rps: 20, connection: 'new' });
  assert.equal(preconnectCount(r.config), 0);
  assert.equal(r.requests, r.summary.totals.sent);
  assert.equal(r.summary.totals.ok, 20);
  assert.deepEqual(r.carried, Array(20).fill(1), 'every connection carried exactly one request');
});

test('alternating modes: the target sees only the counted requests, half of them on fresh connections', async () => {
  const r = await probeCounting({ rps: 30, connection: 'both' });
  assert.equal(preconnectCount(r.config), 1);
  assert.equal(r.requests, r.summary.totals.sent);
  assert.equal(r.summary.totals.ok, 30);
  assert.equal(r.summary.modes.new?.sent, 15);
  assert.ok(r.carried.filter((n) => n === 1).length >= 15, 'the fresh-connection requests each had their own connection');
});

test('a target that refuses connections: the pre-connect gives up at once and every request is counted refused', async () => {
  const srv = await countingServer();
  const url = srv.url;
  await srv.close();
  const summary = await startRun({ plan: { targets: [testConfig(url, { rps: 10, connection: 'reuse' })] } });
  assert.equal(summary.totals.scheduled, 10);
  assert.equal(summary.errors['refused'], 10);
});
