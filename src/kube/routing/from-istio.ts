// Istio VirtualService -> routes of Destinations (host as written, subset, port).
import type { HttpMatchRequest, HttpRouteDestination, IstioStringMatch, VirtualService, VsHttpRoute } from '../route-objects.js';
import type { HostRoutes, Route, RouteMatch, StringMatch, Weighted, Destination } from './model.js';

/** The keys of an HTTPMatchRequest the model follows; any other makes a match unmodelled. */
const MODELLED = new Set(['name', 'headers', 'uri', 'method', 'ignoreUriCase']);

/** Istio StringMatch; regexes are RE2 full matches; an empty match tests presence only. */
export function istioString(m: IstioStringMatch | undefined, ignoreCase = false): StringMatch | undefined {
  if (m === undefined || m === null || typeof m !== 'object') return undefined;
  const ci = ignoreCase ? { ignoreCase } : {};
  if (m.exact !== undefined) return { kind: 'exact', value: String(m.exact), ...ci };
  if (m.prefix !== undefined) return { kind: 'prefix', value: String(m.prefix), ...ci };
  if (m.regex !== undefined) return { kind: 'regex', value: `^(?:${String(m.regex)})$`, ...ci };
  return { kind: 'regex', value: '^(?:.*)$' };
}

export function istioMatch(m: HttpMatchRequest | null | undefined): RouteMatch {
  if (!m || typeof m !== 'object') return { headers: [] };
  const headers = Object.entries(m.headers ?? {}).flatMap(([name, v]) => {
    const match = istioString(v);
    return match === undefined ? [] : [{ name: name.toLowerCase(), match }];
  });
  const out: RouteMatch = { headers };
  const uri = istioString(m.uri, m.ignoreUriCase === true);
  if (uri !== undefined) out.uri = uri;
  const method = istioString(m.method);
  if (method !== undefined) out.method = method;
  const unmodelled = Object.keys(m).filter((k) => !MODELLED.has(k));
  if (unmodelled.length) out.unmodelled = unmodelled;
  return out;
}

/** One destination gets all traffic whatever its weight says; with several, a missing weight is 0. */
export function destinationWeight(r: HttpRouteDestination | undefined, count: number): number {
  if (count === 1) return 100;
  const w = Number(r?.weight ?? 0);
  return Number.isFinite(w) ? w : 0;
}

function destinations(ns: string, route: HttpRouteDestination[]): Array<Weighted<Destination>> {
  return route.map((r) => {
    const d = r?.destination;
    const dest: Destination = { host: String(d?.host ?? ''), namespace: ns, by: 'host' };
    if (typeof d?.port?.number === 'number') dest.port = d.port.number;
    if (typeof d?.subset === 'string') dest.subset = d.subset;
    return { backend: dest, weight: destinationWeight(r, route.length) };
  });
}

function rewriteOf(http: VsHttpRoute, matches: RouteMatch[]): Route['rewrite'] {
  const to = http.rewrite?.uri;
  if (typeof to !== 'string') return undefined;
  const first = matches[0]?.uri;
  if (first?.kind === 'prefix') return { kind: 'prefix', prefix: first.value, to };
  return { kind: 'full', to };
}

export interface VsRoutes extends HostRoutes {
  /** Bound to no gateway (or only `mesh`). */
  meshOnly: boolean;
}

/** Every http block in order; a block without destinations (a redirect) keeps its place with none. */
export function virtualServiceRoutes(vs: VirtualService): VsRoutes {
  const ns = vs.metadata?.namespace ?? 'default';
  const source = `VirtualService/${ns}/${vs.metadata?.name ?? ''}`;
  const blocks = Array.isArray(vs.spec?.http) ? vs.spec.http : [];
  const routes = blocks.map((http, i): Route => {
    const matches = (Array.isArray(http?.match) ? http.match : []).map(istioMatch);
    const route: Route = {
      matches, backends: destinations(ns, Array.isArray(http?.route) ? http.route : []), source: `${source}#${http?.name ?? i}`,
    };
    const rewrite = http ? rewriteOf(http, matches) : undefined;
    return rewrite === undefined ? route : { ...route, rewrite };
  });
  const gateways = vs.spec?.gateways ?? [];
  return { hosts: vs.spec?.hosts ?? [], routes, meshOnly: gateways.every((g) => g === 'mesh'), source };
}
