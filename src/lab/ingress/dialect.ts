// How the real proxy a route stands for answers, retries and times out. The lab's gateway serves
// Ingress, VirtualService and HTTPRoute objects; on a real cluster each is served by a different
// proxy, and a probe sees that proxy's statuses:
// - Ingress -> ingress-nginx: 502 for a refused or reset upstream, 504 for a timeout, 503 for a
//   Service without endpoints; retries `error timeout` up to 3 tries, never a POST/PATCH/LOCK once
//   sent (proxy_next_upstream defaults, nginx 1.9.13+); connect 5 s, read 60 s.
// - VirtualService -> Istio's Envoy: 503 for almost every upstream failure (flags UF connect
//   failure, UC connection termination, UH no healthy upstream, NC no cluster), 404 for no route
//   (NR), 504 for a route timeout (UT; Istio sets none). Default retry: 2 retries on
//   connect-failure, refused-stream, unavailable, cancelled, retriable-status-codes, with 503
//   excluded (EXCLUDE_UNSAFE_503_FROM_DEFAULT_RETRY): a reset after connect is not retried.
//   connectTimeout 10 s (Istio's DestinationRule default).
// - HTTPRoute -> a Gateway API implementation (most are Envoy-based): Envoy's answers, 500 for an
//   invalid backendRef (the spec's MUST), no retry unless the route asks (HTTPRoute retry is opt-in).
import type { Route } from './model.js';

export type Dialect = 'ingress-nginx' | 'envoy' | 'gateway-api';

/** `none`: one try. `ingress-nginx` and `envoy`: those proxies' defaults. */
export type RetryPolicy = 'none' | 'ingress-nginx' | 'envoy';

/** Why no upstream answered. */
export type Failure = 'no-route' | 'no-endpoints' | 'no-cluster' | 'invalid-backend' | 'connect-failure' | 'connect-timeout' | 'reset' | 'timeout';

export interface Answer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** The proxy a route stands for, from the object that declared it. */
export function dialectOf(route: Pick<Route, 'source'> | undefined): Dialect {
  if (route?.source.startsWith('VirtualService/')) return 'envoy';
  if (route?.source.startsWith('HTTPRoute/')) return 'gateway-api';
  return 'ingress-nginx';
}

/** The retry policy a route gets when the scenario states none: its proxy's default. */
export const defaultRetry = (d: Dialect): RetryPolicy => (d === 'ingress-nginx' ? 'ingress-nginx' : d === 'envoy' ? 'envoy' : 'none');

/** Connect timeout: ingress-nginx proxy-connect-timeout 5 s, Istio connectTimeout 10 s. */
export const connectTimeoutMs = (d: Dialect): number => (d === 'ingress-nginx' ? 5000 : 10_000);

/** Upstream read timeout: ingress-nginx proxy-read-timeout 60 s; Istio sets no route timeout. */
export const readTimeoutMs = (d: Dialect): number | undefined => (d === 'ingress-nginx' ? 60_000 : undefined);

const RESET_BEFORE_HEADERS = 'upstream connect error or disconnect/reset before headers. reset reason:';

const NGINX: Record<Failure, number> = {
  'no-route': 404, 'no-endpoints': 503, 'no-cluster': 503, 'invalid-backend': 503, 'connect-failure': 502, 'connect-timeout': 504, reset: 502, timeout: 504,
};

const ENVOY: Record<Failure, [number, string]> = {
  'no-route': [404, ''],
  'no-endpoints': [503, 'no healthy upstream'],
  'no-cluster': [503, ''],
  'invalid-backend': [503, ''],
  'connect-failure': [503, `${RESET_BEFORE_HEADERS} connection failure`],
  'connect-timeout': [503, `${RESET_BEFORE_HEADERS} connection failure`],
  reset: [503, `${RESET_BEFORE_HEADERS} connection termination`],
  timeout: [504, 'upstream request timeout'],
};

const NGINX_TEXT: Record<number, string> = { 404: 'Not Found', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Timeout' };

/** The answer the real proxy gives for a failure (status, body, and Envoy's `server: envoy`). */
export function answerFor(d: Dialect, f: Failure): Answer {
  if (d === 'ingress-nginx') {
    const status = NGINX[f];
    const title = `${status} ${NGINX_TEXT[status] ?? ''}`;
    return { status, body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`, headers: { 'content-type': 'text/html' } };
  }
  const [status, body] = d === 'gateway-api' && f === 'invalid-backend' ? [500, ''] : ENVOY[f];
  return { status, body, headers: { 'content-type': 'text/plain', server: 'envoy' } };
}

/**
 * Whether a failed try is tried again on the next endpoint. `sent`: the request reached the
 * upstream (nginx then never retries POST, PATCH or LOCK); `connected`: the TCP connect succeeded.
 */
export function retries(p: RetryPolicy, f: { kind: 'error' | 'timeout'; connected: boolean; sent: boolean }, method: string): boolean {
  if (p === 'none') return false;
  if (p === 'envoy') return !f.connected; // connect-failure (refused or connect timeout) only
  return !(f.sent && ['POST', 'PATCH', 'LOCK'].includes(method.toUpperCase()));
}

/** Tries in all: ingress-nginx proxy_next_upstream_tries 3, Envoy 1 + 2 retries. An answer is never retried. */
export const maxTries = (p: RetryPolicy): number => (p === 'none' ? 1 : 3);
