// One sync of a Deployment as pure data, as upstream's syncDeployment: find the new RS (the one
// whose template equals the Deployment's), then one step of RollingUpdate / Recreate / paused scale.
import type { V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { HASH_LABEL, sameTemplate, templateHash } from './hash.js';
import { controllerRef, int, isControlledBy, isTerminal, ms } from './objects.js';
import type { RsView, Scale } from './deployment-math.js';
import { desiredReplicas, isRolling, maxSurge, newRSNewReplicas, oldestFirst, scaleNew, scaleOld } from './deployment-math.js';

export const REVISION = 'deployment.kubernetes.io/revision';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';

export type DeploymentAction =
  | { kind: 'create-rs'; rs: V1ReplicaSet; replicas: number }
  | { kind: 'scale'; scale: Scale }
  | { kind: 'update-rs'; name: string; patch: object }
  | { kind: 'delete-rs'; name: string };

export interface DeploymentPlan {
  actions: DeploymentAction[];
  /** The new RS after this sync's actions (undefined while paused before one exists). */
  newRS?: RsView;
  /** Every RS after this sync's actions, new one included. */
  all: RsView[];
  /** Value for the Deployment's revision annotation, when it has a new RS. */
  revision?: string;
}

export function rsView(rs: V1ReplicaSet): RsView {
  return {
    name: rs.metadata?.name ?? '',
    replicas: int(rs.spec?.replicas, 1),
    actual: int(rs.status?.replicas, 0),
    ready: int(rs.status?.readyReplicas, 0),
    available: int(rs.status?.availableReplicas, 0),
    created: ms(rs.metadata?.creationTimestamp) || 0,
    revision: Number(rs.metadata?.annotations?.[REVISION] ?? 0) || 0,
  };
}

/** FindNewReplicaSet: the oldest owned RS whose template equals the Deployment's. */
export function findNewRS(d: V1Deployment, owned: readonly V1ReplicaSet[]): V1ReplicaSet | undefined {
  const views = oldestFirst(owned.map(rsView));
  const byName = new Map(owned.map((r) => [r.metadata?.name ?? '', r]));
  for (const v of views) {
    const rs = byName.get(v.name);
    if (rs && sameTemplate(rs.spec?.template, d.spec?.template)) return rs;
  }
  return undefined;
}

const SKIP_ANNOTATIONS = /^(kubectl\.kubernetes\.io\/last-applied-configuration|deployment\.kubernetes\.io\/)/;

export function newReplicaSet(d: V1Deployment, replicas: number, revision: number): V1ReplicaSet {
  const hash = templateHash(d.spec?.template, d.status?.collisionCount);
  const t = d.spec?.template;
  const copied = Object.entries(d.metadata?.annotations ?? {}).filter(([k]) => !SKIP_ANNOTATIONS.test(k));
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata?.name ?? ''}-${hash}`,
      namespace: d.metadata?.namespace,
      labels: { ...(t?.metadata?.labels ?? {}), [HASH_LABEL]: hash },
      annotations: {
        ...Object.fromEntries(copied),
        [DESIRED_REPLICAS]: String(desiredReplicas(d)),
        [MAX_REPLICAS]: String(desiredReplicas(d) + maxSurge(d)),
        [REVISION]: String(revision),
      },
      ownerReferences: [controllerRef(d, 'apps/v1', 'Deployment')],
    },
    spec: {
      replicas,
      minReadySeconds: d.spec?.minReadySeconds,
      selector: {
        matchLabels: { ...(d.spec?.selector?.matchLabels ?? {}), [HASH_LABEL]: hash },
        matchExpressions: d.spec?.selector?.matchExpressions,
      },
      template: { metadata: { ...t?.metadata, labels: { ...(t?.metadata?.labels ?? {}), [HASH_LABEL]: hash } }, spec: t?.spec },
    },
  };
}

function applyScales(views: RsView[], scales: readonly Scale[]): RsView[] {
  const to = new Map(scales.map((s) => [s.name, s.to]));
  return views.map((v) => ({ ...v, replicas: to.get(v.name) ?? v.replicas }));
}

/** oldPodsRunning: any pod of an old RS that has not finished, terminating ones included. */
function oldPodsRunning(olds: readonly V1ReplicaSet[], pods: readonly V1Pod[]): boolean {
  if (olds.some((r) => int(r.status?.replicas, 0) > 0)) return true;
  return pods.some((p) => !isTerminal(p) && olds.some((r) => isControlledBy(p, r)));
}

export function planDeployment(d: V1Deployment, replicaSets: readonly V1ReplicaSet[], pods: readonly V1Pod[]): DeploymentPlan {
  const owned = replicaSets.filter((r) => isControlledBy(r, d) && r.metadata?.deletionTimestamp == null);
  const existingNew = findNewRS(d, owned);
  const oldRSs = owned.filter((r) => r !== existingNew);
  const olds = oldRSs.map(rsView);
  const maxOld = Math.max(0, ...olds.map((o) => o.revision));
  const actions: DeploymentAction[] = [];
  let newRS = existingNew ? rsView(existingNew) : undefined;
  if (newRS && newRS.revision <= maxOld) {
    newRS = { ...newRS, revision: maxOld + 1 };
    actions.push({ kind: 'update-rs', name: newRS.name, patch: { metadata: { annotations: { [REVISION]: String(maxOld + 1) } } } });
  }
  if (existingNew && int(existingNew.spec?.minReadySeconds, 0) !== int(d.spec?.minReadySeconds, 0)) {
    actions.push({ kind: 'update-rs', name: newRS?.name ?? '', patch: { spec: { minReadySeconds: int(d.spec?.minReadySeconds, 0) } } });
  }
  const create = (replicas: number): RsView => {
    const rs = newReplicaSet(d, replicas, maxOld + 1);
    actions.push({ kind: 'create-rs', rs, replicas });
    return { ...rsView(rs), created: Number.MAX_SAFE_INTEGER };
  };
  let scales: Scale[] = [];
  if (d.spec?.paused) {
    scales = scaleWhilePaused(d, newRS, olds);
  } else if (!isRolling(d)) {
    const active = olds.filter((o) => o.replicas > 0);
    scales = active.map((o) => ({ name: o.name, from: o.replicas, to: 0 }));
    if (scales.length === 0 && !oldPodsRunning(oldRSs, pods)) {
      newRS ??= create(0);
      const want = desiredReplicas(d);
      if (newRS.replicas !== want) scales = [{ name: newRS.name, from: newRS.replicas, to: want }];
    }
  } else {
    newRS ??= create(newRSNewReplicas(d, olds, 0));
    const up = scaleNew(d, [...olds, newRS], newRS);
    scales = up ? [up] : scaleOld(d, olds, newRS);
  }
  actions.push(...scales.map((scale): DeploymentAction => ({ kind: 'scale', scale })));
  const all = applyScales(newRS ? [...olds, newRS] : olds, scales);
  const after = newRS ? all.find((v) => v.name === newRS?.name) : undefined;
  if (actions.length === 0) actions.push(...cleanup(d, olds));
  return { actions, newRS: after, all, revision: after ? String(after.revision) : undefined };
}

/** sync() while paused: only follow a replica count change when one RS carries all pods. */
function scaleWhilePaused(d: V1Deployment, newRS: RsView | undefined, olds: readonly RsView[]): Scale[] {
  const active = [...olds, ...(newRS ? [newRS] : [])].filter((r) => r.replicas > 0);
  const target = active.length === 1 ? active[0] : active.length === 0 ? newRS : undefined;
  const want = desiredReplicas(d);
  return target && target.replicas !== want ? [{ name: target.name, from: target.replicas, to: want }] : [];
}

/** cleanupDeployment: keep at most revisionHistoryLimit old RSs that have scaled to zero. */
function cleanup(d: V1Deployment, olds: readonly RsView[]): DeploymentAction[] {
  const limit = int(d.spec?.revisionHistoryLimit, 10);
  const idle = oldestFirst(olds.filter((o) => o.replicas === 0 && o.actual === 0));
  return idle.slice(0, Math.max(0, idle.length - limit)).map((o) => ({ kind: 'delete-rs', name: o.name }));
}
