// ReplicaSet reconcile as pure data: observed RS + pods -> pods to create, pods to delete, status.
import type { V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import {
  controllerRef,
  int,
  isActivePod,
  isControlledBy,
  isPodAvailable,
  isPodReady,
  ms,
  msUntilAvailable,
} from './objects.js';
import { labelSelectorMatches } from '../../kube/selector.js';

export interface ReplicaSetStatusPatch {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  fullyLabeledReplicas: number;
  observedGeneration: number;
}

export interface ReplicaSetPlan {
  create: number;
  /** Names of pods to delete, in the order upstream would pick them. */
  remove: string[];
  status: ReplicaSetStatusPatch;
  requeueAfterMs?: number;
}

/** Upstream's per-sync cap on creations (burstReplicas). */
const BURST = 500;

export function planReplicaSet(rs: V1ReplicaSet, pods: readonly V1Pod[], now: number): ReplicaSetPlan {
  const owned = pods.filter((p) => isControlledBy(p, rs));
  const active = owned.filter(isActivePod);
  const want = int(rs.spec?.replicas, 1);
  const diff = active.length - want;
  const minReady = int(rs.spec?.minReadySeconds, 0);
  return {
    create: diff < 0 ? Math.min(-diff, BURST) : 0,
    remove: diff > 0 ? rankForDeletion(active, now).slice(0, diff).map((p) => p.metadata?.name ?? '') : [],
    status: replicaSetStatus(rs, active, now),
    requeueAfterMs: nextAvailability(active, minReady, now),
  };
}

export function replicaSetStatus(rs: V1ReplicaSet, active: readonly V1Pod[], now: number): ReplicaSetStatusPatch {
  const minReady = int(rs.spec?.minReadySeconds, 0);
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  return {
    replicas: active.length,
    readyReplicas: active.filter(isPodReady).length,
    availableReplicas: active.filter((p) => isPodAvailable(p, minReady, now)).length,
    fullyLabeledReplicas: active.filter((p) => labelSelectorMatches({ matchLabels: templateLabels }, p.metadata?.labels)).length,
    observedGeneration: int(rs.metadata?.generation, 0),
  };
}

function nextAvailability(active: readonly V1Pod[], minReady: number, now: number): number | undefined {
  const waits = active.map((p) => msUntilAvailable(p, minReady, now)).filter((w): w is number => w !== undefined);
  return waits.length > 0 ? Math.min(...waits) + 50 : undefined;
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * Upstream's ActivePods ordering, cheapest to lose first: unscheduled before scheduled, pending
 * before running, not ready before ready, ready for less time before longer, newer before older.
 */
export function rankForDeletion(pods: readonly V1Pod[], now: number): V1Pod[] {
  const readySince = (p: V1Pod): number => {
    const c = p.status?.conditions?.find((x) => x.type === 'Ready');
    return c?.status === 'True' ? ms(c.lastTransitionTime) || now : now;
  };
  const keys = (p: V1Pod): number[] => [
    p.spec?.nodeName ? 1 : 0,
    PHASE_RANK[p.status?.phase ?? 'Pending'] ?? 0,
    isPodReady(p) ? 1 : 0,
    -readySince(p),
    -(ms(p.metadata?.creationTimestamp) || 0),
  ];
  return [...pods].sort((a, b) => {
    const ka = keys(a);
    const kb = keys(b);
    for (let i = 0; i < ka.length; i++) {
      const d = (ka[i] ?? 0) - (kb[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  });
}

/** The pod a ReplicaSet creates from its template. */
export function podFromTemplate(rs: V1ReplicaSet): V1Pod {
  const t = rs.spec?.template;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata?.name ?? 'rs'}-`,
      namespace: rs.metadata?.namespace,
      labels: { ...(t?.metadata?.labels ?? {}) },
      annotations: t?.metadata?.annotations ? { ...t.metadata.annotations } : undefined,
      ownerReferences: [controllerRef(rs, 'apps/v1', 'ReplicaSet')],
    },
    spec: t?.spec ?? { containers: [] },
  };
}
