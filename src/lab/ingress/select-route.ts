// The routing model's semantics as plain functions: the built-in engine runs them per
// request, and they state what the nginx rendering must do.
import type { BackendRef, Rewrite, Route, RouteMatch, RoutingModel, StringMatch, VirtualHost } from './model.js';

/** Headers with lower-case names, as node:http gives them. */
export type Headers = Record<string, string | string[] | undefined>;

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

export function stringMatches(m: StringMatch, value: string | undefined): boolean {
  if (value === undefined) return false;
  const ci = m.ignoreCase === true;
  const v = ci ? value.toLowerCase() : value;
  const want = ci ? m.value.toLowerCase() : m.value;
  if (m.kind === 'exact') return v === want;
  if (m.kind === 'prefix') return v.startsWith(want);
  return new RegExp(m.value, ci ? 'i' : '').test(value);
}

const headerValue = (h: Headers, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v.join(',') : v;
};

export function matchHolds(m: RouteMatch, path: string, headers: Headers): boolean {
  if (m.uri !== undefined && !stringMatches(m.uri, path)) return false;
  return m.headers.every((h) => stringMatches(h.match, headerValue(headers, h.name)));
}

export function selectRoute(vhost: VirtualHost, path: string, headers: Headers): Route | undefined {
  return vhost.routes.find((r) => r.matches.length === 0 || r.matches.some((m) => matchHolds(m, path, headers)));
}

/** Weighted pick; `rand` in [0, 1). A route whose weights are all 0 answers 503. */
export function pickBackend(route: Route, rand: number): BackendRef {
  const total = route.backends.reduce((s, b) => s + Math.max(0, b.weight), 0);
  if (total <= 0) return { status: 503 };
  let at = rand * total;
  for (const b of route.backends) {
    at -= Math.max(0, b.weight);
    if (at < 0) return b.backend;
  }
  return route.backends[route.backends.length - 1]!.backend;
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
