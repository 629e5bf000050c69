// The Deployment controller: executes planDeployment's actions through the API, writes the
// revision annotation, status, and ScalingReplicaSet events in upstream's wording.
import type { V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import type { ControllerContext } from './context.js';
import type { DeploymentAction } from './deployment-plan.js';
import { REVISION, DESIRED_REPLICAS, MAX_REPLICAS, planDeployment } from './deployment-plan.js';
import type { DeploymentStatusPatch } from './deployment-status.js';
import { deploymentStatus } from './deployment-status.js';
import { desiredReplicas, maxSurge } from './deployment-math.js';
import { httpCode, mergePatch, recordEvent } from './kube.js';
import type { Loop } from './loop.js';
import { startLoop } from './loop.js';
import { canonicalJson, controllerOf, int, iso, keyOf, ms, splitKey } from './objects.js';

const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment' };
const COMPONENT = 'deployment-controller';

/** Upstream's wording since Kubernetes 1.27 ("Scaled up replica set web-5d4f from 0 to 1"). */
export function scalingMessage(name: string, from: number, to: number): string {
  return `Scaled ${to > from ? 'up' : 'down'} replica set ${name} from ${from} to ${to}`;
}

export function startDeploymentController(ctx: ControllerContext): Loop {
  const deployments = ctx.informers.store<V1Deployment>('deployments');
  const replicaSets = ctx.informers.store<V1ReplicaSet>('replicasets');
  const pods = ctx.informers.store<V1Pod>('pods');
  const loop = startLoop({
    name: 'deployment',
    resyncMs: ctx.resyncMs,
    onError: ctx.onError,
    keys: () => deployments.list().map(keyOf),
    reconcile: (key) => syncDeployment(ctx, key),
  });
  deployments.onChange((d) => loop.enqueue(keyOf(d)));
  replicaSets.onChange((rs) => {
    const ref = controllerOf(rs);
    if (ref?.kind === 'Deployment') loop.enqueue(`${rs.metadata?.namespace ?? ''}/${ref.name}`);
  });
  return loop;
}

async function syncDeployment(ctx: ControllerContext, key: string): Promise<void> {
  const { namespace, name } = splitKey(key);
  const deployments = ctx.informers.store<V1Deployment>('deployments');
  const replicaSets = ctx.informers.store<V1ReplicaSet>('replicasets');
  const d = deployments.get(namespace, name);
  if (!d || d.metadata?.deletionTimestamp != null) return;
  const pods = ctx.informers.store<V1Pod>('pods').list(namespace);
  const plan = planDeployment(d, replicaSets.list(namespace), pods);
  let created = false;
  for (const action of plan.actions) created = (await runAction(ctx, d, action)) || created;
  const current = deployments.get(namespace, name) ?? d;
  if (plan.revision && current.metadata?.annotations?.[REVISION] !== plan.revision) {
    const body = { metadata: { annotations: { [REVISION]: plan.revision } } };
    deployments.wrote(await ctx.clients.apps.patchNamespacedDeployment({ name, namespace, body }, mergePatch));
  }
  const status = deploymentStatus(current, { newRS: plan.newRS, all: plan.all, createdNewRS: created }, Date.now());
  if (!sameStatus(current, status)) {
    const body = { status };
    deployments.wrote(await ctx.clients.apps.patchNamespacedDeploymentStatus({ name, namespace, body }, mergePatch));
  }
}

function sameStatus(d: V1Deployment, want: DeploymentStatusPatch): boolean {
  const s = d.status;
  const have = {
    observedGeneration: int(s?.observedGeneration, 0),
    replicas: int(s?.replicas, 0),
    updatedReplicas: int(s?.updatedReplicas, 0),
    readyReplicas: int(s?.readyReplicas, 0),
    availableReplicas: int(s?.availableReplicas, 0),
    unavailableReplicas: int(s?.unavailableReplicas, 0),
    conditions: (s?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
      lastUpdateTime: iso(ms(c.lastUpdateTime)),
      lastTransitionTime: iso(ms(c.lastTransitionTime)),
    })),
  };
  return canonicalJson(have) === canonicalJson(want);
}

/** Runs one action; true when it created the new ReplicaSet. */
async function runAction(ctx: ControllerContext, d: V1Deployment, action: DeploymentAction): Promise<boolean> {
  const { apps } = ctx.clients;
  const replicaSets = ctx.informers.store<V1ReplicaSet>('replicasets');
  const namespace = d.metadata?.namespace ?? 'default';
  switch (action.kind) {
    case 'create-rs': {
      try {
        replicaSets.wrote(await apps.createNamespacedReplicaSet({ namespace, body: action.rs }));
      } catch (err) {
        // Already there: our cache was behind; the next sync sees it.
        if (httpCode(err) === 409) return false;
        throw err;
      }
      const rsName = action.rs.metadata?.name ?? '';
      if (action.replicas > 0) await event(ctx, d, scalingMessage(rsName, 0, action.replicas));
      return true;
    }
    case 'scale': {
      const { name, from, to } = action.scale;
      const annotations = { [DESIRED_REPLICAS]: String(desiredReplicas(d)), [MAX_REPLICAS]: String(desiredReplicas(d) + maxSurge(d)) };
      const body = { metadata: { annotations }, spec: { replicas: to } };
      replicaSets.wrote(await apps.patchNamespacedReplicaSet({ name, namespace, body }, mergePatch));
      await event(ctx, d, scalingMessage(name, from, to));
      return false;
    }
    case 'update-rs':
      replicaSets.wrote(await apps.patchNamespacedReplicaSet({ name: action.name, namespace, body: action.patch }, mergePatch));
      return false;
    case 'delete-rs':
      await apps.deleteNamespacedReplicaSet({ name: action.name, namespace }).catch(ignoreNotFound);
      replicaSets.deleted(namespace, action.name);
      return false;
  }
}

function event(ctx: ControllerContext, d: V1Deployment, message: string): Promise<void> {
  return recordEvent(ctx.clients, d, DEPLOYMENT, COMPONENT, { reason: 'ScalingReplicaSet', message });
}

export function ignoreNotFound(err: unknown): void {
  if (httpCode(err) !== 404) throw err;
}
