// The gateway's side of the routing model: which virtual host, and the rewrite. Which route
// and which backend is src/kube/routing/select.ts, the interpreter the analysis uses too.
import { pickWeighted, selectRoute as firstRoute, type Headers } from '../../kube/routing/select.js';
import type { BackendRef, Rewrite, Route, RoutingModel, VirtualHost } from './model.js';

export type { Headers } from '../../kube/routing/select.js';

const stripPort = (host: string): string => host.replace(/:\d+$/, '').toLowerCase();

function hostMatches(pattern: string, host: string): boolean {
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  return pattern.toLowerCase() === host;
}

/** Named hosts first (exact before wildcard, in model order), else the catch-all. */
export function selectVhost(model: RoutingModel, hostHeader: string | undefined): VirtualHost | undefined {
  const host = stripPort(hostHeader ?? '');
  const named = model.vhosts.find((v) => v.hosts.some((p) => hostMatches(p, host)));
  return named ?? model.vhosts.find((v) => v.hosts.length === 0);
}

export function selectRoute(vhost: VirtualHost, path: string, headers: Headers): Route | undefined {
  return firstRoute(vhost.routes, { path, headers });
}

/** Weighted pick; `rand` in [0, 1). A route whose weights are all 0 answers 503. */
export function pickBackend(route: Route, rand: number): BackendRef {
  return pickWeighted(route.backends, rand) ?? { status: 503 };
}

const joinPath = (to: string, rest: string): string =>
  to.endsWith('/') && rest.startsWith('/') ? to + rest.slice(1) : to + rest;

/** The new path (no query) after a route's rewrite. */
export function applyRewrite(rw: Rewrite | undefined, path: string): string {
  if (rw === undefined) return path;
  if (rw.kind === 'full') return rw.to;
  if (rw.kind === 'prefix') return path.startsWith(rw.prefix) ? joinPath(rw.to, path.slice(rw.prefix.length)) : path;
  const m = new RegExp(rw.pattern, rw.ignoreCase ? 'i' : '').exec(path);
  if (m === null) return path;
  // nginx `rewrite` replaces the whole URI; an unmatched group becomes empty.
  return rw.replacement.replace(/\$(\d)/g, (_, d: string) => m[Number(d)] ?? '');
}
