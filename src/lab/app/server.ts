// The lab app's HTTP server and its shutdown mechanics, independent of signals and process exit.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { renderBody } from './config.js';
import type { AppConfig } from './config.js';
import { reusedDropper } from './faults.js';

export type Log = (line: string) => void;

export interface AppServer {
  server: Server;
  listen(): Promise<void>;
  /** Fail /healthz from now on; with keepAliveClose every later response says Connection: close. */
  beginTermination(keepAliveClose: boolean): void;
  /** Stop listening, let in-flight requests finish, close idle keep-alives; resolves when all sockets are gone. */
  close(): Promise<void>;
  /** Cut every open connection with a TCP RST, in-flight or not. */
  resetAll(): void;
}

interface State {
  terminating: boolean;
  keepAliveClose: boolean;
  closing: boolean;
}

export function createAppServer(config: AppConfig, log: Log): AppServer {
  const state: State = { terminating: false, keepAliveClose: false, closing: false };
  const sockets = new Set<Socket>();
  const dropReused = reusedDropper(config.faults.dropReusedEvery);
  const server = createServer((req, res) => {
    log(`${req.method ?? '?'} ${req.url ?? '/'} from ${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`);
    if (!req.url?.startsWith('/healthz') && !req.url?.startsWith('/livez') && dropReused(req.socket)) return void req.socket.destroy();
    handle(config, state, req, res);
  });
  if (config.faults.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = config.faults.keepAliveTimeoutMs;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return {
    server,
    listen: () => listen(server, config, log),
    beginTermination(keepAliveClose) {
      state.terminating = true;
      state.keepAliveClose = keepAliveClose;
    },
    close: () => closeGracefully(server, state, sockets.size, log),
    resetAll() {
      for (const socket of sockets) socket.resetAndDestroy();
      server.close();
    },
  };
}

function listen(server: Server, config: AppConfig, log: Log): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      log(`listening on ${config.host}:${port} version=${config.version} shutdown=${config.shutdown}`);
      resolve();
    });
  });
}

function closeGracefully(server: Server, state: State, open: number, log: Log): Promise<void> {
  state.closing = true;
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    log(`closing: no new connections, ${open} open connection(s) left to finish`);
  });
}

function handle(config: AppConfig, state: State, req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('X-App-Version', config.version);
  res.setHeader('X-Pod-Name', config.podName);
  const url = new URL(req.url ?? '/', 'http://app');
  if (url.pathname === '/livez') {
    const after = config.faults.livezFailAfterMs;
    const failing = after !== undefined && performance.now() >= after;
    reply(state, res, failing ? 500 : 200, failing ? 'stuck\n' : 'alive\n');
    return;
  }
  if (url.pathname === '/healthz') {
    reply(state, res, state.terminating ? 503 : 200, state.terminating ? 'shutting down\n' : 'ok\n');
    return;
  }
  const delayMs = delayOf(url, config.responseDelayMs);
  const status = config.faults.failVersions.includes(config.version) ? 500 : 200;
  const answer = (): void => reply(state, res, status, renderBody(config) + '\n');
  if (delayMs === 0) answer();
  else setTimeout(answer, delayMs);
}

// A per-request ?delay=ms lets tests hold one request in flight across a SIGTERM.
function delayOf(url: URL, fallback: number): number {
  const raw = url.searchParams.get('delay');
  const n = raw === null ? NaN : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

function reply(state: State, res: ServerResponse, status: number, body: string): void {
  if (res.destroyed) return;
  // While draining or closing, tell keep-alive clients to take their next request elsewhere.
  if (state.closing || (state.terminating && state.keepAliveClose)) res.setHeader('Connection', 'close');
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
