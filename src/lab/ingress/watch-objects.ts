// Informers for every kind the gateway routes by, in one namespace. Kinds the cluster does
// not serve (no Istio or Gateway API CRDs) simply stay empty and are retried slowly.
import {
  CoreV1Api, CustomObjectsApi, DiscoveryV1Api, NetworkingV1Api, makeInformer,
} from '@kubernetes/client-node';
import type { Informer, KubeConfig, KubernetesListObject, KubernetesObject, ObjectCache } from '@kubernetes/client-node';
import type { KubeObject } from '../../types.js';

interface Resource {
  kind: string;
  path: string;
  list: () => Promise<KubernetesListObject<KubernetesObject>>;
}

export interface ObjectWatch {
  /** Current objects of all watched kinds, each with its `kind` set. */
  snapshot(): KubeObject[];
  close(): Promise<void>;
}

function resources(kc: KubeConfig, ns: string): Resource[] {
  const core = kc.makeApiClient(CoreV1Api);
  const disc = kc.makeApiClient(DiscoveryV1Api);
  const net = kc.makeApiClient(NetworkingV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const crd = (kind: string, group: string, version: string, plural: string): Resource => ({
    kind, path: `/apis/${group}/${version}/namespaces/${ns}/${plural}`,
    list: () => custom.listNamespacedCustomObject({ group, version, namespace: ns, plural }),
  });
  return [
    { kind: 'Service', path: `/api/v1/namespaces/${ns}/services`, list: () => core.listNamespacedService({ namespace: ns }) },
    { kind: 'Pod', path: `/api/v1/namespaces/${ns}/pods`, list: () => core.listNamespacedPod({ namespace: ns }) },
    {
      kind: 'EndpointSlice', path: `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`,
      list: () => disc.listNamespacedEndpointSlice({ namespace: ns }),
    },
    {
      kind: 'Ingress', path: `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses`,
      list: () => net.listNamespacedIngress({ namespace: ns }),
    },
    crd('VirtualService', 'networking.istio.io', 'v1beta1', 'virtualservices'),
    crd('DestinationRule', 'networking.istio.io', 'v1beta1', 'destinationrules'),
    crd('HTTPRoute', 'gateway.networking.k8s.io', 'v1', 'httproutes'),
  ];
}

const statusOf = (err: unknown): number | undefined => {
  const e = err as { code?: unknown; statusCode?: unknown } | undefined;
  const c = e?.statusCode ?? e?.code;
  return typeof c === 'number' ? c : undefined;
};

/**
 * Start informers; resolves once each kind has been listed once (or failed to list), so the
 * first snapshot is complete. `onChange` runs after every add/update/delete and re-list.
 */
export async function watchObjects(kc: KubeConfig, ns: string, onChange: () => void): Promise<ObjectWatch> {
  const started: Array<{ kind: string; inf: Informer<KubernetesObject> & ObjectCache<KubernetesObject> }> = [];
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  // A failed list or watch stops an informer; restart it, slowly when the kind is not served.
  const restart = (inf: Informer<KubernetesObject>, err: unknown): void => {
    if (closed) return;
    const t = setTimeout(() => { timers.delete(t); if (!closed) inf.start().catch(() => undefined); }, statusOf(err) === 404 ? 5000 : 1000);
    timers.add(t);
  };
  await Promise.all(resources(kc, ns).map(async (r) => {
    const inf = makeInformer(kc, r.path, r.list);
    for (const verb of ['add', 'update', 'delete'] as const) inf.on(verb, () => onChange());
    inf.on('connect', () => onChange());
    inf.on('error', (err) => restart(inf, err));
    started.push({ kind: r.kind, inf });
    await inf.start().catch((err: unknown) => restart(inf, err));
  }));
  return {
    snapshot: () => started.flatMap(({ kind, inf }) => inf.list().map((o) => ({ ...(o as KubeObject), kind }))),
    close: async () => {
      closed = true;
      for (const t of timers) clearTimeout(t);
      await Promise.all(started.map(({ inf }) => inf.stop()));
    },
  };
}
