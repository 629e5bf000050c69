// The one interpreter of the routing model: which route a request takes, and which
// backends it then gets with which shares. The split checks, the config rules and the lab
// gateway all ask it.
import type { Route, RouteMatch, StringMatch, Weighted } from './model.js';

/** Headers with lower-case names, as node:http gives them. */
export type Headers = Record<string, string | string[] | undefined>;

export interface Request {
  path: string;
  /** Unset: method conditions are not judged (the lab gateway routes on path and headers). */
  method?: string;
  headers: Headers;
}

function regexTest(pattern: string, value: string, flags = ''): boolean {
  try {
    return new RegExp(pattern, flags).test(value);
  } catch {
    return false; // a pattern that does not compile matches nothing
  }
}

export function stringMatches(m: StringMatch, value: string | undefined): boolean {
  if (value === undefined) return false;
  const ci = m.ignoreCase === true;
  const v = ci ? value.toLowerCase() : value;
  const want = ci ? m.value.toLowerCase() : m.value;
  if (m.kind === 'exact') return v === want;
  if (m.kind === 'prefix') return v.startsWith(want);
  return regexTest(m.value, value, ci ? 'i' : '');
}

const headerValue = (h: Headers, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v.join(',') : v;
};

/** The modelled conditions of one match (path, method, headers) hold for the request. */
export function matchHolds(m: RouteMatch, req: Request): boolean {
  if (m.uri !== undefined && !stringMatches(m.uri, req.path)) return false;
  if (m.method !== undefined && req.method !== undefined && !stringMatches(m.method, req.method)) return false;
  return m.headers.every((h) => stringMatches(h.match, headerValue(req.headers, h.name)));
}

/** Like matchHolds, but undefined when the match also tests something the model does not follow. */
export function judgeMatch(m: RouteMatch, req: Request): boolean | undefined {
  return m.unmodelled?.length ? undefined : matchHolds(m, req);
}

export const routeMatches = <B>(r: Route<B>, req: Request): boolean =>
  r.matches.length === 0 || r.matches.some((m) => matchHolds(m, req));

/** First matching route wins (Envoy and nginx location order). */
export const selectRoute = <B>(routes: Array<Route<B>>, req: Request): Route<B> | undefined =>
  routes.find((r) => routeMatches(r, req));

/** Weighted pick; `rand` in [0, 1). Undefined when every weight is 0 (the gateway answers 503). */
export function pickWeighted<B>(backends: Array<Weighted<B>>, rand: number): B | undefined {
  const total = backends.reduce((s, b) => s + Math.max(0, b.weight), 0);
  if (total <= 0) return undefined;
  let at = rand * total;
  for (const b of backends) {
    at -= Math.max(0, b.weight);
    if (at < 0) return b.backend;
  }
  return backends[backends.length - 1]?.backend;
}

/** Shares in percent by key (backends with the same key add up); all 0 when no weight is positive. */
export function shares<B>(backends: Array<Weighted<B>>, key: (b: B) => string): Record<string, number> {
  const raw: Record<string, number> = {};
  for (const b of backends) raw[key(b.backend)] = (raw[key(b.backend)] ?? 0) + b.weight;
  const sum = Object.values(raw).reduce((a, b) => a + b, 0);
  const out: Record<string, number> = {};
  for (const [k, w] of Object.entries(raw)) out[k] = sum > 0 ? (w / sum) * 100 : 0;
  return out;
}
