// Exit 137 has several authors: the kernel's OOM killer, the kubelet at the grace deadline, a liveness kill.
import type { ClusterEvent } from '../../types.js';
import type { KubeEvent, PodTerminated } from '../../watch/cluster-event.js';
import { deletionOf } from './facts.js';

/** Who stopped a container: `undefined` when it exited on its own (not SIGKILL, not OOMKilled). */
export type KillKind = 'oom' | 'grace-deadline' | 'liveness' | 'unknown';

/** How long before its exit a liveness kill may have been ordered (the grace period of the restart). */
const LIVENESS_BEFORE_MS = 35_000;

const isLivenessKill = (e: ClusterEvent): e is KubeEvent =>
  e.kind === 'event' && e.type === 'Killing' && /liveness/i.test(e.message);

export const isLivenessFailure = (e: ClusterEvent): e is KubeEvent =>
  e.kind === 'event' && e.type === 'Unhealthy' && /^liveness/i.test(e.message);

export const isReadinessFailure = (e: ClusterEvent): e is KubeEvent =>
  e.kind === 'event' && e.type === 'Unhealthy' && /^readiness/i.test(e.message);

/** The kubelet's "failed liveness probe, will be restarted" for this exit, if there was one. */
export function livenessKillOf(events: ClusterEvent[], term: PodTerminated): KubeEvent | undefined {
  return events.find((e): e is KubeEvent => isLivenessKill(e) && e.name === term.name && e.at >= term.at - LIVENESS_BEFORE_MS && e.at <= term.at + 1000);
}

export const livenessKills = (events: ClusterEvent[]): KubeEvent[] => events.filter(isLivenessKill);

/** Why this container stopped, when something stopped it: reason OOMKilled, the deadline of a delete, liveness. */
export function killKind(events: ClusterEvent[], term: PodTerminated): KillKind | undefined {
  if (term.reason === 'OOMKilled') return 'oom';
  if (livenessKillOf(events, term)) return 'liveness';
  if (term.exitCode !== 137 && term.signal !== 9) return undefined;
  const d = deletionOf(events, term.name);
  // A normal delete SIGKILLs silently at the deadline (exit 137, reason Error); no event says so.
  if (d && term.at - d.at >= d.graceS * 1000 - 1000) return 'grace-deadline';
  return 'unknown';
}
