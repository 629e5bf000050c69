// The lean HTTP/1.1 sender against real TCP servers that answer, misbehave and hang on purpose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { createSender, type RawResult, type Sender } from '../../src/send/sender.js';
import { classifyError } from '../../src/classify/error-class.js';
import type { ConnMode } from '../../src/types.js';

interface RawServer {
  url: string;
  connections: number;
  requests: string[];
  close(): Promise<void>;
}

/** A TCP server: `onRequest` gets each request's head (and body) as text and the socket to answer on. */
async function rawServer(onRequest: (req: string, socket: Socket, n: number) => void): Promise<RawServer> {
  const sockets = new Set<Socket>();
  const state = { connections: 0, requests: [] as string[] };
  const server: Server = createServer((socket) => {
    state.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket)).on('error', () => undefined);
    socket.on('data', (d) => {
      state.requests.push(d.toString('latin1'));
      onRequest(d.toString('latin1'), socket, state.requests.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/probe?q=1`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  });
}

const ok = (socket: Socket, extra = ''): void => void socket.write(`HTTP/1.1 200 OK\r\nx-app-version: 2\r\n${extra}Content-Length: 9\r\n\r\nVersion 2`);

async function sender(url: string, over: { method?: string; headers?: Record<string, string>; data?: string; timeoutMs?: number } = {}): Promise<Sender> {
  return createSender({ url: new URL(url), method: 'GET', headers: {}, timeoutMs: 2000, insecure: false, bodyCapBytes: 1024, wantsBody: () => true, ...over });
}

const sendOne = (s: Sender, mode: ConnMode): Promise<RawResult> => new Promise((resolve) => s.send(mode, resolve));

async function sendMany(s: Sender, mode: ConnMode, n: number): Promise<RawResult[]> {
  const out: RawResult[] = [];
  for (let i = 0; i < n; i++) out.push(await sendOne(s, mode));
  return out;
}

test('reuse: every request rides one keep-alive connection; the request is what undici sent', async () => {
  const srv = await rawServer((_req, socket) => ok(socket));
  const s = await sender(srv.url);
  try {
    const results = await sendMany(s, 'reuse', 20);
    assert.deepEqual(results.map((r) => [r.status, r.body]), Array(20).fill([200, 'Version 2']));
    assert.equal(results[0]!.headers?.['x-app-version'], '2');
    assert.equal(srv.connections, 1);
    const port = new URL(srv.url).port;
    assert.equal(srv.requests[0], `GET /probe?q=1 HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nconnection: keep-alive\r\n\r\n`);
  } finally {
    await s.close();
    await srv.close();
  }
});

test('new: one connection per request, each asking the server to close it', async () => {
  const srv = await rawServer((_req, socket) => ok(socket));
  const s = await sender(srv.url);
  try {
    const results = await sendMany(s, 'new', 5);
    assert.deepEqual(results.map((r) => r.status), [200, 200, 200, 200, 200]);
    assert.equal(srv.connections, 5);
    assert.match(srv.requests[0]!, /\r\nconnection: close\r\n/);
  } finally {
    await s.close();
    await srv.close();
  }
});

test('a POST carries its body with its length, and a given Host replaces the URL\'s', async () => {
  const srv = await rawServer((_req, socket) => ok(socket));
  const s = await sender(srv.url, { method: 'POST', headers: { Host: 'shop.example', 'x-token': 't' }, data: '{"a":1}' });
  try {
    await sendOne(s, 'reuse');
    assert.equal(srv.requests[0], 'POST /probe?q=1 HTTP/1.1\r\nhost: shop.example\r\nconnection: keep-alive\r\nx-token: t\r\ncontent-length: 7\r\n\r\n{"a":1}');
  } finally {
    await s.close();
    await srv.close();
  }
});

test('chunked bodies, 1xx before the answer, and a body that runs until close are read whole', async () => {
  const answers = [
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nVer\r\n6\r\nsion 3\r\n0\r\n\r\n',
    'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n',
    'HTTP/1.0 200 OK\r\n\r\nVersion 4',
  ];
  const srv = await rawServer((_req, socket, n) => {
    socket.write(answers[n - 1]!);
    if (n === 3) socket.end();
  });
  const s = await sender(srv.url);
  try {
    const results = await sendMany(s, 'reuse', 3);
    assert.deepEqual(results.map((r) => [r.status, r.body, r.error]), [[200, 'Version 3', undefined], [204, '', undefined], [200, 'Version 4', undefined]]);
  } finally {
    await s.close();
    await srv.close();
  }
});

test('refused, reset, closed before the answer, and no answer: one error each, with its class', async () => {
  const srv = await rawServer((_req, socket, n) => {
    if (n === 1) socket.resetAndDestroy();
    else if (n === 2) socket.end();
    // the third hangs
  });
  const refused = await rawServer(() => undefined);
  await refused.close();
  const s = await sender(srv.url, { timeoutMs: 300 });
  const r = await sender(refused.url);
  try {
    const [reset, closed, hung] = await sendMany(s, 'reuse', 3);
    const classes = [reset, closed, hung, await sendOne(r, 'reuse')].map((x) => classifyError(x!.error).error);
    assert.deepEqual(classes, ['reset', 'reset', 'timeout', 'refused']);
    assert.equal(classifyError(closed!.error).remote?.startsWith('127.0.0.1:'), true, 'a close names the address it came from');
    assert.equal(srv.connections, 3, 'a connection that failed a request is never used again');
  } finally {
    await s.close();
    await r.close();
    await srv.close();
  }
});

test("the server's Keep-Alive timeout is honoured as undici does: less 2 s, so timeout=1 is never reused", async () => {
  const srv = await rawServer((_req, socket, n) => ok(socket, n <= 2 ? 'Keep-Alive: timeout=1\r\n' : 'Keep-Alive: timeout=5\r\n'));
  const s = await sender(srv.url);
  try {
    await sendMany(s, 'reuse', 4);
    assert.equal(srv.connections, 3, 'requests 1 and 2 each closed their connection; 3 and 4 shared one');
  } finally {
    await s.close();
    await srv.close();
  }
});

test('a keep-alive connection the server closed while idle is dropped, and the next request opens another', async () => {
  const srv = await rawServer((_req, socket) => {
    ok(socket);
    setTimeout(() => socket.end(), 20);
  });
  const s = await sender(srv.url);
  try {
    const first = await sendOne(s, 'reuse');
    await new Promise((resolve) => setTimeout(resolve, 150));
    const second = await sendOne(s, 'reuse');
    assert.deepEqual([first.status, second.status, second.error], [200, 200, undefined]);
    assert.equal(srv.connections, 2);
  } finally {
    await s.close();
    await srv.close();
  }
});

test('interrupt ends every request in flight as unfinished, once', async () => {
  const srv = await rawServer(() => undefined);
  const s = await sender(srv.url);
  try {
    const results: RawResult[] = [];
    for (let i = 0; i < 3; i++) s.send('reuse', (x) => results.push(x));
    while (srv.requests.length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
    s.interrupt();
    s.interrupt();
    assert.deepEqual(results.map((x) => classifyError(x.error).error), ['unfinished', 'unfinished', 'unfinished']);
  } finally {
    await s.close();
    await srv.close();
  }
});

test('preconnect opens keep-alive connections before time zero and sends no request on them', async () => {
  const srv = await rawServer((_req, socket) => ok(socket));
  const s = await sender(srv.url);
  try {
    await s.preconnect?.(3);
    for (let i = 0; i < 100 && srv.connections < 3; i++) await new Promise((resolve) => setTimeout(resolve, 10)); // the server's accepts may lag the client's connects
    assert.deepEqual([srv.connections, srv.requests.length], [3, 0]);
    await Promise.all([sendOne(s, 'reuse'), sendOne(s, 'reuse'), sendOne(s, 'reuse')]);
    assert.equal(srv.connections, 3, 'the requests used the connections opened before');
  } finally {
    await s.close();
    await srv.close();
  }
});

test('at a high rate the path is warmed on a loopback server of its own: the target sees connections, never a request', async () => {
  const srv = await rawServer((_req, socket) => ok(socket));
  const s = await sender(srv.url);
  try {
    await s.preconnect?.(100);
    for (let i = 0; i < 100 && srv.connections < 100; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual([srv.connections, srv.requests.length], [100, 0]);
    const r = await sendOne(s, 'reuse');
    assert.deepEqual([r.status, srv.requests.length, srv.connections], [200, 1, 100]);
  } finally {
    await s.close();
    await srv.close();
  }
});
