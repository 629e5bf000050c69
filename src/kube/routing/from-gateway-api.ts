// Gateway API HTTPRoute -> routes of Destinations (Services), rules in declaration order.
import type { HttpRoute, HttpRouteMatch, HttpRouteRule } from '../route-objects.js';
import type { Destination, HostRoutes, Route, RouteMatch, StringMatch } from './model.js';
import { pathPrefixMatch } from './path-match.js';

export function httpRouteMatch(m: HttpRouteMatch | undefined): RouteMatch {
  const p = m?.path;
  const value = String(p?.value ?? '/');
  const uri: StringMatch = p?.type === 'Exact' ? { kind: 'exact', value }
    : p?.type === 'RegularExpression' ? { kind: 'regex', value: `^(?:${value})$` } : pathPrefixMatch(value);
  const headers = (m?.headers ?? []).map((h) => ({
    name: String(h?.name ?? '').toLowerCase(),
    match: h?.type === 'RegularExpression'
      ? { kind: 'regex' as const, value: `^(?:${h.value})$` } : { kind: 'exact' as const, value: String(h?.value ?? '') },
  }));
  const out: RouteMatch = { uri, headers };
  if (typeof m?.method === 'string') out.method = { kind: 'exact', value: m.method };
  return out;
}

function rewriteOf(rule: HttpRouteRule): Route['rewrite'] {
  const path = (rule.filters ?? []).find((f) => f?.type === 'URLRewrite')?.urlRewrite?.path;
  if (path?.type === 'ReplaceFullPath') return { kind: 'full', to: String(path.replaceFullPath ?? '/') };
  if (path?.type !== 'ReplacePrefixMatch') return undefined;
  const prefix = String(rule.matches?.[0]?.path?.value ?? '/').replace(/\/+$/, '');
  return { kind: 'prefix', prefix, to: String(path.replacePrefixMatch ?? '/') };
}

/** Weights default to 1. A rule without matches matches every request (path prefix "/"). */
export function httpRouteRoutes(hr: HttpRoute): HostRoutes {
  const ns = hr.metadata?.namespace ?? 'default';
  const source = `HTTPRoute/${ns}/${hr.metadata?.name ?? ''}`;
  const routes = (hr.spec?.rules ?? []).map((rule, i): Route => {
    const matches = (rule?.matches?.length ? rule.matches : [{}]).map(httpRouteMatch);
    const backends = (rule?.backendRefs ?? []).map((b) => {
      const dest: Destination = { host: String(b?.name ?? ''), namespace: b?.namespace ?? ns, by: 'service' };
      if (b?.port !== undefined) dest.port = b.port;
      return { backend: dest, weight: typeof b?.weight === 'number' ? b.weight : 1 };
    });
    const rewrite = rule ? rewriteOf(rule) : undefined;
    const route: Route = { matches, backends, source: `${source}#${i}` };
    return rewrite === undefined ? route : { ...route, rewrite };
  });
  return { hosts: hr.spec?.hostnames ?? [], routes, source };
}
