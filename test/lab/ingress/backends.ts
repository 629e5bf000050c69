// Real local backends for gateway tests: each answers with its own name and the path it saw.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { Server as TcpServer } from 'node:net';

export interface Backend {
  name: string;
  ip: string;
  close(): Promise<void>;
}

/** A random 127.a.b. prefix so parallel test files never share addresses. */
export const ipPrefix = (): string => `127.${20 + Math.floor(Math.random() * 230)}.${1 + Math.floor(Math.random() * 250)}.`;

function listen(srv: Server | TcpServer, ip: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(port, ip, () => resolve());
  });
}

const closer = (srv: Server | TcpServer) => (): Promise<void> => new Promise((resolve) => {
  if ('closeAllConnections' in srv) srv.closeAllConnections();
  srv.close(() => resolve());
});

/** Answers `name path` with X-Backend: name; `hang` never answers. */
export async function httpBackend(name: string, ip: string, port: number, hang = false): Promise<Backend> {
  const srv = createServer((req, res) => {
    if (hang) return;
    res.writeHead(200, { 'x-backend': name, 'content-type': 'text/plain' }).end(`${name} ${req.url}`);
  });
  await listen(srv, ip, port);
  return { name, ip, close: closer(srv) };
}

/** Accepts every connection and resets it at once (TCP RST). */
export async function resetBackend(name: string, ip: string, port: number): Promise<Backend> {
  const srv = createTcpServer((sock) => sock.resetAndDestroy());
  await listen(srv, ip, port);
  return { name, ip, close: closer(srv) };
}

/**
 * Answers the first request of each connection (keep-alive) and resets the connection when
 * a second one arrives on it: a pod that went away under a kept-alive proxy connection.
 */
export async function oneRequestPerConnBackend(name: string, ip: string, port: number): Promise<Backend> {
  const srv = createTcpServer((sock) => {
    let served = false;
    sock.on('error', () => undefined);
    sock.on('data', () => {
      if (served) return void sock.resetAndDestroy();
      served = true;
      const body = `${name} /`;
      sock.write(`HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: ${body.length}\r\nconnection: keep-alive\r\n\r\n${body}`);
    });
  });
  await listen(srv, ip, port);
  return { name, ip, close: closer(srv) };
}

/** Answers `name cN`, N the number of the connection the request came on (1 for the first). */
export async function connectionBackend(name: string, ip: string, port: number): Promise<Backend> {
  const ids = new WeakMap<object, number>();
  let conns = 0;
  const srv = createServer((req, res) => {
    if (!ids.has(req.socket)) ids.set(req.socket, ++conns);
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`${name} c${ids.get(req.socket)}`);
  });
  srv.keepAliveTimeout = 60_000;
  await listen(srv, ip, port);
  return { name, ip, close: closer(srv) };
}

/** Takes the request, then resets the connection before answering: a pod that died with the request in flight. */
export async function cutBackend(name: string, ip: string, port: number): Promise<Backend> {
  const srv = createTcpServer((sock) => {
    sock.on('error', () => undefined);
    sock.once('data', () => sock.resetAndDestroy());
  });
  await listen(srv, ip, port);
  return { name, ip, close: closer(srv) };
}
