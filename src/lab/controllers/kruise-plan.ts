// The Kruise canary state machine as pure data: observed Rollout + Deployments -> actions and the
// next status. Steps go StepUpgrade -> StepTrafficRouting -> StepPaused -> StepReady (approval or
// duration); after the last step the finalising steps run in an order that keeps traffic served.
import type { V1Deployment } from '@kubernetes/client-node';
import { templateHash } from './hash.js';
import { scaledValue } from './deployment-math.js';
import { int, iso, ms } from './objects.js';
import type { CanaryStatus, FinalisingStep, Rollout, RolloutStatus, RolloutStep, StepState } from './kruise-types.js';

export const CANARY_DEPLOYMENT_LABEL = 'rollouts.kruise.io/canary-deployment';
export const ORIGIN_SPEC_ANNOTATION = 'rollouts.kruise.io/origin-spec-configuration';
const DEFAULT_GRACE_S = 3;

export type KruiseAction =
  | { kind: 'pause'; paused: boolean }
  | { kind: 'canary'; replicas: number }
  | { kind: 'pin-stable'; hash: string | null }
  | { kind: 'route'; step: RolloutStep | null }
  | { kind: 'delete-canary' };

export interface RolloutView {
  rollout: Rollout;
  deployment?: V1Deployment;
  canary?: V1Deployment;
  /** pod-template-hash of the canary Deployment's pods, once its ReplicaSet exists. */
  canaryHash?: string;
  /** pod-template-hash of the stable pods. */
  stableHash?: string;
  now: number;
}

export interface RolloutPlan {
  actions: KruiseAction[];
  status: RolloutStatus;
  requeueAfterMs?: number;
}

export const revisionOf = (d: V1Deployment): string => templateHash(d.spec?.template);

/** A step's canary replicas: an int, or a percent of the Deployment rounded up; traffic when unset. */
export function stepReplicas(step: RolloutStep | undefined, total: number): number {
  const v = step?.replicas ?? step?.traffic ?? '100%';
  return Math.min(total, scaledValue(v, total, true, '100%'));
}

export function graceMs(r: Rollout): number {
  return (r.spec?.strategy?.canary?.trafficRoutings?.[0]?.gracePeriodSeconds ?? DEFAULT_GRACE_S) * 1000;
}

function stepMessage(state: StepState, i: number, n: number, step: RolloutStep | undefined): string {
  const at = `Rollout is in step(${i}/${n}), and`;
  if (state === 'StepUpgrade') return `${at} upgrade workload to new version`;
  if (state === 'StepTrafficRouting') return `${at} doing trafficRouting`;
  if (state === 'StepReady') return `${at} ready to enter the next step`;
  if (state === 'StepPaused' && step?.pause?.duration !== undefined) return `${at} wait duration(${step.pause.duration} seconds) to enter the next step`;
  if (state === 'StepPaused') return `${at} you need manually confirm to enter the next step`;
  return 'Rollout progressing has been completed';
}

function condition(prev: RolloutStatus, status: string, reason: string, message: string, now: number) {
  const old = prev.conditions?.find((c) => c.type === 'Progressing');
  const same = old?.status === status && old.reason === reason;
  return [{
    type: 'Progressing',
    status,
    reason,
    message,
    lastUpdateTime: same && old ? old.lastUpdateTime : iso(now),
    lastTransitionTime: old?.status === status ? old.lastTransitionTime : iso(now),
  }];
}

function canaryReady(canary: V1Deployment | undefined, want: number): boolean {
  if (!canary) return false;
  const s = canary.status;
  return (
    int(canary.spec?.replicas, 1) === want &&
    int(s?.observedGeneration, 0) >= int(canary.metadata?.generation, 0) &&
    int(s?.updatedReplicas, 0) >= want &&
    int(s?.availableReplicas, 0) >= want
  );
}

/** The stable Deployment has rolled to its template and every replica is available. */
export function deploymentComplete(d: V1Deployment): boolean {
  const want = int(d.spec?.replicas, 1);
  const s = d.status;
  return (
    !d.spec?.paused &&
    int(s?.observedGeneration, 0) >= int(d.metadata?.generation, 0) &&
    int(s?.updatedReplicas, 0) === want &&
    int(s?.replicas, 0) === want &&
    int(s?.availableReplicas, 0) === want
  );
}

export function planRollout(v: RolloutView): RolloutPlan {
  const r = v.rollout;
  const prev = r.status ?? {};
  const base: RolloutStatus = { ...prev, observedGeneration: int(r.metadata?.generation, 0) };
  const d = v.deployment;
  if (!d) return { actions: [], status: { ...base, phase: 'Initial', message: 'workload not found' } };
  const rev = revisionOf(d);
  const cs = prev.canaryStatus;
  const stable = prev.stableRevision ?? rev;
  const inFlight = prev.phase === 'Progressing' && cs !== undefined;
  if (!inFlight) {
    if (rev === stable) {
      return { actions: [], status: { ...base, phase: 'Healthy', stableRevision: stable, message: 'Rollout is healthy', conditions: prev.conditions } };
    }
    return start(v, base, rev, stable);
  }
  if (!cs.finalisingStep && rev !== cs.canaryRevision) {
    // A rollback to the stable template ends the canary; another new template restarts it.
    if (rev !== stable) return start(v, base, rev, stable);
    return finalise(v, { ...base, canaryStatus: { ...cs, canaryRevision: rev, currentStepState: 'Completed', finalisingStep: 'RestoreStableService' } });
  }
  if (cs.finalisingStep) return finalise(v, base);
  return step(v, base, cs);
}

function start(v: RolloutView, base: RolloutStatus, rev: string, stable: string): RolloutPlan {
  const n = v.rollout.spec?.strategy?.canary?.steps?.length ?? 0;
  const steps = v.rollout.spec?.strategy?.canary?.steps ?? [];
  const cs: CanaryStatus = {
    observedWorkloadGeneration: int(v.deployment?.metadata?.generation, 0),
    canaryRevision: rev,
    stableRevision: stable,
    currentStepIndex: 1,
    currentStepState: 'StepUpgrade',
    message: stepMessage('StepUpgrade', 1, n, steps[0]),
    lastUpdateTime: iso(v.now),
  };
  const status = withStep({ ...base, phase: 'Progressing', stableRevision: stable }, cs, v.now, 'InRolling');
  return { actions: [{ kind: 'pause', paused: true }], status, requeueAfterMs: 10 };
}

function withStep(base: RolloutStatus, cs: CanaryStatus, now: number, reason: string): RolloutStatus {
  const message = cs.message ?? '';
  const progressing = reason === 'Completed' ? 'False' : 'True';
  return {
    ...base,
    message,
    currentStepIndex: cs.currentStepIndex,
    currentStepState: cs.currentStepState,
    canaryStatus: cs,
    conditions: condition(base, progressing, reason, message, now),
  };
}

function step(v: RolloutView, base: RolloutStatus, prevCs: CanaryStatus): RolloutPlan {
  const steps = v.rollout.spec?.strategy?.canary?.steps ?? [];
  const n = steps.length;
  const i = Math.min(Math.max(1, prevCs.currentStepIndex), Math.max(1, n));
  const cur = steps[i - 1];
  const want = stepReplicas(cur, int(v.deployment?.spec?.replicas, 1));
  const since = v.now - (ms(prevCs.lastUpdateTime) || 0);
  const actions: KruiseAction[] = [];
  if (!v.deployment?.spec?.paused) actions.push({ kind: 'pause', paused: true });
  actions.push({ kind: 'canary', replicas: want });
  let state = prevCs.currentStepState;
  let index = i;
  let requeueAfterMs: number | undefined;
  const routed = (): void => {
    if (v.stableHash) actions.push({ kind: 'pin-stable', hash: v.stableHash });
    actions.push({ kind: 'route', step: cur ?? null });
  };
  if (state === 'StepUpgrade') {
    if (canaryReady(v.canary, want) && v.canaryHash) {
      state = 'StepTrafficRouting';
      routed();
      requeueAfterMs = graceMs(v.rollout);
    }
  } else if (state === 'StepTrafficRouting') {
    routed();
    if (since >= graceMs(v.rollout)) state = 'StepPaused';
    else requeueAfterMs = graceMs(v.rollout) - since;
  } else if (state === 'StepPaused') {
    routed();
    const duration = cur?.pause?.duration;
    if (duration !== undefined) {
      if (since >= duration * 1000) state = 'StepReady';
      else requeueAfterMs = duration * 1000 - since;
    }
  } else if (state === 'StepReady') {
    routed();
    if (i < n) {
      index = i + 1;
      state = 'StepUpgrade';
      requeueAfterMs = 10;
    } else {
      const done: CanaryStatus = { ...prevCs, currentStepState: 'Completed', finalisingStep: 'RestoreStableService', lastUpdateTime: iso(v.now) };
      return finalise(v, { ...base, canaryStatus: done });
    }
  }
  const changed = state !== prevCs.currentStepState || index !== prevCs.currentStepIndex;
  const cs: CanaryStatus = {
    ...prevCs,
    observedWorkloadGeneration: int(v.deployment?.metadata?.generation, 0),
    podTemplateHash: v.canaryHash ?? prevCs.podTemplateHash,
    canaryReplicas: int(v.canary?.status?.replicas, 0),
    canaryReadyReplicas: int(v.canary?.status?.readyReplicas, 0),
    currentStepIndex: index,
    currentStepState: state,
    message: stepMessage(state, index, n, steps[index - 1]),
    lastUpdateTime: changed ? iso(v.now) : prevCs.lastUpdateTime,
  };
  return { actions, status: withStep(base, cs, v.now, 'InRolling'), requeueAfterMs };
}

const NEXT: Record<FinalisingStep, FinalisingStep | undefined> = {
  RestoreStableService: 'ReleaseWorkload',
  ReleaseWorkload: 'RestoreGateway',
  RestoreGateway: 'DeleteCanary',
  DeleteCanary: undefined,
};

/**
 * Finalising, in an order where every request still has a ready backend: unpin the stable
 * Service (it now also selects canary pods), release the Deployment and wait until it is fully
 * updated and available, only then restore the VirtualService, and last delete the canary.
 */
function finalise(v: RolloutView, base: RolloutStatus): RolloutPlan {
  const cs = base.canaryStatus as CanaryStatus;
  const fs = cs.finalisingStep ?? 'RestoreStableService';
  const since = v.now - (ms(cs.lastUpdateTime) || 0);
  const actions: KruiseAction[] = [];
  let advance = false;
  let requeueAfterMs: number | undefined;
  if (fs === 'RestoreStableService') {
    actions.push({ kind: 'pin-stable', hash: null });
    advance = true;
  } else if (fs === 'ReleaseWorkload') {
    actions.push({ kind: 'pin-stable', hash: null }, { kind: 'pause', paused: false });
    advance = v.deployment !== undefined && !v.deployment.spec?.paused && deploymentComplete(v.deployment);
  } else if (fs === 'RestoreGateway') {
    actions.push({ kind: 'route', step: null });
    advance = since >= graceMs(v.rollout);
    if (!advance) requeueAfterMs = graceMs(v.rollout) - since;
  } else {
    actions.push({ kind: 'delete-canary' });
    const done: CanaryStatus = { ...cs, currentStepState: 'Completed', message: stepMessage('Completed', 0, 0, undefined), lastUpdateTime: iso(v.now) };
    delete done.finalisingStep;
    const status = withStep({ ...base, phase: 'Healthy', stableRevision: cs.canaryRevision }, done, v.now, 'Completed');
    return { actions, status };
  }
  const next = advance ? NEXT[fs] : fs;
  if (next === 'RestoreGateway' && fs !== next) actions.push({ kind: 'route', step: null });
  const moved: CanaryStatus = {
    ...cs,
    finalisingStep: next,
    message: 'Rollout is finalising',
    lastUpdateTime: advance ? iso(v.now) : cs.lastUpdateTime,
  };
  return { actions, status: withStep(base, moved, v.now, 'Finalising'), requeueAfterMs: requeueAfterMs ?? (advance ? 10 : undefined) };
}
