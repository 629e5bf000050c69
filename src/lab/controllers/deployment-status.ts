// Deployment status as upstream's calculateStatus + syncRolloutStatus: counts summed over the
// ReplicaSets, an Available condition and a Progressing condition with upstream's reasons.
import type { V1Deployment, V1DeploymentCondition } from '@kubernetes/client-node';
import type { RsView } from './deployment-math.js';
import { availableTotal, desiredReplicas, maxUnavailable, specTotal } from './deployment-math.js';
import { int, iso, ms } from './objects.js';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
}

export interface DeploymentStatusPatch {
  observedGeneration: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
  conditions: Condition[];
}

type Want = Pick<Condition, 'type' | 'status' | 'reason' | 'message'> & { touch?: boolean };

/** Keeps lastTransitionTime unless status flips, and lastUpdateTime unless anything changes. */
function setCondition(old: V1DeploymentCondition | undefined, want: Want, now: number): Condition {
  const same = old?.status === want.status && old.reason === want.reason && old.message === want.message && !want.touch;
  const keepTransition = old?.status === want.status && old.lastTransitionTime != null;
  return {
    type: want.type,
    status: want.status,
    reason: want.reason,
    message: want.message,
    lastUpdateTime: same && old.lastUpdateTime != null ? iso(ms(old.lastUpdateTime)) : iso(now),
    lastTransitionTime: keepTransition ? iso(ms(old.lastTransitionTime)) : iso(now),
  };
}

export interface StatusInput {
  newRS?: RsView;
  all: RsView[];
  createdNewRS: boolean;
}

export function deploymentStatus(d: V1Deployment, input: StatusInput, now: number): DeploymentStatusPatch {
  const { newRS, all } = input;
  const want = desiredReplicas(d);
  const available = availableTotal(all);
  const counts = {
    observedGeneration: int(d.metadata?.generation, 0),
    replicas: all.reduce((n, r) => n + r.actual, 0),
    updatedReplicas: newRS?.actual ?? 0,
    readyReplicas: all.reduce((n, r) => n + r.ready, 0),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, specTotal(all) - available),
  };
  const old = d.status?.conditions ?? [];
  const find = (type: string) => old.find((c) => c.type === type);
  const availableCond: Want =
    available >= want - maxUnavailable(d)
      ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
      : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' };
  const progressing = progressingCondition(d, input, counts, now);
  const conditions = [setCondition(find('Available'), availableCond, now)];
  if (progressing) conditions.push(setCondition(find('Progressing'), progressing, now));
  else {
    const kept = find('Progressing');
    if (kept) conditions.push(setCondition(kept, kept as Want, now));
  }
  return { ...counts, conditions };
}

type Counts = Omit<DeploymentStatusPatch, 'conditions'>;

function progressingCondition(d: V1Deployment, input: StatusInput, counts: Counts, now: number): Want | undefined {
  const name = input.newRS?.name ?? '';
  const want = desiredReplicas(d);
  const base = { type: 'Progressing' } as const;
  if (d.spec?.paused) return { ...base, status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' };
  const prev = d.status?.conditions?.find((c) => c.type === 'Progressing');
  if (prev?.reason === 'DeploymentPaused') return { ...base, status: 'Unknown', reason: 'DeploymentResumed', message: 'Deployment is resumed' };
  if (!input.newRS) return undefined;
  const complete = counts.updatedReplicas === want && counts.replicas === want && counts.availableReplicas === want;
  if (complete) return { ...base, status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${name}" has successfully progressed.` };
  if (input.createdNewRS) return { ...base, status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${name}"` };
  const s = d.status;
  const moved =
    int(s?.updatedReplicas, 0) !== counts.updatedReplicas ||
    int(s?.availableReplicas, 0) !== counts.availableReplicas ||
    int(s?.readyReplicas, 0) !== counts.readyReplicas ||
    int(s?.replicas, 0) !== counts.replicas;
  if (moved || !prev) return { ...base, status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${name}" is progressing.`, touch: moved };
  const deadline = int(d.spec?.progressDeadlineSeconds, 600) * 1000;
  if (prev.status === 'True' && ms(prev.lastUpdateTime) + deadline < now) {
    return { ...base, status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${name}" has timed out progressing.` };
  }
  return undefined;
}
