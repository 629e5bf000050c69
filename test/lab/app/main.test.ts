// The lab app as a real process: each SHUTDOWN mode must differ where a client can see it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { get, randomLoopback, runApp, within } from './run-app.js';
import type { RunningApp } from './run-app.js';

const codeOf = (err: unknown): string => String((err as { code?: unknown }).code ?? (err as Error).message);

/** A raw keep-alive connection that has served one request and now sits idle. */
async function idleKeepAlive(app: RunningApp): Promise<{ socket: Socket; ended: Promise<string> }> {
  const socket = connect(app.port, app.host);
  const ended = new Promise<string>((resolve) => {
    socket.once('error', (err) => resolve(codeOf(err)));
    socket.once('close', () => resolve('closed'));
  });
  await new Promise<void>((resolve) => {
    socket.once('data', () => resolve());
    socket.write(`GET / HTTP/1.1\r\nHost: ${app.host}\r\nConnection: keep-alive\r\n\r\n`);
  });
  return { socket, ended };
}

/** Starts a request held in the app for `ms`, and returns once the app has received it. */
async function inFlight(app: RunningApp, ms: number): Promise<{ settled: Promise<string> }> {
  const settled = get(`${app.url}/?delay=${ms}`).then((r) => `${r.status} ${r.headers['connection']}`, codeOf);
  await app.waitForLine(new RegExp(`GET /\\?delay=${ms} `));
  return { settled };
}

test('every response carries version and pod headers; the body follows the template', async () => {
  const app = await runApp({ IMAGE: 'lab/web:2', POD_NAME: 'web-a' });
  try {
    const reply = await get(app.url + '/');
    assert.equal(reply.status, 200);
    assert.equal(reply.body, 'Version 2 of my awesome app!\n');
    assert.equal(reply.headers['x-app-version'], '2');
    assert.equal(reply.headers['x-pod-name'], 'web-a');
    const health = await get(app.url + '/healthz');
    assert.equal(health.status, 200);
    assert.equal(health.headers['x-app-version'], '2');
  } finally {
    await app.kill();
  }
});

test('graceful: stops listening, closes idle keep-alives, finishes the in-flight request, exits 0', async () => {
  const app = await runApp({ VERSION: '1', SHUTDOWN: 'graceful' });
  try {
    const idle = await idleKeepAlive(app);
    const { settled: slow } = await inFlight(app, 1500);
    const order: string[] = [];
    void idle.ended.then((how) => order.push(`idle ${how}`));
    void slow.then((how) => order.push(`slow ${how}`));
    app.proc.kill('SIGTERM');
    await app.waitForLine(/closing: no new connections/);
    assert.equal(await get(app.url + '/').then(() => 'served', codeOf), 'ECONNREFUSED');
    assert.deepEqual(await within(app.exited, 10_000, 'exit'), { code: 0, signal: null });
    assert.deepEqual(order, ['idle closed', 'slow 200 close']);
  } finally {
    await app.kill();
  }
});

test('graceful with DRAIN_MS: keeps serving new connections while /healthz fails, then exits 0', async () => {
  const app = await runApp({ VERSION: '1', SHUTDOWN: 'graceful', DRAIN_MS: '2000' });
  try {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const before = await get(app.url + '/', agent);
    app.proc.kill('SIGTERM');
    await app.waitForLine(/SIGTERM received/);
    const fresh = await get(app.url + '/');
    const reused = await get(app.url + '/', agent);
    const health = await get(app.url + '/healthz');
    assert.equal(app.proc.exitCode, null, 'still running during the drain');
    assert.equal(fresh.status, 200);
    assert.equal(reused.status, 200);
    assert.equal(reused.localPort, before.localPort, 'the keep-alive connection is reused during the drain');
    assert.equal(reused.headers['connection'], 'keep-alive');
    assert.equal(health.status, 503);
    assert.deepEqual(await within(app.exited, 10_000, 'exit'), { code: 0, signal: null });
    agent.destroy();
  } finally {
    await app.kill();
  }
});

test('immediate: SIGTERM cuts the in-flight request and idle keep-alives with resets and kills the process', async () => {
  const app = await runApp({ VERSION: '1', SHUTDOWN: 'immediate' });
  try {
    const idle = await idleKeepAlive(app);
    const { settled: slow } = await inFlight(app, 5000);
    app.proc.kill('SIGTERM');
    assert.equal(await within(slow, 5000, 'in-flight failure'), 'ECONNRESET');
    assert.equal(await within(idle.ended, 5000, 'idle reset'), 'ECONNRESET');
    assert.deepEqual(await within(app.exited, 5000, 'exit'), { code: null, signal: 'SIGTERM' });
  } finally {
    await app.kill();
  }
});

test('ignore: SIGTERM changes nothing; only SIGKILL ends it', async () => {
  const app = await runApp({ VERSION: '1', SHUTDOWN: 'ignore' });
  try {
    const { settled: slow } = await inFlight(app, 1000);
    app.proc.kill('SIGTERM');
    await app.waitForLine(/SIGTERM received/);
    assert.equal(await slow, '200 close');
    assert.equal((await get(app.url + '/')).status, 200);
    assert.equal((await get(app.url + '/healthz')).status, 200);
    assert.equal(app.proc.exitCode, null);
    assert.deepEqual(await app.kill(), { code: null, signal: 'SIGKILL' });
  } finally {
    await app.kill();
  }
});

test('close-keepalive: after SIGTERM keep-alive responses say Connection: close until the drain ends', async () => {
  const app = await runApp({ VERSION: '1', SHUTDOWN: 'close-keepalive', DRAIN_MS: '2000' });
  try {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    assert.equal((await get(app.url + '/', agent)).headers['connection'], 'keep-alive');
    app.proc.kill('SIGTERM');
    await app.waitForLine(/SIGTERM received/);
    const during = await get(app.url + '/', agent);
    assert.equal(during.status, 200);
    assert.equal(during.headers['connection'], 'close');
    assert.equal((await get(app.url + '/healthz')).status, 503);
    assert.deepEqual(await within(app.exited, 10_000, 'exit'), { code: 0, signal: null });
    agent.destroy();
  } finally {
    await app.kill();
  }
});

test('START_DELAY_MS: connections are refused until the app listens', async () => {
  const host = randomLoopback();
  const app = await runApp({ VERSION: '3', START_DELAY_MS: '3000' }, host, 8080);
  try {
    await app.waitForLine(/slow start/);
    assert.equal(await get(app.url + '/healthz').then(() => 'served', codeOf), 'ECONNREFUSED');
    await app.waitForLine(/listening on /);
    assert.equal((await get(app.url + '/healthz')).status, 200);
  } finally {
    await app.kill();
  }
});
