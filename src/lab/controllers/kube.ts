// The controllers' only way to the cluster: @kubernetes/client-node clients, shared informers
// (one list+watch per resource for all controllers), merge patches and core/v1 Events.
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  DiscoveryV1Api,
  KubeConfig,
  PatchStrategy,
  makeInformer,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { makeStore } from './store.js';
import type { Store } from './store.js';
import type { KubeObject } from './objects.js';
import { iso } from './objects.js';
import { kubeConfigOf } from '../../kube/kubeconfig.js';

export interface Clients {
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  discovery: DiscoveryV1Api;
  custom: CustomObjectsApi;
}

export function makeClients(kubeconfig: string | KubeConfig): Clients {
  const kc = kubeConfigOf(kubeconfig);
  return {
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    discovery: kc.makeApiClient(DiscoveryV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
  };
}

export const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export const ROLLOUT = { group: 'rollouts.kruise.io', version: 'v1beta1', plural: 'rollouts' } as const;

export type Resource = 'pods' | 'replicasets' | 'deployments' | 'services' | 'endpointslices' | 'rollouts';

type Lister = () => Promise<KubernetesListObject<KubernetesObject>>;

function pathAndList(c: Clients, r: Resource, ns: string | undefined): [string, Lister] {
  const at = (group: string): string => (ns ? `${group}/namespaces/${ns}/${r}` : `${group}/${r}`);
  const nsArg = { namespace: ns ?? '' };
  switch (r) {
    case 'pods':
      return [at('/api/v1'), () => (ns ? c.core.listNamespacedPod(nsArg) : c.core.listPodForAllNamespaces())];
    case 'services':
      return [at('/api/v1'), () => (ns ? c.core.listNamespacedService(nsArg) : c.core.listServiceForAllNamespaces())];
    case 'replicasets':
      return [at('/apis/apps/v1'), () => (ns ? c.apps.listNamespacedReplicaSet(nsArg) : c.apps.listReplicaSetForAllNamespaces())];
    case 'deployments':
      return [at('/apis/apps/v1'), () => (ns ? c.apps.listNamespacedDeployment(nsArg) : c.apps.listDeploymentForAllNamespaces())];
    case 'endpointslices':
      return [
        at('/apis/discovery.k8s.io/v1'),
        () => (ns ? c.discovery.listNamespacedEndpointSlice(nsArg) : c.discovery.listEndpointSliceForAllNamespaces()),
      ];
    case 'rollouts':
      return [
        at(`/apis/${ROLLOUT.group}/${ROLLOUT.version}`),
        () =>
          (ns
            ? c.custom.listNamespacedCustomObject({ ...ROLLOUT, namespace: ns })
            : c.custom.listClusterCustomObject({ ...ROLLOUT })) as Promise<KubernetesListObject<KubernetesObject>>,
      ];
  }
}

export interface Informers {
  store<T extends KubernetesObject>(r: Resource): Store<T>;
  startAll(): Promise<void>;
  stopAll(): Promise<void>;
}

export function makeInformers(c: Clients, namespace: string | undefined, onError: (err: unknown) => void): Informers {
  const stores = new Map<Resource, Store<KubernetesObject>>();
  return {
    store<T extends KubernetesObject>(r: Resource): Store<T> {
      let s = stores.get(r);
      if (!s) {
        const [path, list] = pathAndList(c, r, namespace);
        s = makeStore(makeInformer(c.kc, path, list), onError);
        stores.set(r, s);
      }
      return s as unknown as Store<T>;
    },
    async startAll() {
      await Promise.all([...stores.values()].map((s) => s.start()));
    },
    async stopAll() {
      await Promise.all([...stores.values()].map((s) => s.stop()));
    },
  };
}

export interface EventSpec {
  reason: string;
  message: string;
  type?: 'Normal' | 'Warning';
}

/** A core/v1 Event as client-go's recorder writes it (name "<object>.<hex nanos>"). */
export interface TypeRef {
  apiVersion: string;
  kind: string;
}

export function buildEvent(obj: KubeObject, type: TypeRef, component: string, e: EventSpec, now: number) {
  const nanos = BigInt(now) * 1_000_000n + BigInt(Math.floor(Math.random() * 1_000_000));
  const ns = obj.metadata?.namespace ?? 'default';
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${obj.metadata?.name ?? 'unknown'}.${nanos.toString(16)}`, namespace: ns },
    involvedObject: {
      apiVersion: type.apiVersion,
      kind: type.kind,
      name: obj.metadata?.name,
      namespace: ns,
      uid: obj.metadata?.uid,
      resourceVersion: obj.metadata?.resourceVersion,
    },
    reason: e.reason,
    message: e.message,
    type: e.type ?? 'Normal',
    source: { component },
    reportingComponent: component,
    reportingInstance: '',
    firstTimestamp: iso(now),
    lastTimestamp: iso(now),
    count: 1,
  };
}

export async function recordEvent(c: Clients, obj: KubeObject, type: TypeRef, component: string, e: EventSpec): Promise<void> {
  const body = buildEvent(obj, type, component, e, Date.now());
  await c.core.createNamespacedEvent({ namespace: body.metadata.namespace, body: body as never });
}

/** The HTTP status of a client-node ApiException, if it is one. */
export function httpCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}
