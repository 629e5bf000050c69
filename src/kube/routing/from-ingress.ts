// networking.k8s.io/v1 Ingress -> routes, with the ingress-nginx semantics users rely on:
// use-regex / rewrite-target (case-insensitive `^path` locations, whole-URI rewrite),
// canary ingresses (canary-by-header, canary-by-header-value, canary-weight).
import type { Ingress, IngressBackend } from '../route-objects.js';
import type { Destination, Route, StringMatch } from './model.js';
import { pathPrefixMatch } from './path-match.js';

export { pathPrefixMatch } from './path-match.js';

const A = 'nginx.ingress.kubernetes.io/';

/** Routes for one host name ('' = any host). */
export interface IngressHost {
  host: string;
  routes: Route[];
}

interface PathRule {
  host: string;
  path: string;
  pathType: string;
  backend: Destination;
  source: string;
  ingress: Ingress;
}

const ann = (o: Ingress, k: string): string | undefined => o.metadata?.annotations?.[A + k];

function isNginxClass(o: Ingress): boolean {
  const cls = o.spec?.ingressClassName ?? o.metadata?.annotations?.['kubernetes.io/ingress.class'];
  return cls === undefined || cls === 'nginx';
}

/** A backend without a Service name has host '' (no such Service: the gateway answers 503). */
function backendOf(o: Ingress, b: IngressBackend | undefined): Destination {
  const svc = b?.service;
  const dest: Destination = { host: typeof svc?.name === 'string' ? svc.name : '', namespace: o.metadata?.namespace ?? 'default', by: 'service' };
  const port = svc?.port?.number ?? svc?.port?.name;
  if (port !== undefined) dest.port = port;
  return dest;
}

function pathRules(o: Ingress): PathRule[] {
  const src = `Ingress/${o.metadata?.namespace ?? 'default'}/${o.metadata?.name ?? ''}`;
  const out: PathRule[] = [];
  for (const rule of o.spec?.rules ?? []) {
    for (const p of rule?.http?.paths ?? []) {
      out.push({
        host: rule.host ?? '', path: p.path ?? '/', pathType: p.pathType ?? 'ImplementationSpecific',
        backend: backendOf(o, p.backend), source: `${src} ${rule.host ?? '*'}${p.path ?? '/'}`, ingress: o,
      });
    }
  }
  if (o.spec?.defaultBackend !== undefined) {
    out.push({
      host: '', path: '/', pathType: 'Prefix', backend: backendOf(o, o.spec.defaultBackend),
      source: `${src} defaultBackend`, ingress: o,
    });
  }
  return out;
}

// ingress-nginx: once any Ingress of a host uses regex or rewrite-target, every path of
// that host becomes a case-insensitive `~* ^path` location.
function uriMatch(r: PathRule, regexHost: boolean): StringMatch {
  if (r.pathType === 'Exact') return { kind: 'exact', value: r.path };
  if (regexHost) return { kind: 'regex', value: `^${r.path}`, ignoreCase: true };
  if (r.pathType === 'Prefix') return pathPrefixMatch(r.path);
  return { kind: 'prefix', value: r.path };
}

function toRoute(r: PathRule, regexHost: boolean): Route {
  const target = ann(r.ingress, 'rewrite-target');
  const route: Route = { matches: [{ uri: uriMatch(r, regexHost), headers: [] }], backends: [{ backend: r.backend, weight: 100 }], source: r.source };
  // nginx `rewrite` replaces the whole URI with the target (unanchored, case-insensitive).
  if (target !== undefined) route.rewrite = { kind: 'regex', pattern: r.path, replacement: target, ignoreCase: true };
  return route;
}

// Canary routes go in front of (header) or into (weight) the main route of the same host+path.
function applyCanary(routes: Route[], keys: string[], c: PathRule): void {
  const at = keys.indexOf(`${c.host}|${c.path}`);
  const main = routes[at];
  if (main === undefined) return;
  const header = ann(c.ingress, 'canary-by-header')?.toLowerCase();
  const weight = Number(ann(c.ingress, 'canary-weight') ?? 0);
  const total = Number(ann(c.ingress, 'canary-weight-total') ?? 100);
  const extra: Route[] = [];
  if (header !== undefined) {
    const value = ann(c.ingress, 'canary-by-header-value');
    const uri = main.matches[0]?.uri;
    const on = { name: header, match: { kind: 'exact' as const, value: value ?? 'always' } };
    extra.push({ ...main, matches: [{ uri, headers: [on] }], backends: [{ backend: c.backend, weight: 100 }], source: c.source });
    if (value === undefined) {
      const off = { name: header, match: { kind: 'exact' as const, value: 'never' } };
      extra.push({ ...main, matches: [{ uri, headers: [off] }] });
    }
  }
  if (weight > 0) {
    main.backends = [{ backend: main.backends[0]!.backend, weight: Math.max(0, total - weight) }, { backend: c.backend, weight }];
  }
  routes.splice(at, 0, ...extra);
  keys.splice(at, 0, ...extra.map(() => ''));
}

/** All Ingresses of the gateway's class, grouped by host, routes in ingress-nginx order. */
export function ingressRoutes(ingresses: Ingress[]): IngressHost[] {
  const mine = ingresses.filter(isNginxClass);
  const isCanary = (o: Ingress): boolean => ann(o, 'canary') === 'true';
  const all = mine.filter((o) => !isCanary(o)).flatMap(pathRules);
  const canaries = mine.filter(isCanary).flatMap(pathRules);
  const hosts = [...new Set(all.map((r) => r.host))];
  return hosts.map((host) => {
    const rules = all.filter((r) => r.host === host);
    const regexHost = rules.some((r) => ann(r.ingress, 'use-regex') === 'true' || ann(r.ingress, 'rewrite-target') !== undefined);
    // Exact paths win in nginx; the rest follow ingress-nginx's descending path order.
    rules.sort((a, b) => Number(b.pathType === 'Exact') - Number(a.pathType === 'Exact') || (a.path < b.path ? 1 : a.path > b.path ? -1 : 0));
    const routes = rules.map((r) => toRoute(r, regexHost));
    const keys = rules.map((r) => `${r.host}|${r.path}`);
    for (const c of canaries.filter((x) => x.host === host)) applyCanary(routes, keys, c);
    return { host, routes };
  });
}
