// How many ready replicas a rolling update may take away, computed as the controllers do.
import type { Finding } from '../../types.js';
import { finding, type Rule } from './rule.js';
import { isArgoRollout, servedSeverity, type Workload } from './index-objects.js';

/** An int-or-percent of `replicas`, rounded the way the owning controller rounds it. */
export function scaled(value: unknown, replicas: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const s = String(value).trim();
  if (!s.endsWith('%')) return Number.parseInt(s, 10) || 0;
  const exact = (Number.parseFloat(s) * replicas) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** Deployment and Argo canary: unavailable rounds down, surge up, and 0/0 becomes 0/1 (upstream fenceposts). */
function fenceposts(ru: { maxUnavailable?: string | number; maxSurge?: string | number } | undefined, replicas: number): number {
  const unavailable = scaled(ru?.maxUnavailable ?? '25%', replicas, false);
  const surge = scaled(ru?.maxSurge ?? '25%', replicas, true);
  return unavailable === 0 && surge === 0 ? 1 : unavailable;
}

export interface Budget {
  replicas: number;
  /** How many replicas may be unavailable at once; equal to replicas for Recreate. */
  unavailable: number;
  how: string;
}

/** Null when the kind has no replica budget we can judge (DaemonSet, OnDelete, blue/green). */
export function unavailableBudget(w: Workload): Budget | null {
  const spec = w.src.obj.spec ?? {};
  const replicas = Number(spec.replicas ?? 1);
  if (w.kind === 'Deployment') {
    if (spec.strategy?.type === 'Recreate') return { replicas, unavailable: replicas, how: 'strategy Recreate' };
    const ru = spec.strategy?.rollingUpdate;
    return { replicas, unavailable: fenceposts(ru, replicas), how: `maxUnavailable ${String(ru?.maxUnavailable ?? '25% (default)')}` };
  }
  if (w.kind === 'StatefulSet') {
    if (spec.updateStrategy?.type === 'OnDelete') return null;
    const raw = spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1;
    // a StatefulSet deletes a pod before it creates its replacement
    return { replicas, unavailable: Math.max(1, scaled(raw, replicas, true)), how: `StatefulSet maxUnavailable ${String(raw)}` };
  }
  if (w.kind === 'CloneSet') {
    const us = spec.updateStrategy ?? {};
    const raw = us.maxUnavailable ?? '20%';
    return { replicas, unavailable: scaled(raw, replicas, true), how: `CloneSet maxUnavailable ${String(raw)}` };
  }
  if (isArgoRollout(w.src.obj) && spec.strategy?.canary) {
    const c = spec.strategy.canary;
    return { replicas, unavailable: fenceposts(c, replicas), how: `canary maxUnavailable ${String(c.maxUnavailable ?? '25% (default)')}` };
  }
  return null;
}

const deployment = (strategy: string): string => `apiVersion: v1
kind: Service
metadata: {name: site}
spec:
  selector: {app: site}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: site}
spec:
  replicas: 1
  strategy:
    type: RollingUpdate
    rollingUpdate:
${strategy}  selector: {matchLabels: {app: site}}
  template:
    metadata: {labels: {app: site}}
    spec: {containers: [{name: site, image: site:2}]}
`;

export const deployMaxUnavailable: Rule = {
  id: 'deploy-max-unavailable',
  severity: 'error',
  title: 'Rollout strategy lets ready replicas fall to zero',
  description: 'maxUnavailable is resolved against replicas as the controller does it (Deployment '
    + 'and Argo canary: percent rounded down, default 25%, and 1 when both it and maxSurge resolve '
    + 'to 0; StatefulSet: at least 1; CloneSet: default 20%, rounded up). When it reaches the '
    + 'replica count, or the strategy is Recreate, a rollout can leave no ready pod. Reported for '
    + 'workloads a Service selects; when the input has no Service at all, one level lower.',
  bad: deployment('      maxUnavailable: 1\n      maxSurge: 0\n'),
  good: deployment('      maxUnavailable: 0\n      maxSurge: 1\n'),
  check(ix) {
    const out: Finding[] = [];
    for (const w of ix.workloads) {
      const b = unavailableBudget(w);
      if (!b || b.replicas < 1 || b.unavailable < b.replicas) continue;
      const sev = servedSeverity(ix, w, this.severity);
      if (!sev) continue;
      out.push(finding(this.id, sev, w.src,
        `${b.replicas} replica(s) with ${b.how} (= ${b.unavailable} unavailable at once): ready replicas can fall to 0 during a rollout`,
        w.kind === 'StatefulSet' ? 'run at least 2 replicas: a StatefulSet replaces a pod before its successor is ready'
          : 'set maxUnavailable: 0 and maxSurge: 1 so a new pod is ready before an old one goes'));
    }
    return out;
  },
};
