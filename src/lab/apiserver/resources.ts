// The resource table: every kind the lab API serves, with what discovery and the store need.

export interface ResourceDef {
  group: string;
  /** Served versions, preferred (storage) version first; all versions share one store. */
  versions: string[];
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  subresources: string[];
  /** metadata.generation is bumped when anything but metadata/status changes. */
  generation: boolean;
  categories?: string[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function def(
  group: string,
  versions: string[],
  resource: string,
  kind: string,
  opts: Partial<Pick<ResourceDef, 'namespaced' | 'shortNames' | 'subresources' | 'generation' | 'categories'>> = {},
): ResourceDef {
  return {
    group,
    versions,
    resource,
    singular: kind.toLowerCase(),
    kind,
    namespaced: opts.namespaced ?? true,
    shortNames: opts.shortNames ?? [],
    subresources: opts.subresources ?? [],
    generation: opts.generation ?? true,
    ...(opts.categories ? { categories: opts.categories } : {}),
  };
}

const ISTIO = ['v1', 'v1beta1', 'v1alpha3'];
const ALL = ['all'];

export const RESOURCES: readonly ResourceDef[] = [
  def('', ['v1'], 'pods', 'Pod', {
    shortNames: ['po'],
    subresources: ['status', 'binding', 'log', 'eviction'],
    generation: false,
    categories: ALL,
  }),
  def('', ['v1'], 'services', 'Service', { shortNames: ['svc'], subresources: ['status'], generation: false, categories: ALL }),
  def('', ['v1'], 'endpoints', 'Endpoints', { shortNames: ['ep'], generation: false }),
  def('', ['v1'], 'events', 'Event', { shortNames: ['ev'], generation: false }),
  def('', ['v1'], 'nodes', 'Node', { namespaced: false, shortNames: ['no'], subresources: ['status'], generation: false }),
  def('', ['v1'], 'namespaces', 'Namespace', { namespaced: false, shortNames: ['ns'], subresources: ['status'], generation: false }),
  def('', ['v1'], 'configmaps', 'ConfigMap', { shortNames: ['cm'], generation: false }),
  def('', ['v1'], 'secrets', 'Secret', { generation: false }),
  def('', ['v1'], 'serviceaccounts', 'ServiceAccount', { shortNames: ['sa'], generation: false }),
  def('apps', ['v1'], 'deployments', 'Deployment', { shortNames: ['deploy'], subresources: ['status', 'scale'], categories: ALL }),
  def('apps', ['v1'], 'replicasets', 'ReplicaSet', { shortNames: ['rs'], subresources: ['status', 'scale'], categories: ALL }),
  def('apps', ['v1'], 'statefulsets', 'StatefulSet', { shortNames: ['sts'], subresources: ['status', 'scale'], categories: ALL }),
  def('apps', ['v1'], 'daemonsets', 'DaemonSet', { shortNames: ['ds'], subresources: ['status'], categories: ALL }),
  def('apps', ['v1'], 'controllerrevisions', 'ControllerRevision', {}),
  def('discovery.k8s.io', ['v1'], 'endpointslices', 'EndpointSlice', { generation: false }),
  def('coordination.k8s.io', ['v1'], 'leases', 'Lease', { generation: false }),
  def('networking.k8s.io', ['v1'], 'ingresses', 'Ingress', { shortNames: ['ing'], subresources: ['status'] }),
  def('networking.k8s.io', ['v1'], 'ingressclasses', 'IngressClass', { namespaced: false }),
  def('networking.istio.io', ISTIO, 'virtualservices', 'VirtualService', { shortNames: ['vs'], subresources: ['status'] }),
  def('networking.istio.io', ISTIO, 'destinationrules', 'DestinationRule', { shortNames: ['dr'], subresources: ['status'] }),
  def('networking.istio.io', ISTIO, 'gateways', 'Gateway', { shortNames: ['gw'], subresources: ['status'] }),
  def('rollouts.kruise.io', ['v1beta1', 'v1alpha1'], 'rollouts', 'Rollout', { subresources: ['status'] }),
  def('gateway.networking.k8s.io', ['v1', 'v1beta1'], 'httproutes', 'HTTPRoute', { subresources: ['status'] }),
  def('gateway.networking.k8s.io', ['v1', 'v1beta1'], 'gateways', 'Gateway', { shortNames: ['gtw'], subresources: ['status'] }),
  def('gateway.networking.k8s.io', ['v1', 'v1beta1'], 'gatewayclasses', 'GatewayClass', {
    namespaced: false,
    shortNames: ['gc'],
    subresources: ['status'],
  }),
  def('apiextensions.k8s.io', ['v1'], 'customresourcedefinitions', 'CustomResourceDefinition', {
    namespaced: false,
    shortNames: ['crd', 'crds'],
    subresources: ['status'],
  }),
];

/** Verbs a resource (or subresource) supports, as discovery lists them. */
export function verbsOf(sub?: string): string[] {
  if (sub === undefined) return ALL_VERBS;
  if (sub === 'binding' || sub === 'eviction') return ['create'];
  if (sub === 'log') return ['get'];
  return ['get', 'patch', 'update'];
}

export function findResource(group: string, version: string, resource: string): ResourceDef | undefined {
  return RESOURCES.find((r) => r.group === group && r.resource === resource && r.versions.includes(version));
}

export function findByKind(apiVersion: string, kind: string): ResourceDef | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return RESOURCES.find((r) => r.group === group && r.kind === kind && r.versions.includes(version ?? ''));
}

export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** Groups in discovery order, each with its versions (preferred first). */
export function groups(): Array<{ name: string; versions: string[] }> {
  const out: Array<{ name: string; versions: string[] }> = [];
  for (const r of RESOURCES) {
    if (r.group === '') continue;
    const g = out.find((x) => x.name === r.group);
    if (!g) out.push({ name: r.group, versions: [...r.versions] });
    else for (const v of r.versions) if (!g.versions.includes(v)) g.versions.push(v);
  }
  return out;
}
