// The live objects of one namespace that the config rules read (lint --from-cluster), listed
// with the same kubeconfig loader and list call as the watcher.
import { ZdError } from '../errors.js';
import { apiClient, type ApiClient } from './api.js';
import { loadKubeConfig, type ConfigFailure, type ConfigRequest } from './kubeconfig.js';
import { collectionPath, listObjects } from './list.js';
import type { KubeObject } from './object.js';

/** What to list, newest API version first; a group the server does not serve is skipped. */
const RESOURCES: Array<{ group: string; versions: string[]; plural: string; kind: string }> = [
  { group: '', versions: ['v1'], plural: 'services', kind: 'Service' },
  { group: 'apps', versions: ['v1'], plural: 'deployments', kind: 'Deployment' },
  { group: 'apps', versions: ['v1'], plural: 'statefulsets', kind: 'StatefulSet' },
  { group: 'apps', versions: ['v1'], plural: 'daemonsets', kind: 'DaemonSet' },
  { group: 'networking.k8s.io', versions: ['v1'], plural: 'ingresses', kind: 'Ingress' },
  { group: 'networking.istio.io', versions: ['v1', 'v1beta1', 'v1alpha3'], plural: 'virtualservices', kind: 'VirtualService' },
  { group: 'networking.istio.io', versions: ['v1', 'v1beta1', 'v1alpha3'], plural: 'destinationrules', kind: 'DestinationRule' },
  { group: 'gateway.networking.k8s.io', versions: ['v1', 'v1beta1'], plural: 'httproutes', kind: 'HTTPRoute' },
  { group: 'rollouts.kruise.io', versions: ['v1beta1', 'v1alpha1'], plural: 'rollouts', kind: 'Rollout' },
  { group: 'argoproj.io', versions: ['v1alpha1'], plural: 'rollouts', kind: 'Rollout' },
  { group: 'apps.kruise.io', versions: ['v1alpha1'], plural: 'clonesets', kind: 'CloneSet' },
];

/** lint's wording of a kubeconfig that could not be loaded (exit 3, one line). */
function configError(f: ConfigFailure): ZdError {
  switch (f.code) {
    case 'none':
    case 'missing': return new ZdError('unreachable', `no kubeconfig at ${f.file} (pass --kubeconfig or set KUBECONFIG)`);
    case 'unreadable': return new ZdError('unreachable', `cannot load kubeconfig ${f.file}: ${f.why}`);
    case 'no-context': return new ZdError('unreachable', `no context "${f.context}" in ${f.file}`);
    case 'no-current-context': return new ZdError('unreachable', `no current context in ${f.file} (pass --context)`);
  }
}

async function listResource(api: ApiClient, ns: string, r: (typeof RESOURCES)[number]): Promise<KubeObject[]> {
  for (const version of r.versions) {
    const path = collectionPath(r.group, version, r.plural, ns);
    const listed = await listObjects(api, { path, apiVersion: r.group ? `${r.group}/${version}` : version, kind: r.kind });
    if (listed.ok) return listed.items;
    if (listed.status === 404) continue;
    const what = r.group ? `${r.plural}.${r.group}` : r.plural;
    throw new ZdError('unreachable', `cannot list ${what} in ${ns}: ${listed.status ? `HTTP ${listed.status}` : listed.message}`);
  }
  return [];
}

/** Lists the objects the rules read from one namespace of a live cluster (Services first). */
export async function listNamespace(req: ConfigRequest, env: NodeJS.ProcessEnv = process.env): Promise<KubeObject[]> {
  const loaded = loadKubeConfig(req, env);
  if (!loaded.ok) throw configError(loaded.failure);
  const api = apiClient(loaded.kc);
  const lists = await Promise.all(RESOURCES.map((r) => listResource(api, loaded.namespace, r)));
  return lists.flat();
}
