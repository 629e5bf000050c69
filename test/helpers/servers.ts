// Real local HTTP servers that misbehave on purpose, each counting exactly what it did.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  url: string;
  /** What the server really did, by kind ("200", "502", "reset", "hang"). */
  did: Record<string, number>;
  close(): Promise<void>;
}

type Behaviour = (n: number, req: http.IncomingMessage, res: http.ServerResponse) => string;

export async function startServer(behaviour: Behaviour, host = '127.0.0.1'): Promise<TestServer> {
  const did: Record<string, number> = {};
  let n = 0;
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const kind = behaviour(n++, req, res);
    did[kind] = (did[kind] ?? 0) + 1;
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/`,
    did,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export const answer = (res: http.ServerResponse, status: number, version: string, body = `Version ${version} of my awesome app!`): string => {
  res.statusCode = status;
  res.setHeader('x-app-version', version);
  res.end(body);
  return String(status);
};

/** Version 1 for the first `flipAfter` requests, then version 2. */
export const flipping = (flipAfter: number): Behaviour => (n, _req, res) => answer(res, 200, n < flipAfter ? '1' : '2');

/** Cycles through the given statuses. */
export const statuses = (cycle: number[]): Behaviour => (n, _req, res) => answer(res, cycle[n % cycle.length]!, '1');

/** Every k-th request has its connection destroyed without a response. */
export const resetting = (k: number): Behaviour => (n, req, res) => {
  if (n % k === k - 1) {
    req.socket.destroy();
    return 'reset';
  }
  return answer(res, 200, '1');
};

/** Never answers. */
export const hanging: Behaviour = () => 'hang';

/** A loopback port that refuses connections: bound once, then closed. */
export async function refusedUrl(): Promise<string> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}
