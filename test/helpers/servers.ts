// Real local HTTP servers that misbehave on purpose, each counting exactly what it did.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  url: string;
  /** What the server really did, by kind ("200", "502", "reset", "hang"). */
  did: Record<string, number>;
  close(): Promise<void>;
}

type Behaviour = (n: number, req: http.IncomingMessage, res: http.ServerResponse) => string;

export async function startServer(behaviour: Behaviour, host = '127.0.0.1', tls?: https.ServerOptions): Promise<TestServer> {
  const did: Record<string, number> = {};
  let n = 0;
  const sockets = new Set<net.Socket>();
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const kind = behaviour(n++, req, res);
    did[kind] = (did[kind] ?? 0) + 1;
  };
  const server = tls ? https.createServer(tls, onRequest) : http.createServer(onRequest);
  // a refused handshake never reaches the handler: counted here, so the test sees what the server did
  server.on('tlsClientError', () => void (did['tls-refused'] = (did['tls-refused'] ?? 0) + 1));
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://${host}:${port}/`,
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

/** test/fixtures/tls: `ip-only` names only IP 127.0.0.1, `shop-example` only DNS shop.example. */
export const TLS_DIR = fileURLToPath(new URL('../../../test/fixtures/tls/', import.meta.url));
export const tlsCert = (name: 'ip-only' | 'shop-example'): { key: Buffer; cert: Buffer; caFile: string } => ({
  key: readFileSync(`${TLS_DIR}${name}.key`),
  cert: readFileSync(`${TLS_DIR}${name}.crt`),
  caFile: `${TLS_DIR}${name}.crt`,
});
