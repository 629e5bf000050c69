// `--until rollout-complete`: for GitOps pipelines (Argo CD, Flux) there is no deploy command to
// wrap; the run follows the watched Deployment or Rollout instead and ends once it has rolled.
import type { ClusterEvent } from '../types.js';

export type RolloutOutcome = { done: 'complete' | 'failed'; why: string };

export interface RolloutTarget {
  deployment?: string;
  /** "kruise/NAME" or "argo/NAME". */
  rollout?: string;
}

/**
 * Feeds on cluster events; answers once a rollout that began during the run has completed (as
 * `kubectl rollout status` judges a Deployment: the new generation observed and every desired
 * replica updated and available) or failed (ProgressDeadlineExceeded; a Rollout Degraded/Aborted).
 * State found at start (initial events) is not a rollout.
 */
export function rolloutTracker(target: RolloutTarget): (e: ClusterEvent) => RolloutOutcome | undefined {
  const rolloutName = target.rollout?.split('/')[1];
  let rolling = false;
  let generation = 0;
  let desired: number | null = null;
  return (e) => {
    if (e.initial) {
      if (e.kind === 'deployment' && e.type === 'spec' && e.name === target.deployment) desired = e.replicas;
      return undefined;
    }
    if (e.kind === 'deployment' && e.name === target.deployment) {
      if (e.type === 'spec') {
        rolling = true;
        generation = e.generation ?? generation;
        desired = e.replicas;
        return undefined;
      }
      if (!rolling || e.type !== 'status') return undefined;
      if (e.progressing === 'ProgressDeadlineExceeded') return { done: 'failed', why: `Deployment ${e.name} exceeded its progress deadline` };
      const want = desired ?? e.replicas;
      const observed = (e.observedGeneration ?? 0) >= generation;
      if (observed && e.updated === want && e.replicas === want && e.available === want && !e.unavailable) {
        return { done: 'complete', why: `Deployment ${e.name} rolled out: ${want} of ${want} replicas updated and available` };
      }
      return undefined;
    }
    if (e.kind === 'rollout' && e.name === rolloutName) {
      const phase = e.phase ?? e.state ?? '';
      const settled = /^(Healthy|Completed)$/i.test(phase);
      // A rollout begins when it leaves its settled phase after the run started.
      if (!rolling) {
        rolling = !settled;
        return undefined;
      }
      if (/^(Degraded|Aborted)$/i.test(phase)) return { done: 'failed', why: `Rollout ${e.name} is ${phase}${e.message ? `: ${e.message}` : ''}` };
      if (settled) return { done: 'complete', why: `Rollout ${e.name} is ${phase}` };
    }
    return undefined;
  };
}
