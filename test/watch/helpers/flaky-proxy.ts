// A real HTTP reverse proxy in front of the lab API server that can fail on demand: cut every
// connection, stop listening for a while, freeze open watch streams, or answer 403 for some paths.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

export interface FlakyProxy {
  url: string;
  /** Destroys every open connection (watches break mid-stream). */
  cut(): void;
  /** Stops listening and cuts: the API is unreachable until start(). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Open streams stop delivering bytes (a half-dead connection); new requests still work. */
  freeze(): void;
  /** Answer 403 Forbidden to GETs whose path matches. */
  forbid(pattern: RegExp): void;
  close(): Promise<void>;
}

function forbidden(res: http.ServerResponse, path: string): void {
  res.writeHead(403, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403,
    message: `forbidden: User "test" cannot list resource at ${path}` }));
}

export async function startFlakyProxy(target: string): Promise<FlakyProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  const frozen = new Set<http.IncomingMessage>();
  const streams = new Set<http.IncomingMessage>();
  let rules: RegExp[] = [];
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    if (rules.some((r) => r.test(path))) return forbidden(res, path);
    const out = http.request({ host: upstream.hostname, port: upstream.port, path, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      res.flushHeaders();
      up.on('data', (chunk) => { if (!frozen.has(up)) res.write(chunk); });
      up.on('end', () => { if (!frozen.has(up)) res.end(); });
      up.on('close', () => frozen.delete(up));
      res.on('close', () => up.destroy());
      streams.add(up);
      up.on('close', () => streams.delete(up));
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  const listen = (port: number): Promise<number> => new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  const port = await listen(0);
  const cut = (): void => { for (const s of sockets) s.destroy(); };
  const stop = (): Promise<void> => new Promise((resolve) => { server.close(() => resolve()); cut(); });
  return {
    url: `http://127.0.0.1:${port}`,
    cut,
    stop,
    start: async () => { await listen(port); },
    freeze: () => { for (const s of streams) frozen.add(s); },
    forbid: (pattern) => { rules = [...rules, pattern]; },
    close: async () => { if (server.listening) await stop(); else cut(); },
  };
}
