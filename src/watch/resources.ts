// What the watcher reads: one row per resource, with the diff that turns its changes into events.
import type { DiffFn } from './event.js';
import { diffCoreEvent } from './diff-core-event.js';
import { diffEndpointSlice } from './diff-endpoints.js';
import { diffPod } from './diff-pod.js';
import { diffRollout, diffRoute } from './diff-route.js';
import { diffService } from './diff-service.js';
import { diffNode } from './diff-node.js';
import { diffPdb } from './diff-pdb.js';
import { diffDeployment, diffReplicaSet } from './diff-workload.js';
import { collectionPath as pathOf } from '../kube/list.js';

export type Role = 'pod' | 'endpoint' | 'deployment' | 'replicaset' | 'event' | 'service' | 'route' | 'rollout' | 'node' | 'pdb';

export interface ResourceDef {
  /** Unique id, also used in messages: "virtualservices", "rollouts.kruise.io". */
  id: string;
  resource: string;
  kind: string;
  group: string;
  /** Versions we understand, preferred first. */
  versions: string[];
  role: Role;
  diff: DiffFn;
  /** Part of config snapshots. */
  config: boolean;
  /** A CRD or optional API: skipped (and noted) when the server does not serve it. */
  optional: boolean;
  /** Cluster-scoped (Nodes): listed and watched across the cluster, not in the namespace. */
  clusterScoped?: true;
}

const row = (
  id: string, group: string, versions: string[], kind: string, role: Role, diff: DiffFn, config: boolean, optional: boolean,
): ResourceDef => ({ id, resource: id.split('.')[0]!, kind, group, versions, role, diff, config, optional });

export const RESOURCES: ResourceDef[] = [
  row('pods', '', ['v1'], 'Pod', 'pod', diffPod, false, false),
  row('endpointslices', 'discovery.k8s.io', ['v1'], 'EndpointSlice', 'endpoint', diffEndpointSlice, false, false),
  row('deployments', 'apps', ['v1'], 'Deployment', 'deployment', diffDeployment, true, false),
  row('replicasets', 'apps', ['v1'], 'ReplicaSet', 'replicaset', diffReplicaSet, false, false),
  row('events', '', ['v1'], 'Event', 'event', diffCoreEvent, false, false),
  row('services', '', ['v1'], 'Service', 'service', diffService, true, false),
  row('ingresses', 'networking.k8s.io', ['v1'], 'Ingress', 'route', diffRoute, true, true),
  row('virtualservices', 'networking.istio.io', ['v1', 'v1beta1', 'v1alpha3'], 'VirtualService', 'route', diffRoute, true, true),
  row('destinationrules', 'networking.istio.io', ['v1', 'v1beta1', 'v1alpha3'], 'DestinationRule', 'route', diffRoute, true, true),
  row('httproutes', 'gateway.networking.k8s.io', ['v1', 'v1beta1'], 'HTTPRoute', 'route', diffRoute, true, true),
  row('rollouts.kruise.io', 'rollouts.kruise.io', ['v1beta1', 'v1alpha1'], 'Rollout', 'rollout', diffRollout, true, true),
  row('rollouts.argoproj.io', 'argoproj.io', ['v1alpha1'], 'Rollout', 'rollout', diffRollout, true, true),
  // A drain cordons the node, then evicts through the PodDisruptionBudgets; only nodes our pods run on are kept.
  { ...row('nodes', '', ['v1'], 'Node', 'node', diffNode, false, true), clusterScoped: true },
  row('poddisruptionbudgets', 'policy', ['v1'], 'PodDisruptionBudget', 'pdb', diffPdb, false, true),
];

export const collectionPath = (def: ResourceDef, version: string, namespace: string): string =>
  (def.clusterScoped ? `${def.group ? `/apis/${def.group}` : '/api'}/${version}/${def.resource}` : pathOf(def.group, version, def.resource, namespace));

export const apiVersionOf = (def: ResourceDef, version: string): string => (def.group ? `${def.group}/${version}` : version);
