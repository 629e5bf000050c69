// The built-in gateway: it answers each route as the real proxy that route stands for (dialect.ts:
// ingress-nginx for an Ingress, Envoy for a VirtualService or HTTPRoute), with that proxy's
// retries and timeouts. Like ingress-nginx's Lua balancer and Envoy's EDS it takes endpoint changes
// without a reload, so its kept-alive upstream pool (ingress-nginx: 320 connections, 60 s) lives
// on across them; a change of the routes themselves is a reload for ingress-nginx, which starts
// new workers with empty pools.
import { Agent, createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Engine, EngineStartOptions } from './engine.js';
import { answerFor, connectTimeoutMs, defaultRetry, dialectOf, maxTries, readTimeoutMs, retries } from './dialect.js';
import type { Dialect, Failure, RetryPolicy } from './dialect.js';
import { emptyModel } from './model.js';
import type { EngineOptions, Route, RoutingModel } from './model.js';
import { applyRewrite, pickBackend, selectRoute, selectVhost } from './select-route.js';
import { tryUpstream } from './upstream-try.js';
import type { TryResult } from './upstream-try.js';

const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

function forwardHeaders(h: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(h).filter(([k]) => !HOP.has(k)));
}

/** ingress-nginx's upstream keepalive: 320 idle connections kept, each for 60 s. */
const newPool = (): Agent => new Agent({ keepAlive: true, maxFreeSockets: 320, timeout: 60_000 });

function send(res: ServerResponse, d: Dialect, f: Failure): void {
  if (res.headersSent) { res.destroy(); return; }
  const a = answerFor(d, f);
  res.writeHead(a.status, { ...a.headers, connection: 'keep-alive' }).end(a.body);
}

function failureOf(t: Exclude<TryResult, { res: IncomingMessage }>): Failure {
  if (t.fail === 'timeout') return t.connected ? 'timeout' : 'connect-timeout';
  return t.connected ? 'reset' : 'connect-failure';
}

const routesKey = (m: RoutingModel): string => JSON.stringify(m.vhosts);

class BuiltinProxy {
  model: RoutingModel = emptyModel();
  agent = newPool();

  constructor(private readonly opts: EngineOptions) {}

  /** A new model; a route change retires the pool, as an ingress-nginx reload does. */
  apply(model: RoutingModel): void {
    const reload = routesKey(model) !== routesKey(this.model)
      && model.vhosts.some((v) => v.routes.some((r) => dialectOf(r) === 'ingress-nginx'));
    this.model = model;
    if (!reload) return;
    const old = this.agent;
    this.agent = newPool();
    // Old workers finish their requests, then close: idle connections go now, busy ones when freed.
    old.on('free', (s) => s.destroy());
    for (const list of Object.values(old.freeSockets)) for (const s of list ?? []) s.destroy();
  }

  /**
   * Endpoints in the order one request tries them: a random first one, then the next in turn.
   * Random, not one shared round robin: ingress-nginx runs a round robin per worker and spreads
   * connections over its workers (SO_REUSEPORT), Istio's Envoy picks the less loaded of two random
   * endpoints; one shared counter would lock a prober's alternating reuse/new requests onto
   * alternate endpoints. A retry goes to the next endpoint (Envoy's previous_hosts predicate,
   * the round robin's next turn).
   */
  private endpointOrder(endpoints: string[]): () => string {
    let n = Math.floor(Math.random() * endpoints.length);
    return () => endpoints[n++ % endpoints.length]!;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    const vhost = selectVhost(this.model, req.headers.host);
    const route = vhost === undefined ? undefined : selectRoute(vhost, url.pathname, req.headers);
    if (route === undefined) return send(res, dialectOf(vhost?.routes[0]), 'no-route');
    const d = dialectOf(route);
    const backend = pickBackend(route, Math.random());
    if ('status' in backend) return send(res, d, backend.status === 500 ? 'invalid-backend' : 'no-cluster');
    const endpoints = this.model.upstreams[backend.upstream]?.endpoints ?? [];
    if (endpoints.length === 0) return send(res, d, 'no-endpoints');
    const last = await this.tries(req, route, d, Buffer.concat(chunks), this.endpointOrder(endpoints));
    if ('fail' in last) return send(res, d, failureOf(last));
    res.writeHead(last.res.statusCode ?? 502, forwardHeaders(last.res.headers));
    last.res.on('error', () => res.destroy());
    last.res.pipe(res);
  }

  /** Tries endpoints until one answers or the policy stops; returns the last try. */
  private async tries(req: IncomingMessage, route: Route, d: Dialect, body: Buffer, next: () => string): Promise<TryResult> {
    const url = new URL(req.url ?? '/', 'http://x');
    const policy: RetryPolicy = this.opts.retry ?? defaultRetry(d);
    // ingress-nginx's Lua balancer and Envoy's retries may come back to the same endpoint.
    const tries = maxTries(policy);
    const method = req.method ?? 'GET';
    const common = {
      method, path: applyRewrite(route.rewrite, url.pathname) + url.search, headers: forwardHeaders(req.headers), body,
      connectTimeoutMs: connectTimeoutMs(d),
    };
    const readMs = this.opts.readTimeoutMs ?? readTimeoutMs(d);
    let last: TryResult = { fail: 'error', connected: false, sent: false, reused: false };
    for (let i = 0, counted = 0; counted < tries && i < tries + 16; i++) {
      last = await tryUpstream({ ...common, agent: this.agent, target: next(), ...(readMs === undefined ? {} : { readTimeoutMs: readMs }) });
      if ('res' in last || !retries(policy, { kind: last.fail, connected: last.connected, sent: last.sent }, method)) break;
      // nginx: an error on a cached keep-alive connection does not use up a try (ngx_http_upstream_next).
      const stale = last.fail === 'error' && last.reused && policy !== 'envoy';
      if (!stale) counted += 1;
    }
    return last;
  }
}

export async function startBuiltin(opts: EngineStartOptions): Promise<Engine> {
  const proxy = new BuiltinProxy(opts);
  const server = createServer((req, res) => { proxy.handle(req, res).catch(() => send(res, 'ingress-nginx', 'reset')); });
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
    apply: async (model) => { proxy.apply(model); },
    close: async () => {
      proxy.agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
