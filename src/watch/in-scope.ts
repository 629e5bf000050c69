// Which observed objects belong to the release being probed; the rest of the namespace is ignored.
import type { CoreEvent, Deployment, KubeObject } from '../kube/object.js';
import type { HttpRoute, Ingress, VirtualService } from '../kube/route-objects.js';
import type { Role } from './resources.js';
import { selectsPods, type Scope } from './scope.js';
import { fromLabelSelector, matches } from '../kube/selector.js';

/** What the watcher has seen so far, to judge objects that only name others (events, slices, routes). */
export interface Known {
  services: Set<string>;
  pods: Set<string>;
  replicasets: Set<string>;
  /** Nodes the watched pods were placed on. */
  nodes: Set<string>;
}

const host = (h: unknown): string => String(h ?? '').split('.')[0]!;

export function serviceInScope(scope: Scope, svc: KubeObject): boolean {
  const name = svc.metadata?.name ?? '';
  // Kruise creates "<service>-canary" during a canary; it belongs to the same release.
  const canaryOf = name.endsWith('-canary') && scope.services.has(name.slice(0, -'-canary'.length));
  return scope.all || scope.services.has(name) || canaryOf || selectsPods(scope, svc);
}

function workloadInScope(scope: Scope, obj: Deployment): boolean {
  if (scope.all || obj.metadata?.name === scope.deployment) return true;
  const owner = obj.metadata?.ownerReferences?.[0]?.name;
  if (owner && owner === scope.deployment) return true;
  return !!scope.podSelector?.length && matches(scope.podSelector, obj.spec?.template?.metadata?.labels);
}

/** The parts of a route object's spec that name Services (Istio, Gateway API, Ingress). */
interface RouteSpec {
  host?: string;
  http?: VsRoute[];
  tcp?: VsRoute[];
  tls?: VsRoute[];
  rules?: Array<{ backendRefs?: Array<{ name: string }>; http?: { paths?: Array<{ backend?: IngressBackend }> } }>;
  defaultBackend?: IngressBackend;
}
type VsRoute = { route?: Array<{ destination?: { host?: string } }> };
type IngressBackend = { service?: { name?: string } };

export function routeTargets(obj: KubeObject): string[] {
  if (obj.kind === 'DestinationRule') return [host(obj.spec?.host)];
  if (obj.kind === 'VirtualService') {
    const s = (obj as VirtualService).spec ?? {};
    const routes = [...(s.http ?? []), ...(s.tcp ?? []), ...(s.tls ?? [])];
    return routes.flatMap((r) => (r.route ?? []).map((d) => host(d?.destination?.host)));
  }
  if (obj.kind === 'HTTPRoute') return ((obj as HttpRoute).spec?.rules ?? []).flatMap((r) => (r.backendRefs ?? []).map((b) => b.name as string));
  const s = (obj as Ingress).spec ?? {};
  const paths = (s.rules ?? []).flatMap((r) => r.http?.paths ?? []).map((p) => p.backend);
  return [s.defaultBackend, ...paths].map((b) => b?.service?.name).filter((n): n is string => !!n);
}

function rolloutInScope(scope: Scope, r: KubeObject): boolean {
  const flavor = r.apiVersion?.startsWith('argoproj.io') ? 'argo' : 'kruise';
  if (scope.rollout) return scope.rollout.flavor === flavor && scope.rollout.name === r.metadata?.name;
  return scope.all || (!!scope.deployment && r.spec?.workloadRef?.name === scope.deployment);
}

function eventInScope(scope: Scope, e: CoreEvent, known: Known): boolean {
  if (scope.all) return true;
  const kind = e.involvedObject?.kind ?? e.regarding?.kind;
  const name: string = e.involvedObject?.name ?? e.regarding?.name ?? '';
  // Pod and ReplicaSet names start with "<deployment>-", which catches events that beat their object here.
  const child = !!scope.deployment && name.startsWith(`${scope.deployment}-`);
  if (kind === 'Pod') return known.pods.has(name) || child;
  if (kind === 'ReplicaSet') return known.replicasets.has(name) || child;
  if (kind === 'Deployment') return name === scope.deployment;
  if (kind === 'Rollout') return name === scope.rollout?.name;
  if (kind === 'Service') return known.services.has(name);
  if (kind === 'Node') return known.nodes.has(name);
  return false;
}

export function inScope(role: Role, scope: Scope, obj: KubeObject, known: Known): boolean {
  switch (role) {
    case 'pod': return true; // already selected by the server (labelSelector)
    case 'endpoint': return scope.all || known.services.has(obj.metadata?.labels?.['kubernetes.io/service-name'] ?? '');
    case 'service': return serviceInScope(scope, obj);
    case 'deployment':
    case 'replicaset': return workloadInScope(scope, obj);
    case 'route': return scope.all || known.services.size === 0 || routeTargets(obj).some((t) => known.services.has(t));
    case 'rollout': return rolloutInScope(scope, obj);
    case 'event': return eventInScope(scope, obj, known);
    case 'node': return known.nodes.has(obj.metadata?.name ?? '');
    case 'pdb': return scope.all || (Object.keys(scope.podLabels).length > 0 && matches(fromLabelSelector(obj.spec?.selector), scope.podLabels));
  }
}
