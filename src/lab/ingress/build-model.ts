// Kubernetes objects -> RoutingModel. Which Host goes where:
// - Ingress rules match their `host`; a rule without host matches any Host.
// - A VirtualService host `reviews` (or `reviews.ns[.svc[.cluster.local]]`) matches the Host
//   `reviews`, `reviews.ns`, `reviews.ns.svc` and `reviews.ns.svc.cluster.local`; `*` matches any.
// - HTTPRoute `hostnames` match their names; none matches any Host.
// - Lone-VirtualService rule: when exactly one VirtualService exists and it is bound to no
//   gateway (or only `mesh`), it also serves every Host nothing else names, so a lab probe of
//   http://127.0.0.1:port/ reaches it without a Host header.
// Catch-all order: VirtualServices with `*`, host-less HTTPRoutes, host-less Ingress rules,
// then the lone VirtualService. Within one host: Ingress, then VirtualService, then
// HTTPRoute routes; the first matching route wins.
import type { KubeObject } from '../../kube/object.js';
import { httpRouteRoutes } from '../../kube/routing/from-gateway-api.js';
import { ingressRoutes } from '../../kube/routing/from-ingress.js';
import { virtualServiceRoutes } from '../../kube/routing/from-istio.js';
import { mapBackends, type Route as DeclaredRoute } from '../../kube/routing/model.js';
import { indexObjects, resolveDestination, type ObjectIndex } from './backends.js';
import type { BackendRef, Route, RoutingModel, VirtualHost } from './model.js';

const byName = (a: KubeObject, b: KubeObject): number =>
  `${a.metadata?.namespace}/${a.metadata?.name}`.localeCompare(`${b.metadata?.namespace}/${b.metadata?.name}`);

/** Every name a VirtualService host answers to. */
export function expandHost(host: string, ns: string): string[] {
  if (host === '*' || host.startsWith('*.')) return [host];
  const parts = host.split('.');
  const rest = parts.slice(2).join('.');
  const isService = parts.length === 1 || parts.length === 2 || rest === 'svc' || rest === 'svc.cluster.local';
  if (!isService) return [host];
  const name = parts[0]!;
  const n = parts[1] ?? ns;
  return [name, `${name}.${n}`, `${name}.${n}.svc`, `${name}.${n}.svc.cluster.local`];
}

class HostTable {
  private readonly named = new Map<string, { routes: Route[]; sources: string[] }>();
  readonly catchAll: Route[] = [];
  readonly catchSources: string[] = [];

  add(hosts: string[], routes: Route[], source: string): void {
    if (hosts.length === 0 || hosts.includes('*')) {
      this.catchAll.push(...routes);
      this.catchSources.push(source);
    }
    for (const h of hosts.filter((x) => x !== '*')) {
      const entry = this.named.get(h) ?? { routes: [], sources: [] };
      entry.routes.push(...routes);
      entry.sources.push(source);
      this.named.set(h, entry);
    }
  }

  vhosts(): VirtualHost[] {
    // Exact names before wildcards, as nginx server_name and Envoy domains do.
    const names = [...this.named.keys()].sort((a, b) => Number(a.startsWith('*')) - Number(b.startsWith('*')) || a.localeCompare(b));
    const out: VirtualHost[] = [];
    for (const h of names) {
      const e = this.named.get(h)!;
      // Names with the very same routes share one vhost (one nginx server block).
      const twin = out.find((v) => v.routes.length === e.routes.length && v.routes.every((r, i) => r === e.routes[i]));
      if (twin !== undefined && twin.hosts[0]!.startsWith('*') === h.startsWith('*')) twin.hosts.push(h);
      else out.push({ hosts: [h], routes: e.routes, source: e.sources.join(', ') });
    }
    if (this.catchSources.length > 0) out.push({ hosts: [], routes: this.catchAll, source: this.catchSources.join(', ') });
    return out;
  }
}

const resolve = (ix: ObjectIndex, routes: DeclaredRoute[]): Route[] =>
  routes.map((r) => mapBackends(r, (d) => resolveDestination(ix, d)));

// Gateway API: a backendRef to a missing Service or port is invalid, and requests routed to it
// MUST get 500 (HTTPRoute spec, BackendRefs); Envoy and nginx answer 503 for a missing cluster.
const invalidAs500 = (routes: Route[]): Route[] =>
  routes.map((r) => mapBackends(r, (b): BackendRef => ('status' in b ? { status: 500 } : b)));

/** Build the gateway's routing model from the objects it watches (any kinds; others ignored). */
export function buildRoutingModel(objects: KubeObject[]): RoutingModel {
  const ix = indexObjects(objects);
  const ofKind = (k: string): KubeObject[] => objects.filter((o) => o.kind === k).sort(byName);
  const table = new HostTable();
  // Resolved in this order (Istio, Ingress, HTTPRoute) so upstreams are registered as before.
  const vss = ofKind('VirtualService').map((vs) => {
    const r = virtualServiceRoutes(vs);
    // An http block without destinations (a redirect) does not route here.
    return { vs, r: { ...r, routes: resolve(ix, r.routes.filter((x) => x.backends.length > 0)) } };
  });
  const ingress = ingressRoutes(ofKind('Ingress')).map((h) => ({ host: h.host, routes: resolve(ix, h.routes) }));
  const httpRoutes = ofKind('HTTPRoute').map((hr) => {
    const r = httpRouteRoutes(hr);
    return { hr, r: { ...r, routes: invalidAs500(resolve(ix, r.routes)) } };
  });

  for (const { r } of vss.filter((x) => x.r.hosts.includes('*'))) table.add(['*'], r.routes, `${r.source} *`);
  for (const { r } of httpRoutes.filter((x) => x.r.hosts.length === 0)) table.add([], r.routes, 'HTTPRoute');
  for (const h of ingress) table.add(h.host === '' ? [] : [h.host], h.routes, `Ingress ${h.host || '*'}`);
  for (const { vs, r } of vss) {
    const names = r.hosts.filter((h) => h !== '*').flatMap((h) => expandHost(h, vs.metadata?.namespace ?? 'default'));
    if (names.length > 0) table.add(names, r.routes, r.source);
  }
  for (const { r } of httpRoutes.filter((x) => x.r.hosts.length > 0)) table.add(r.hosts, r.routes, 'HTTPRoute');
  const lone = vss.length === 1 ? vss[0] : undefined;
  if (lone !== undefined && lone.r.meshOnly && !lone.r.hosts.includes('*')) table.add([], lone.r.routes, `${lone.r.source} (lone VirtualService)`);
  return { vhosts: table.vhosts(), upstreams: ix.upstreams };
}
