// The built-in gateway for machines without nginx: the same routing model and failure
// statuses (404 no route, 503 no endpoints, 502 upstream error, 504 upstream timeout),
// kept-alive upstream connections, and the same two retry policies.
import { Agent, createServer, request } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Engine, EngineStartOptions } from './engine.js';
import { emptyModel } from './model.js';
import type { EngineOptions, RoutingModel } from './model.js';
import { applyRewrite, pickBackend, selectRoute, selectVhost } from './select-route.js';

const CONNECT_TIMEOUT_MS = 2000;
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

type Attempt = { res: IncomingMessage } | { fail: 'error' | 'timeout'; reused: boolean };

function forwardHeaders(h: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(h).filter(([k]) => !HOP.has(k)));
}

function attempt(agent: Agent, target: string, req: IncomingMessage, path: string, body: Buffer, o: EngineOptions): Promise<Attempt> {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  return new Promise((resolve) => {
    let settled = false;
    const finish = (a: Attempt): void => { if (!settled) { settled = true; clearTimeout(connectTimer); resolve(a); } };
    const up = request({ host, port, method: req.method, path, headers: forwardHeaders(req.headers), agent }, (res) => finish({ res }));
    // Connect timeout (like proxy_connect_timeout), then an idle read timeout (proxy_read_timeout).
    const connectTimer = setTimeout(() => { finish({ fail: 'timeout', reused: false }); up.destroy(); }, CONNECT_TIMEOUT_MS);
    up.on('socket', (s) => {
      if (!s.connecting) clearTimeout(connectTimer);
      else s.once('connect', () => clearTimeout(connectTimer));
    });
    up.setTimeout(o.readTimeoutMs, () => { finish({ fail: 'timeout', reused: up.reusedSocket }); up.destroy(); });
    up.on('error', () => finish({ fail: 'error', reused: up.reusedSocket }));
    up.end(body);
  });
}

const retryable = (a: Attempt): boolean => 'fail' in a || [502, 503, 504].includes(a.res.statusCode ?? 0);

function send(res: ServerResponse, status: number): void {
  if (res.headersSent) { res.destroy(); return; }
  res.writeHead(status, { 'content-type': 'text/plain', connection: 'keep-alive' }).end(`${status}\n`);
}

class BuiltinProxy {
  model: RoutingModel = emptyModel();
  private readonly rr = new Map<string, number>();
  readonly agent = new Agent({ keepAlive: true, maxFreeSockets: 16, keepAliveMsecs: 1000 });

  constructor(private readonly opts: EngineOptions) {}

  private nextEndpoint(upstream: string, endpoints: string[]): string {
    const n = this.rr.get(upstream) ?? 0;
    this.rr.set(upstream, n + 1);
    return endpoints[n % endpoints.length]!;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    const vhost = selectVhost(this.model, req.headers.host);
    const route = vhost === undefined ? undefined : selectRoute(vhost, url.pathname, req.headers);
    if (route === undefined) return send(res, 404);
    const backend = pickBackend(route, Math.random());
    const endpoints = 'upstream' in backend ? this.model.upstreams[backend.upstream]?.endpoints ?? [] : [];
    if (!('upstream' in backend) || endpoints.length === 0) return send(res, 503);
    const path = applyRewrite(route.rewrite, url.pathname) + url.search;
    const tries = this.opts.retry === 'none' ? 1 : Math.min(3, endpoints.length);
    let last: Attempt = { fail: 'error', reused: false };
    // Like nginx, an error on a reused kept-alive connection does not use up a try.
    for (let i = 0, counted = 0; i < tries + 16 && counted < tries; i++) {
      if ('res' in last) last.res.resume();
      last = await attempt(this.agent, this.nextEndpoint(backend.upstream, endpoints), req, path, Buffer.concat(chunks), this.opts);
      if (!retryable(last)) break;
      const stale = 'fail' in last && last.fail === 'error' && last.reused;
      if (!(stale && this.opts.retry === 'next-upstream')) counted += 1;
    }
    if ('fail' in last) return send(res, last.fail === 'timeout' ? 504 : 502);
    res.writeHead(last.res.statusCode ?? 502, forwardHeaders(last.res.headers));
    last.res.on('error', () => res.destroy());
    last.res.pipe(res);
  }
}

export async function startBuiltin(opts: EngineStartOptions): Promise<Engine> {
  const proxy = new BuiltinProxy(opts);
  const server = createServer((req, res) => { proxy.handle(req, res).catch(() => send(res, 502)); });
  server.keepAliveTimeout = 60_000;
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      const addr = server.address();
      resolve(typeof addr === 'object' && addr !== null ? addr.port : opts.port);
    });
  });
  return {
    kind: 'builtin',
    url: `http://${opts.host}:${port}`,
    apply: async (model) => { proxy.model = model; },
    close: async () => {
      proxy.agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
