// Resolve a destination (Service + port [+ subset labels]) to an upstream of ready
// endpoint addresses, the way kube-proxy / ingress-nginx / Envoy see it.
import type { Endpoint, EndpointSlice, KubeObject, Pod, Service, ServicePort } from '../../kube/object.js';
import type { DestinationRule } from '../../kube/route-objects.js';
import type { Destination as RouteDestination } from '../../kube/routing/model.js';
import type { BackendRef, Upstream } from './model.js';

/** The objects the gateway reads, grouped by kind. */
export interface ObjectIndex {
  services: Map<string, Service>;
  slicesByService: Map<string, EndpointSlice[]>;
  pods: Map<string, Pod>;
  destinationRules: DestinationRule[];
  upstreams: Record<string, Upstream>;
}

export interface Destination {
  namespace: string;
  service: string;
  port?: number | string;
  /** Pod labels an endpoint must carry (a DestinationRule subset). */
  labels?: Record<string, string>;
  subsetName?: string;
}

const key = (ns: string, name: string): string => `${ns}/${name}`;
const nsOf = (o: KubeObject): string => o.metadata?.namespace ?? 'default';

export function indexObjects(objects: KubeObject[]): ObjectIndex {
  const ix: ObjectIndex = {
    services: new Map(), slicesByService: new Map(), pods: new Map(), destinationRules: [], upstreams: {},
  };
  for (const o of objects) {
    const name = o.metadata?.name ?? '';
    if (o.kind === 'Service') ix.services.set(key(nsOf(o), name), o);
    else if (o.kind === 'Pod') ix.pods.set(key(nsOf(o), name), o);
    else if (o.kind === 'DestinationRule') ix.destinationRules.push(o);
    else if (o.kind === 'EndpointSlice') {
      const svc = o.metadata?.labels?.['kubernetes.io/service-name'];
      if (svc === undefined) continue;
      const k = key(nsOf(o), svc);
      ix.slicesByService.set(k, [...(ix.slicesByService.get(k) ?? []), o]);
    }
  }
  return ix;
}

/**
 * Split an Istio-style host into service and namespace: `reviews` (in `ns`), `reviews.prod`,
 * `reviews.prod.svc`, `reviews.prod.svc.cluster.local`. Other names are not cluster services.
 */
export function serviceOfHost(host: string, ns: string): { service: string; namespace: string } | undefined {
  const parts = host.split('.');
  const [service, namespace] = parts;
  if (service === undefined || service === '') return undefined;
  if (parts.length === 1) return { service, namespace: ns };
  const rest = parts.slice(2).join('.');
  if (parts.length === 2 || rest === 'svc' || rest === 'svc.cluster.local') {
    return { service, namespace: namespace ?? ns };
  }
  return undefined;
}

/** Labels of a subset from the first DestinationRule (by name) whose host is the service. */
export function subsetLabels(
  ix: ObjectIndex, ns: string, service: string, subset: string,
): Record<string, string> | undefined {
  const rules = ix.destinationRules
    .filter((dr) => nsOf(dr) === ns)
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  for (const dr of rules) {
    const target = serviceOfHost(String(dr.spec?.host ?? ''), ns);
    if (target?.service !== service || target.namespace !== ns) continue;
    const found = (dr.spec?.subsets ?? []).find((s) => s?.name === subset);
    if (found) return { ...(found.labels ?? {}) };
  }
  return undefined;
}

function servicePort(svc: Service, port: number | string | undefined): ServicePort | undefined {
  const ports = svc.spec?.ports ?? [];
  if (port === undefined) return ports.length === 1 ? ports[0] : undefined;
  return ports.find((p) => p?.port === port || (p?.name !== undefined && p.name === port));
}

function slicePort(slice: EndpointSlice, svcPort: ServicePort): number | undefined {
  const ports = slice.ports ?? [];
  const named = ports.find((p) => (p?.name ?? '') === (svcPort.name ?? ''));
  if (named?.port !== undefined) return named.port;
  if (ports.length === 1 && ports[0]?.port !== undefined) return ports[0].port;
  return typeof svcPort.targetPort === 'number' ? svcPort.targetPort : svcPort.port;
}

function podMatches(ix: ObjectIndex, ns: string, ep: Endpoint, labels: Record<string, string>): boolean {
  const ref = ep?.targetRef;
  if (ref?.kind !== 'Pod' || typeof ref.name !== 'string') return false;
  const pod = ix.pods.get(key(ref.namespace ?? ns, ref.name));
  const have = pod?.metadata?.labels ?? {};
  return Object.entries(labels).every(([k, v]) => have[k] === v);
}

// Only ready endpoints carry traffic (ingress-nginx and Envoy both skip not-ready and
// terminating ones); the API says a missing `ready` means ready.
function isReady(ep: Endpoint): boolean {
  return ep?.conditions?.ready !== false && ep?.conditions?.terminating !== true;
}

function endpointsOf(ix: ObjectIndex, d: Destination, svcPort: ServicePort): string[] {
  const out = new Set<string>();
  for (const slice of ix.slicesByService.get(key(d.namespace, d.service)) ?? []) {
    const port = slicePort(slice, svcPort);
    for (const ep of slice.endpoints ?? []) {
      if (!isReady(ep)) continue;
      if (d.labels !== undefined && !podMatches(ix, d.namespace, ep, d.labels)) continue;
      const addr = ep.addresses?.[0];
      if (typeof addr === 'string') out.add(`${addr}:${port}`);
    }
  }
  return [...out].sort();
}

const sanitize = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '_');

/** Register the destination's upstream in `ix.upstreams`; a missing service or port answers 503. */
export function resolveBackend(ix: ObjectIndex, d: Destination): BackendRef {
  const svc = ix.services.get(key(d.namespace, d.service));
  if (svc === undefined) return { status: 503 };
  const svcPort = servicePort(svc, d.port);
  if (svcPort === undefined) return { status: 503 };
  const subset = d.subsetName === undefined ? '' : `_${d.subsetName}`;
  const name = `zd_${sanitize(`${d.namespace}_${d.service}_${svcPort.port}${subset}`)}`;
  const source = `Service/${d.namespace}/${d.service}:${svcPort.port}${d.subsetName ? ` subset ${d.subsetName}` : ''}`;
  ix.upstreams[name] ??= { name, endpoints: endpointsOf(ix, d, svcPort), source };
  return { upstream: name };
}

/** A route's destination (src/kube's model) as an upstream: Istio hosts through DestinationRule subsets. */
export function resolveDestination(ix: ObjectIndex, d: RouteDestination): BackendRef {
  if (d.by === 'service') return resolveBackend(ix, { namespace: d.namespace, service: d.host, port: d.port });
  const target = serviceOfHost(d.host, d.namespace);
  if (target === undefined) return { status: 503 };
  if (d.subset === undefined) return resolveBackend(ix, { ...target, port: d.port });
  // A subset no DestinationRule defines has no cluster: Envoy answers 503 (cluster not found).
  const labels = subsetLabels(ix, target.namespace, target.service, d.subset);
  if (labels === undefined) return { status: 503 };
  return resolveBackend(ix, { ...target, port: d.port, labels, subsetName: d.subset });
}
