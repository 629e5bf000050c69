// Plain Kubernetes objects for the controllers' pure-logic tests.
import type { V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';

export const NOW = Date.parse('2025-01-01T00:10:00Z');
export const ago = (s: number): string => new Date(NOW - s * 1000).toISOString();

export function deployment(over: Partial<V1Deployment['spec']> = {}, version = 'v1'): V1Deployment {
  return {
    metadata: { name: 'web', namespace: 'default', uid: 'd-uid', generation: 1, annotations: {} },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web', version } },
        spec: { containers: [{ name: 'web', image: `lab/web:${version.slice(1)}` }] },
      },
      ...over,
    },
  };
}

export function rsFor(d: V1Deployment, name: string, replicas: number, available: number, createdS: number, revision: number): V1ReplicaSet {
  return {
    metadata: {
      name,
      namespace: 'default',
      uid: `${name}-uid`,
      creationTimestamp: new Date(NOW - createdS * 1000),
      annotations: { 'deployment.kubernetes.io/revision': String(revision) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-uid', controller: true }],
    },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: d.spec?.template },
    status: { replicas: available, readyReplicas: available, availableReplicas: available },
  };
}

export interface PodOpts {
  name: string;
  owner?: string;
  ready?: boolean;
  readyS?: number;
  createdS?: number;
  deleting?: boolean;
  ip?: string;
  labels?: Record<string, string>;
  node?: string;
}

export function pod(o: PodOpts): V1Pod {
  return {
    metadata: {
      name: o.name,
      namespace: 'default',
      uid: `${o.name}-uid`,
      labels: o.labels ?? { app: 'web' },
      creationTimestamp: new Date(NOW - (o.createdS ?? 60) * 1000),
      deletionTimestamp: o.deleting ? new Date(NOW) : undefined,
      ownerReferences: o.owner ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.owner, uid: `${o.owner}-uid`, controller: true }] : undefined,
    },
    spec: { nodeName: o.node ?? 'node-1', containers: [{ name: 'web', ports: [{ name: 'http', containerPort: 8080 }] }] },
    status: {
      phase: 'Running',
      podIP: o.ip,
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: new Date(NOW - (o.readyS ?? 30) * 1000) }],
    },
  };
}
