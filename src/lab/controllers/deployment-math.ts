// The RollingUpdate arithmetic of upstream's deployment controller (rolling.go, deploymentutil),
// on a light view of each ReplicaSet so it can be tested with plain numbers.
import type { IntOrString, V1Deployment } from '@kubernetes/client-node';
import { int } from './objects.js';

export interface RsView {
  name: string;
  /** spec.replicas */
  replicas: number;
  /** status.replicas (pods that exist and are not terminating) */
  actual: number;
  ready: number;
  available: number;
  created: number;
  revision: number;
}

/** GetScaledValueFromIntOrPercent: an int as is, "25%" of total rounded up or down. */
export function scaledValue(v: IntOrString | undefined, total: number, roundUp: boolean, fallback: string): number {
  const value = v ?? fallback;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) return /^\d+$/.test(value) ? Number(value) : 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export const desiredReplicas = (d: V1Deployment): number => int(d.spec?.replicas, 1);
export const isRolling = (d: V1Deployment): boolean => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

/** ResolveFenceposts: surge rounds up, unavailable rounds down, and both 0 means unavailable 1. */
export function fenceposts(d: V1Deployment): { surge: number; unavailable: number } {
  const ru = d.spec?.strategy?.rollingUpdate;
  const total = desiredReplicas(d);
  const surge = scaledValue(ru?.maxSurge, total, true, '25%');
  const unavailable = scaledValue(ru?.maxUnavailable, total, false, '25%');
  return surge === 0 && unavailable === 0 ? { surge, unavailable: 1 } : { surge, unavailable };
}

export const maxSurge = (d: V1Deployment): number => (isRolling(d) ? fenceposts(d).surge : 0);

export function maxUnavailable(d: V1Deployment): number {
  const total = desiredReplicas(d);
  if (!isRolling(d) || total === 0) return 0;
  return Math.min(fenceposts(d).unavailable, total);
}

const sum = (rss: readonly RsView[], f: (r: RsView) => number): number => rss.reduce((n, r) => n + f(r), 0);
export const specTotal = (rss: readonly RsView[]): number => sum(rss, (r) => r.replicas);
export const availableTotal = (rss: readonly RsView[]): number => sum(rss, (r) => r.available);
export const oldestFirst = (rss: readonly RsView[]): RsView[] => [...rss].sort((a, b) => a.created - b.created || a.name.localeCompare(b.name));

/** NewRSNewReplicas for RollingUpdate: grow the new RS as far as maxSurge allows. */
export function newRSNewReplicas(d: V1Deployment, all: readonly RsView[], newReplicas: number): number {
  const want = desiredReplicas(d);
  const maxTotal = want + maxSurge(d);
  const current = specTotal(all);
  if (current >= maxTotal) return newReplicas;
  return newReplicas + Math.max(0, Math.min(maxTotal - current, want - newReplicas));
}

export interface Scale {
  name: string;
  from: number;
  to: number;
}

/** reconcileNewReplicaSet: the one scale of the new RS this sync, if any. */
export function scaleNew(d: V1Deployment, all: readonly RsView[], newRS: RsView): Scale | undefined {
  const want = desiredReplicas(d);
  if (newRS.replicas === want) return undefined;
  const to = newRS.replicas > want ? want : newRSNewReplicas(d, all, newRS.replicas);
  return to === newRS.replicas ? undefined : { name: newRS.name, from: newRS.replicas, to };
}

/** reconcileOldReplicaSets: unhealthy old replicas first, then old pods as new ones become available. */
export function scaleOld(d: V1Deployment, olds: readonly RsView[], newRS: RsView): Scale[] {
  if (specTotal(olds) === 0) return [];
  const minAvailable = desiredReplicas(d) - maxUnavailable(d);
  const newUnavailable = newRS.replicas - newRS.available;
  const maxScaledDown = specTotal([...olds, newRS]) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return [];
  const next = new Map(olds.map((r) => [r.name, r.replicas]));
  let cleaned = 0;
  for (const r of oldestFirst(olds)) {
    if (cleaned >= maxScaledDown || r.replicas === 0 || r.available === r.replicas) continue;
    const n = Math.min(maxScaledDown - cleaned, r.replicas - r.available);
    next.set(r.name, r.replicas - n);
    cleaned += n;
  }
  // scaleDownOldReplicaSetsForRollingUpdate works on what is left, by available pods.
  const available = availableTotal([...olds, newRS]);
  const budget = available - minAvailable;
  let done = 0;
  for (const r of oldestFirst(olds)) {
    const cur = next.get(r.name) ?? 0;
    if (done >= budget) break;
    if (cur === 0) continue;
    const n = Math.min(cur, budget - done);
    next.set(r.name, cur - n);
    done += n;
  }
  return olds
    .map((r) => ({ name: r.name, from: r.replicas, to: next.get(r.name) ?? r.replicas }))
    .filter((s) => s.to !== s.from);
}
