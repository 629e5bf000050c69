// The gateway's routing model: src/kube's routes with destinations resolved to upstreams of
// ready endpoints, independent of the engine (nginx or the built-in proxy). Built by build-model.ts.

import type { Route as ModelRoute, Weighted } from '../../kube/routing/model.js';

export type { MatchKind, Rewrite, RouteMatch, StringMatch } from '../../kube/routing/model.js';

/**
 * Upstream name, or a marker for a destination that cannot take traffic: 503 no such cluster
 * (Envoy NC, a Service nginx cannot find), 500 an HTTPRoute's invalid backendRef (Gateway API).
 */
export type BackendRef = { upstream: string } | { status: 500 | 503 };

export type WeightedBackend = Weighted<BackendRef>;

/** A route of src/kube's model with its destinations resolved to upstreams. */
export type Route = ModelRoute<BackendRef>;

export interface VirtualHost {
  /** Host names (no port); `*.example.com` wildcards allowed; empty = catch-all. */
  hosts: string[];
  /** First matching route wins; no route matches -> 404 (Envoy "route not found"). */
  routes: Route[];
  source: string;
}

export interface Upstream {
  name: string;
  /** "ip:port" of ready endpoints only; empty means routes to it answer 503. */
  endpoints: string[];
  source: string;
}

export interface RoutingModel {
  /** Hosts with names first, in order; catch-all hosts last, the first of them wins. */
  vhosts: VirtualHost[];
  upstreams: Record<string, Upstream>;
}

export interface EngineOptions {
  /** Absent: each route gets its real proxy's default (dialect.ts); the nginx engine then retries as ingress-nginx. */
  retry?: 'none';
  /** Upstream read timeout; absent: the real proxy's (ingress-nginx 60 s, Istio none; the nginx engine 5 s). */
  readTimeoutMs?: number;
}

export const emptyModel = (): RoutingModel => ({ vhosts: [], upstreams: {} });
