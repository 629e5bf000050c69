// EndpointSlices for one Service as pure data, as upstream's endpointslice controller builds them:
// one slice per distinct port mapping, an endpoint per selected pod that has an IP, with
// ready = Ready && !terminating, serving = Ready, terminating = deletionTimestamp set.
import type { DiscoveryV1EndpointPort, V1EndpointSlice, V1Pod, V1Service } from '@kubernetes/client-node';
import { canonicalJson, controllerRef, isPodReady, isTerminal, isTerminating } from './objects.js';
import { serviceSelects } from '../../kube/selector.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpointslice-controller.k8s.io';

export interface SlicePlan {
  create: V1EndpointSlice[];
  update: V1EndpointSlice[];
  remove: string[];
}

/** The service's ports resolved for one pod; undefined when a named targetPort is missing there. */
export function podPorts(svc: V1Service, pod: V1Pod): DiscoveryV1EndpointPort[] {
  const out: DiscoveryV1EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const target = sp.targetPort ?? sp.port;
    const protocol = sp.protocol ?? 'TCP';
    let port: number | undefined;
    if (typeof target === 'number') port = target;
    else if (/^\d+$/.test(target)) port = Number(target);
    else {
      const named = (pod.spec?.containers ?? []).flatMap((c) => c.ports ?? []).find((p) => p.name === target && (p.protocol ?? 'TCP') === protocol);
      port = named?.containerPort;
    }
    if (port === undefined) continue;
    out.push({ name: sp.name ?? '', port, protocol, appProtocol: sp.appProtocol });
  }
  return out;
}

/** ShouldPodBeInEndpoints with terminating pods included (as the EndpointSlice controller does). */
export function podSelected(svc: V1Service, pod: V1Pod): boolean {
  if (pod.metadata?.namespace !== svc.metadata?.namespace) return false;
  if (!serviceSelects(svc.spec?.selector, pod.metadata?.labels)) return false;
  return !isTerminal(pod) && Boolean(pod.status?.podIP);
}

export function endpointFor(svc: V1Service, pod: V1Pod) {
  const publish = svc.spec?.publishNotReadyAddresses === true;
  const terminating = isTerminating(pod);
  const serving = publish || isPodReady(pod);
  const ready = serving && (!terminating || publish);
  return {
    addresses: [pod.status?.podIP ?? ''],
    conditions: { ready, serving, terminating },
    nodeName: pod.spec?.nodeName || undefined,
    targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid },
  };
}

function sliceLabels(svc: V1Service): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata?.labels ?? {}) };
  labels[SERVICE_NAME_LABEL] = svc.metadata?.name ?? '';
  labels[MANAGED_BY_LABEL] = MANAGED_BY;
  if (svc.spec?.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
  return labels;
}

const portSig = (ports: DiscoveryV1EndpointPort[] | undefined): string =>
  canonicalJson((ports ?? []).map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })));

function desiredSlices(svc: V1Service, pods: readonly V1Pod[]): Array<Pick<V1EndpointSlice, 'ports' | 'endpoints'>> {
  const groups = new Map<string, { ports: DiscoveryV1EndpointPort[]; endpoints: ReturnType<typeof endpointFor>[] }>();
  const selected = pods.filter((p) => podSelected(svc, p)).sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  for (const pod of selected) {
    const ports = podPorts(svc, pod);
    const sig = canonicalJson(ports);
    const g = groups.get(sig) ?? { ports, endpoints: [] };
    g.endpoints.push(endpointFor(svc, pod));
    groups.set(sig, g);
  }
  // A service that selects no pod still gets one (placeholder) slice.
  if (groups.size === 0) return [{ ports: [], endpoints: [] }];
  return [...groups.values()];
}

const owned = (svc: V1Service, s: V1EndpointSlice): boolean =>
  s.metadata?.namespace === svc.metadata?.namespace &&
  s.metadata?.labels?.[SERVICE_NAME_LABEL] === svc.metadata?.name &&
  s.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY;

type SliceBody = Pick<V1EndpointSlice, 'ports' | 'endpoints'> & { metadata?: { labels?: object } };

/** Only the fields this controller writes, so server-added defaults never look like drift. */
function content(s: SliceBody): string {
  const ports = (s.ports ?? []).map((p) => ({ name: p.name, port: p.port, protocol: p.protocol, appProtocol: p.appProtocol }));
  const endpoints = (s.endpoints ?? []).map((e) => ({
    addresses: e.addresses,
    conditions: { ready: e.conditions?.ready, serving: e.conditions?.serving, terminating: e.conditions?.terminating },
    nodeName: e.nodeName,
    targetRef: { kind: e.targetRef?.kind, namespace: e.targetRef?.namespace, name: e.targetRef?.name, uid: e.targetRef?.uid },
  }));
  return canonicalJson({ ports, endpoints, labels: s.metadata?.labels ?? {} });
}

export function planEndpointSlices(svc: V1Service, pods: readonly V1Pod[], slices: readonly V1EndpointSlice[]): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], remove: [] };
  const mine = slices.filter((s) => owned(svc, s));
  const free = new Map(mine.map((s) => [portSig(s.ports), s]));
  const leftovers: Array<Pick<V1EndpointSlice, 'ports' | 'endpoints'>> = [];
  const labels = sliceLabels(svc);
  const build = (base: V1EndpointSlice | undefined, want: Pick<V1EndpointSlice, 'ports' | 'endpoints'>): V1EndpointSlice => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: base
      ? {
          name: base.metadata?.name,
          namespace: base.metadata?.namespace,
          labels,
          annotations: base.metadata?.annotations,
          ownerReferences: base.metadata?.ownerReferences,
          resourceVersion: base.metadata?.resourceVersion,
        }
      : { generateName: `${svc.metadata?.name ?? 'svc'}-`, namespace: svc.metadata?.namespace, labels, ownerReferences: [controllerRef(svc, 'v1', 'Service')] },
    addressType: 'IPv4',
    ports: want.ports,
    endpoints: want.endpoints,
  });
  for (const want of desiredSlices(svc, pods)) {
    const sig = portSig(want.ports);
    const have = free.get(sig);
    if (!have) {
      leftovers.push(want);
      continue;
    }
    free.delete(sig);
    const next = build(have, want);
    if (content(next) !== content(have)) plan.update.push(next);
  }
  // Reuse a slice whose ports changed before creating new ones, as upstream does.
  const reusable = [...free.values()];
  for (const want of leftovers) {
    const have = reusable.shift();
    if (have) plan.update.push(build(have, want));
    else plan.create.push(build(undefined, want));
  }
  plan.remove.push(...reusable.map((s) => s.metadata?.name ?? ''));
  return plan;
}

/** Slices left behind by a deleted Service (the lab has no garbage collector). */
export function orphanSlices(namespace: string, name: string, slices: readonly V1EndpointSlice[]): string[] {
  return slices
    .filter((s) => s.metadata?.namespace === namespace && s.metadata?.labels?.[SERVICE_NAME_LABEL] === name && s.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY)
    .map((s) => s.metadata?.name ?? '');
}
