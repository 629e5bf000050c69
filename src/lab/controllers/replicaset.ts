// The ReplicaSet controller: keeps spec.replicas pods from the template, through the API.
import type { V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import type { ControllerContext } from './context.js';
import { ignoreNotFound } from './deployment.js';
import { mergePatch, recordEvent } from './kube.js';
import type { Loop, ReconcileResult } from './loop.js';
import { startLoop } from './loop.js';
import { controllerOf, int, keyOf, splitKey } from './objects.js';
import type { ReplicaSetStatusPatch } from './replicaset-plan.js';
import { planReplicaSet, podFromTemplate } from './replicaset-plan.js';

const REPLICASET = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };
const COMPONENT = 'replicaset-controller';

export function startReplicaSetController(ctx: ControllerContext): Loop {
  const replicaSets = ctx.informers.store<V1ReplicaSet>('replicasets');
  const pods = ctx.informers.store<V1Pod>('pods');
  const loop = startLoop({
    name: 'replicaset',
    resyncMs: ctx.resyncMs,
    onError: ctx.onError,
    keys: () => replicaSets.list().map(keyOf),
    reconcile: (key) => syncReplicaSet(ctx, key),
  });
  replicaSets.onChange((rs) => loop.enqueue(keyOf(rs)));
  pods.onChange((pod) => {
    const ref = controllerOf(pod);
    if (ref?.kind === 'ReplicaSet') loop.enqueue(`${pod.metadata?.namespace ?? ''}/${ref.name}`);
  });
  return loop;
}

async function syncReplicaSet(ctx: ControllerContext, key: string): Promise<ReconcileResult> {
  const { namespace, name } = splitKey(key);
  const replicaSets = ctx.informers.store<V1ReplicaSet>('replicasets');
  const pods = ctx.informers.store<V1Pod>('pods');
  const rs = replicaSets.get(namespace, name);
  if (!rs || rs.metadata?.deletionTimestamp != null) return {};
  const plan = planReplicaSet(rs, pods.list(namespace), Date.now());
  for (let i = 0; i < plan.create; i++) {
    const pod = await ctx.clients.core.createNamespacedPod({ namespace, body: podFromTemplate(rs) });
    pods.wrote(pod);
    await event(ctx, rs, 'SuccessfulCreate', `Created pod: ${pod.metadata?.name ?? ''}`);
  }
  for (const podName of plan.remove) {
    await deletePod(ctx, namespace, podName);
    await event(ctx, rs, 'SuccessfulDelete', `Deleted pod: ${podName}`);
  }
  if (!sameStatus(rs, plan.status)) {
    const body = { status: plan.status };
    replicaSets.wrote(await ctx.clients.apps.patchNamespacedReplicaSetStatus({ name, namespace, body }, mergePatch));
  }
  return { requeueAfterMs: plan.requeueAfterMs };
}

async function deletePod(ctx: ControllerContext, namespace: string, name: string): Promise<void> {
  const pods = ctx.informers.store<V1Pod>('pods');
  try {
    const answer = (await ctx.clients.core.deleteNamespacedPod({ name, namespace })) as V1Pod;
    // Graceful deletion answers with the pod, now carrying deletionTimestamp.
    if (answer?.metadata?.deletionTimestamp != null) pods.wrote(answer);
    else pods.deleted(namespace, name);
  } catch (err) {
    ignoreNotFound(err);
    pods.deleted(namespace, name);
  }
}

function sameStatus(rs: V1ReplicaSet, want: ReplicaSetStatusPatch): boolean {
  const s = rs.status;
  return (
    int(s?.replicas, 0) === want.replicas &&
    int(s?.readyReplicas, 0) === want.readyReplicas &&
    int(s?.availableReplicas, 0) === want.availableReplicas &&
    int(s?.fullyLabeledReplicas, 0) === want.fullyLabeledReplicas &&
    int(s?.observedGeneration, 0) === want.observedGeneration
  );
}

function event(ctx: ControllerContext, rs: V1ReplicaSet, reason: string, message: string): Promise<void> {
  return recordEvent(ctx.clients, rs, REPLICASET, COMPONENT, { reason, message });
}
