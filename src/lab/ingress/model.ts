// The gateway's routing model: src/kube's routes with destinations resolved to upstreams of
// ready endpoints, independent of the engine (nginx or the built-in proxy). Built by build-model.ts.

import type { Route as ModelRoute, Weighted } from '../../kube/routing/model.js';

export type { MatchKind, Rewrite, RouteMatch, StringMatch } from '../../kube/routing/model.js';

/** Upstream name, or a marker for a destination that cannot take traffic. */
export type BackendRef = { upstream: string } | { status: 503 };

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
  retry: 'none' | 'next-upstream';
  /** Upstream read timeout; connect timeout is fixed at 2 s. */
  readTimeoutMs: number;
}

export const emptyModel = (): RoutingModel => ({ vhosts: [], upstreams: {} });
