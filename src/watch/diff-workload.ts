// Deployment and ReplicaSet transitions: replica counts, revision, and spec generation.
import type { ClusterEvent, KubeObject } from '../types.js';
import type { EventFields, WorkloadKind, WorkloadSpec, WorkloadStatus } from './cluster-event.js';
import { clusterEvent, serverTime } from './event.js';

const REVISION = 'deployment.kubernetes.io/revision';

type Counts = Omit<EventFields<WorkloadStatus>, 'kind' | 'type'>;
type Spec = Omit<EventFields<WorkloadSpec>, 'kind' | 'type'>;

function counts(obj: KubeObject): Counts {
  const s = obj.status ?? {};
  const d: Counts = {
    replicas: s.replicas ?? 0,
    ready: s.readyReplicas ?? 0,
    available: s.availableReplicas ?? 0,
    revision: obj.metadata?.annotations?.[REVISION] ?? null,
    observedGeneration: s.observedGeneration ?? null,
  };
  if (obj.kind !== 'ReplicaSet') {
    d.updated = s.updatedReplicas ?? 0;
    d.unavailable = s.unavailableReplicas ?? 0;
    // NewReplicaSetAvailable, ReplicaSetUpdated, ProgressDeadlineExceeded...
    const conditions: Array<{ type?: string; reason?: string }> = s.conditions ?? [];
    d.progressing = conditions.find((x) => x.type === 'Progressing')?.reason ?? null;
  }
  return d;
}

function spec(obj: KubeObject): Spec {
  const containers: Array<{ image?: string }> = obj.spec?.template?.spec?.containers ?? [];
  return {
    generation: (obj.metadata?.generation as number | undefined) ?? null,
    replicas: obj.spec?.replicas ?? null,
    images: containers.map((c) => c.image).join(','),
    version: obj.spec?.template?.metadata?.labels?.['version'] ?? null,
    paused: obj.spec?.paused ?? false,
  };
}

const same = (a: Counts, b: Counts): boolean => JSON.stringify(a) === JSON.stringify(b);

function diffWorkload(kind: WorkloadKind) {
  return (old: KubeObject | undefined, cur: KubeObject | undefined, at: number): ClusterEvent[] => {
    if (!cur) return old ? [clusterEvent(at, old, { kind, type: 'deleted', ...counts(old) })] : [];
    const out: ClusterEvent[] = [];
    if (!old) out.push(clusterEvent(at, cur, { kind, type: 'created' }, serverTime(cur.metadata?.creationTimestamp)));
    if (!old || old.metadata?.generation !== cur.metadata?.generation) {
      out.push(clusterEvent(at, cur, { kind, type: 'spec', ...spec(cur) }));
    }
    const status = counts(cur);
    if (!old || !same(counts(old), status)) out.push(clusterEvent(at, cur, { kind, type: 'status', ...status }));
    return out;
  };
}

export const diffDeployment = diffWorkload('deployment');
export const diffReplicaSet = diffWorkload('replicaset');
