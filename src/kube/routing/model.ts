// The typed routing model: what a gateway or mesh does with a request, whatever object declared
// it (Istio VirtualService, Ingress with ingress-nginx annotations, Gateway API HTTPRoute).
// Built by from-istio.ts, from-gateway-api.ts and from-ingress.ts; interpreted by select.ts.

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
  method?: StringMatch;
  /** Header names in lower case. */
  headers: Array<{ name: string; match: StringMatch }>;
  /** Conditions the model does not follow (Istio port, sourceLabels, queryParams ...), by name. */
  unmodelled?: string[];
}

export type Rewrite =
  /** Replace the matched prefix (Istio `rewrite.uri` on a prefix match, Gateway ReplacePrefixMatch). */
  | { kind: 'prefix'; prefix: string; to: string }
  /** Replace the whole path (Istio `rewrite.uri` on exact/regex matches, ReplaceFullPath). */
  | { kind: 'full'; to: string }
  /** Regex substitution with `$1` captures (ingress-nginx rewrite-target). */
  | { kind: 'regex'; pattern: string; replacement: string; ignoreCase?: boolean };

/** Where a route sends traffic, as the object names it. */
export interface Destination {
  /** An Istio host as written (`reviews`, `reviews.prod.svc.cluster.local`, `api.example.com`) or a Service name. */
  host: string;
  /** The namespace a short name is read in (the declaring object's). */
  namespace: string;
  /** Istio names DNS hosts; Ingress and HTTPRoute name a Service. */
  by: 'host' | 'service';
  port?: number | string;
  /** A DestinationRule subset (Istio only). */
  subset?: string;
}

export interface Weighted<B> {
  backend: B;
  /** Relative weight; the backends of one route are normalised to their sum. */
  weight: number;
}

/** One route; `B` is Destination as declared, or what a gateway resolved it to (the lab's upstreams). */
export interface Route<B = Destination> {
  /** Any one match selects the route (OR); an empty list matches every request. */
  matches: RouteMatch[];
  backends: Array<Weighted<B>>;
  rewrite?: Rewrite;
  /** Where it came from: "VirtualService/default/reviews#0". */
  source: string;
}

/** Routes for the host names an object serves (empty: any host). */
export interface HostRoutes<B = Destination> {
  hosts: string[];
  routes: Array<Route<B>>;
  source: string;
}

/** The same route with each backend mapped (a gateway resolving destinations to upstreams). */
export function mapBackends<A, B>(route: Route<A>, f: (a: A) => B): Route<B> {
  return { ...route, backends: route.backends.map((w) => ({ backend: f(w.backend), weight: w.weight })) };
}
