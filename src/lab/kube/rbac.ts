// RBAC for the restricted user: it may read most of what the watcher reads, but not everything.
import type { KubernetesObject } from '@kubernetes/client-node';
import { RESTRICTED_USER } from './credentials.js';

const READ = ['get', 'list', 'watch'];

/**
 * Allowed get/list/watch: pods, services, nodes, namespaces, deployments, replicasets, ingresses,
 * leases and the lab CRDs. Events (core and events.k8s.io): get/list only, watch is FORBIDDEN.
 * EndpointSlices and Endpoints: no access at all (get, list and watch are FORBIDDEN).
 */
export const RESTRICTED_RULES = [
  { apiGroups: [''], resources: ['pods', 'pods/status', 'services', 'nodes', 'namespaces'], verbs: READ },
  { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'deployments/scale'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: READ },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: READ },
  { apiGroups: ['networking.istio.io'], resources: ['virtualservices', 'destinationrules'], verbs: READ },
  { apiGroups: ['rollouts.kruise.io'], resources: ['rollouts'], verbs: READ },
  { apiGroups: ['gateway.networking.k8s.io'], resources: ['httproutes'], verbs: READ },
  { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['get', 'list'] },
];

export function restrictedRbac(): Array<KubernetesObject & Record<string, unknown>> {
  const name = 'zdprobe-restricted';
  return [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules: RESTRICTED_RULES },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: RESTRICTED_USER }],
    },
  ];
}
