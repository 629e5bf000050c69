// Istio VirtualService (+ DestinationRule subsets) and Gateway API HTTPRoute -> routes.
import type { KubeObject } from '../../types.js';
import { resolveBackend, serviceOfHost, subsetLabels } from './backends.js';
import type { ObjectIndex } from './backends.js';
import { pathPrefixMatch } from './from-ingress.js';
import type { BackendRef, Route, RouteMatch, StringMatch, WeightedBackend } from './model.js';

export interface VsRoutes {
  hosts: string[];
  routes: Route[];
  /** Bound to no gateway (or only `mesh`): eligible for the lone-VirtualService rule. */
  meshOnly: boolean;
  source: string;
}

const nsOf = (o: KubeObject): string => o.metadata?.namespace ?? 'default';

// Istio/Envoy regexes are RE2 full matches.
function istioString(m: any, ignoreCase = false): StringMatch | undefined {
  if (typeof m?.exact === 'string') return { kind: 'exact', value: m.exact, ignoreCase };
  if (typeof m?.prefix === 'string') return { kind: 'prefix', value: m.prefix, ignoreCase };
  if (typeof m?.regex === 'string') return { kind: 'regex', value: `^(?:${m.regex})$`, ignoreCase };
  return undefined;
}

function istioMatch(m: any): RouteMatch {
  const headers = Object.entries(m?.headers ?? {}).flatMap(([name, v]) => {
    const match = istioString(v);
    return match === undefined ? [] : [{ name: name.toLowerCase(), match }];
  });
  const uri = istioString(m?.uri, m?.ignoreUriCase === true);
  return uri === undefined ? { headers } : { uri, headers };
}

function istioBackend(ix: ObjectIndex, ns: string, dest: any): BackendRef {
  const target = serviceOfHost(String(dest?.host ?? ''), ns);
  if (target === undefined) return { status: 503 };
  const port = dest?.port?.number;
  if (typeof dest?.subset !== 'string') return resolveBackend(ix, { ...target, port });
  // A subset no DestinationRule defines has no cluster: Envoy answers 503 (cluster not found).
  const labels = subsetLabels(ix, target.namespace, target.service, dest.subset);
  if (labels === undefined) return { status: 503 };
  return resolveBackend(ix, { ...target, port, labels, subsetName: dest.subset });
}

// One destination defaults to weight 100; with several, a missing weight is 0.
function weights(ix: ObjectIndex, ns: string, route: any[]): WeightedBackend[] {
  return route.map((r) => ({
    backend: istioBackend(ix, ns, r?.destination),
    weight: typeof r?.weight === 'number' ? r.weight : route.length === 1 ? 100 : 0,
  }));
}

function istioRewrite(http: any, matches: RouteMatch[]): Route['rewrite'] {
  const to = http?.rewrite?.uri;
  if (typeof to !== 'string') return undefined;
  const first = matches[0]?.uri;
  if (first?.kind === 'prefix') return { kind: 'prefix', prefix: first.value, to };
  return { kind: 'full', to };
}

export function virtualServiceRoutes(ix: ObjectIndex, vs: KubeObject): VsRoutes {
  const ns = nsOf(vs);
  const source = `VirtualService/${ns}/${vs.metadata?.name ?? ''}`;
  const routes: Route[] = (vs.spec?.http ?? []).flatMap((http: any, i: number) => {
    if (!Array.isArray(http?.route) || http.route.length === 0) return [];
    const matches = (http.match ?? []).map(istioMatch);
    const rewrite = istioRewrite(http, matches);
    const route: Route = { matches, backends: weights(ix, ns, http.route), source: `${source}#${http.name ?? i}` };
    return [rewrite === undefined ? route : { ...route, rewrite }];
  });
  const gateways: string[] = vs.spec?.gateways ?? [];
  return { hosts: vs.spec?.hosts ?? [], routes, meshOnly: gateways.every((g) => g === 'mesh'), source };
}

function httpRouteMatch(m: any): RouteMatch {
  const p = m?.path;
  const value = String(p?.value ?? '/');
  const uri: StringMatch = p?.type === 'Exact' ? { kind: 'exact', value }
    : p?.type === 'RegularExpression' ? { kind: 'regex', value: `^(?:${value})$` } : pathPrefixMatch(value);
  const headers = (m?.headers ?? []).map((h: any) => ({
    name: String(h?.name ?? '').toLowerCase(),
    match: h?.type === 'RegularExpression' ? { kind: 'regex' as const, value: `^(?:${h.value})$` } : { kind: 'exact' as const, value: String(h?.value ?? '') },
  }));
  return { uri, headers };
}

function httpRouteRewrite(rule: any): Route['rewrite'] {
  const path = (rule?.filters ?? []).find((f: any) => f?.type === 'URLRewrite')?.urlRewrite?.path;
  if (path?.type === 'ReplaceFullPath') return { kind: 'full', to: String(path.replaceFullPath ?? '/') };
  if (path?.type !== 'ReplacePrefixMatch') return undefined;
  const prefix = String(rule?.matches?.[0]?.path?.value ?? '/').replace(/\/+$/, '');
  return { kind: 'prefix', prefix, to: String(path.replacePrefixMatch ?? '/') };
}

/** Gateway API HTTPRoute: rules in order (not by Gateway API specificity), weights default 1. */
export function httpRouteRoutes(ix: ObjectIndex, hr: KubeObject): { hosts: string[]; routes: Route[] } {
  const ns = nsOf(hr);
  const source = `HTTPRoute/${ns}/${hr.metadata?.name ?? ''}`;
  const routes = (hr.spec?.rules ?? []).map((rule: any, i: number): Route => {
    const matches = (rule?.matches?.length ? rule.matches : [{}]).map(httpRouteMatch);
    const backends = (rule?.backendRefs ?? []).map((b: any) => ({
      backend: resolveBackend(ix, { namespace: b?.namespace ?? ns, service: String(b?.name ?? ''), port: b?.port }),
      weight: typeof b?.weight === 'number' ? b.weight : 1,
    }));
    const rewrite = httpRouteRewrite(rule);
    const route: Route = { matches, backends, source: `${source}#${i}` };
    return rewrite === undefined ? route : { ...route, rewrite };
  });
  return { hosts: hr.spec?.hostnames ?? [], routes };
}
