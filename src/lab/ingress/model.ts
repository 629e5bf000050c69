// The routing model: what the gateway does with a request, independent of the engine
// (nginx or the built-in proxy). Built from Kubernetes objects by build-model.ts.

export type MatchKind = 'exact' | 'prefix' | 'regex';

export interface StringMatch {
  kind: MatchKind;
  value: string;
  /** ingress-nginx regex locations are case-insensitive (`~*`). */
  ignoreCase?: boolean;
}

/** All conditions of one match must hold (AND). */
export interface RouteMatch {
  uri?: StringMatch;
  /** Header names in lower case. */
  headers: Array<{ name: string; match: StringMatch }>;
}

export type Rewrite =
  /** Replace the matched prefix (Istio `rewrite.uri` on a prefix match, Gateway ReplacePrefixMatch). */
  | { kind: 'prefix'; prefix: string; to: string }
  /** Replace the whole path (Istio `rewrite.uri` on exact/regex matches, ReplaceFullPath). */
  | { kind: 'full'; to: string }
  /** Regex substitution with `$1` captures (ingress-nginx rewrite-target). */
  | { kind: 'regex'; pattern: string; replacement: string; ignoreCase?: boolean };

/** Upstream name, or a marker for a destination that cannot take traffic. */
export type BackendRef = { upstream: string } | { status: 503 };

export interface WeightedBackend {
  backend: BackendRef;
  /** Relative weight; the backends of one route are normalised to their sum. */
  weight: number;
}

export interface Route {
  /** Any one match selects the route (OR); an empty list matches every request. */
  matches: RouteMatch[];
  backends: WeightedBackend[];
  rewrite?: Rewrite;
  /** Where it came from, for logs: "VirtualService/default/reviews#0". */
  source: string;
}

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
