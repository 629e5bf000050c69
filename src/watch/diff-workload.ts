// Deployment and ReplicaSet transitions: replica counts, revision, and spec generation.
import type { ClusterEvent, ClusterKind, KubeObject } from '../types.js';
import { clusterEvent, serverTime, type Detail } from './event.js';

const REVISION = 'deployment.kubernetes.io/revision';

function statusDetail(obj: KubeObject): Detail {
  const s = obj.status ?? {};
  const d: Detail = {
    replicas: s.replicas ?? 0,
    ready: s.readyReplicas ?? 0,
    available: s.availableReplicas ?? 0,
    revision: obj.metadata?.annotations?.[REVISION] ?? null,
    observedGeneration: s.observedGeneration ?? null,
  };
  if (obj.kind !== 'ReplicaSet') {
    d['updated'] = s.updatedReplicas ?? 0;
    d['unavailable'] = s.unavailableReplicas ?? 0;
    // NewReplicaSetAvailable, ReplicaSetUpdated, ProgressDeadlineExceeded...
    const c = (s.conditions ?? []).find((x: any) => x.type === 'Progressing');
    d['progressing'] = c?.reason ?? null;
  }
  return d;
}

function specDetail(obj: KubeObject): Detail {
  const containers: any[] = obj.spec?.template?.spec?.containers ?? [];
  return {
    generation: (obj.metadata?.generation as number | undefined) ?? null,
    replicas: obj.spec?.replicas ?? null,
    images: containers.map((c) => c.image).join(','),
    version: obj.spec?.template?.metadata?.labels?.['version'] ?? null,
    paused: obj.spec?.paused ?? false,
  };
}

const same = (a: Detail, b: Detail): boolean => JSON.stringify(a) === JSON.stringify(b);


function diffWorkload(kind: ClusterKind) {
  return (old: KubeObject | undefined, cur: KubeObject | undefined, at: number): ClusterEvent[] => {
    if (!cur) return old ? [clusterEvent(at, kind, 'deleted', old, statusDetail(old))] : [];
    const out: ClusterEvent[] = [];
    if (!old) out.push(clusterEvent(at, kind, 'created', cur, {}, serverTime(cur.metadata?.creationTimestamp)));
    if (!old || old.metadata?.generation !== cur.metadata?.generation) {
      out.push(clusterEvent(at, kind, 'spec', cur, specDetail(cur)));
    }
    const status = statusDetail(cur);
    if (!old || !same(statusDetail(old), status)) out.push(clusterEvent(at, kind, 'status', cur, status));
    return out;
  };
}

export const diffDeployment = diffWorkload('deployment');
export const diffReplicaSet = diffWorkload('replicaset');
