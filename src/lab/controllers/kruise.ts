// The Kruise-style canary controller: reconciles each Rollout through planRollout and carries
// out its actions on the Deployment, the canary Deployment/Service, the stable Service and the
// VirtualServices. It uses only the Kubernetes API, so it runs against a real kube-apiserver too.
import type { V1Deployment, V1ReplicaSet, V1Service } from '@kubernetes/client-node';
import type { ControllerContext } from './context.js';
import { ignoreNotFound } from './deployment.js';
import { HASH_LABEL, sameTemplate, templateHash } from './hash.js';
import { ROLLOUT, mergePatch } from './kube.js';
import type { Loop, ReconcileResult } from './loop.js';
import { startLoop } from './loop.js';
import { canonicalJson, isControlledBy, keyOf, splitKey } from './objects.js';
import type { KruiseAction, RolloutView } from './kruise-plan.js';
import { CANARY_DEPLOYMENT_LABEL, planRollout, revisionOf } from './kruise-plan.js';
import { canaryDeployment, canaryService, canaryServiceName, pinnedSelector } from './kruise-routes.js';
import type { Rollout, RolloutStatus } from './kruise-types.js';
import { routeVirtualServices } from './kruise-vs.js';
import { statusPatch } from './merge-diff.js';

export function startKruiseController(ctx: ControllerContext): Loop {
  const rollouts = ctx.informers.store<Rollout & { metadata: object }>('rollouts');
  const deployments = ctx.informers.store<V1Deployment>('deployments');
  const replicaSets = ctx.informers.store<V1ReplicaSet>('replicasets');
  const loop = startLoop({
    name: 'kruise',
    resyncMs: ctx.resyncMs,
    onError: ctx.onError,
    keys: () => rollouts.list().map(keyOf),
    reconcile: (key) => syncRollout(ctx, key),
  });
  const touchNamespace = (obj: { metadata?: { namespace?: string } }): void => {
    for (const r of rollouts.list(obj.metadata?.namespace)) loop.enqueue(keyOf(r));
  };
  rollouts.onChange((r) => loop.enqueue(keyOf(r)));
  deployments.onChange(touchNamespace);
  replicaSets.onChange(touchNamespace);
  return loop;
}

/** pod-template-hash of the ReplicaSet of `d` that runs d's current template. */
function currentHash(d: V1Deployment | undefined, rss: readonly V1ReplicaSet[]): string | undefined {
  if (!d) return undefined;
  const rs = rss.find((r) => isControlledBy(r, d) && sameTemplate(r.spec?.template, d.spec?.template));
  return rs?.metadata?.labels?.[HASH_LABEL];
}

/** pod-template-hash of the stable pods: the RS whose template has the stable revision. */
function stableHash(d: V1Deployment | undefined, rss: readonly V1ReplicaSet[], stableRevision: string | undefined): string | undefined {
  if (!d || !stableRevision) return undefined;
  const rs = rss.find((r) => isControlledBy(r, d) && templateHash(r.spec?.template) === stableRevision);
  return rs?.metadata?.labels?.[HASH_LABEL];
}

async function syncRollout(ctx: ControllerContext, key: string): Promise<ReconcileResult> {
  const { namespace, name } = splitKey(key);
  const rollouts = ctx.informers.store<Rollout & { metadata: object }>('rollouts');
  const rollout = rollouts.get(namespace, name);
  if (!rollout || rollout.metadata?.deletionTimestamp != null) return {};
  const deployments = ctx.informers.store<V1Deployment>('deployments').list(namespace);
  const rss = ctx.informers.store<V1ReplicaSet>('replicasets').list(namespace);
  const workload = rollout.spec?.workloadRef?.name;
  const deployment = deployments.find((d) => d.metadata?.name === workload);
  const canary = deployments.find((d) => d.metadata?.labels?.[CANARY_DEPLOYMENT_LABEL] === workload && isControlledBy(d, rollout));
  const stableRevision = rollout.status?.stableRevision ?? (deployment ? revisionOf(deployment) : undefined);
  const view: RolloutView = {
    rollout,
    deployment,
    canary,
    canaryHash: currentHash(canary, rss),
    stableHash: stableHash(deployment, rss, stableRevision),
    now: Date.now(),
  };
  const plan = planRollout(view);
  for (const action of plan.actions) await runAction(ctx, view, action);
  await writeStatus(ctx, rollout, plan.status);
  return { requeueAfterMs: plan.requeueAfterMs };
}

async function writeStatus(ctx: ControllerContext, rollout: Rollout, status: RolloutStatus): Promise<void> {
  const patch = statusPatch(rollout.status ?? {}, status);
  if (patch === undefined) return;
  const { namespace = '', name = '' } = rollout.metadata ?? {};
  const answer = await ctx.clients.custom.patchNamespacedCustomObjectStatus(
    { ...ROLLOUT, namespace, name, body: { status: patch } },
    mergePatch,
  );
  ctx.informers.store<Rollout & { metadata: object }>('rollouts').wrote(answer as Rollout & { metadata: object });
}

async function runAction(ctx: ControllerContext, v: RolloutView, action: KruiseAction): Promise<void> {
  const d = v.deployment;
  if (!d) return;
  const namespace = d.metadata?.namespace ?? 'default';
  const deployments = ctx.informers.store<V1Deployment>('deployments');
  const { apps } = ctx.clients;
  switch (action.kind) {
    case 'pause':
      if (Boolean(d.spec?.paused) === action.paused) return;
      deployments.wrote(await apps.patchNamespacedDeployment({ name: d.metadata?.name ?? '', namespace, body: { spec: { paused: action.paused } } }, mergePatch));
      return;
    case 'canary':
      return ensureCanary(ctx, v, d, action.replicas);
    case 'pin-stable':
      for (const service of services(v.rollout)) await pinStable(ctx, namespace, service, action.hash);
      return;
    case 'route':
      if (action.step && v.canaryHash) {
        for (const service of services(v.rollout)) await ensureCanaryService(ctx, v.rollout, namespace, service, v.canaryHash);
      }
      await routeVirtualServices(ctx, v.rollout, namespace, action.step);
      return;
    case 'delete-canary':
      for (const service of services(v.rollout)) {
        await ctx.clients.core.deleteNamespacedService({ name: canaryServiceName(service), namespace }).catch(ignoreNotFound);
      }
      if (v.canary?.metadata?.name) {
        await apps.deleteNamespacedDeployment({ name: v.canary.metadata.name, namespace, propagationPolicy: 'Background' }).catch(ignoreNotFound);
        deployments.deleted(namespace, v.canary.metadata.name);
      }
      return;
  }
}

const services = (r: Rollout): string[] => (r.spec?.strategy?.canary?.trafficRoutings ?? []).map((t) => t.service);

async function ensureCanary(ctx: ControllerContext, v: RolloutView, d: V1Deployment, replicas: number): Promise<void> {
  const deployments = ctx.informers.store<V1Deployment>('deployments');
  const namespace = d.metadata?.namespace ?? 'default';
  if (!v.canary) {
    deployments.wrote(await ctx.clients.apps.createNamespacedDeployment({ namespace, body: canaryDeployment(v.rollout, d, replicas) }));
    return;
  }
  const sameSpec = v.canary.spec?.replicas === replicas && sameTemplate(v.canary.spec?.template, d.spec?.template);
  if (sameSpec) return;
  const body = { spec: { replicas, template: d.spec?.template } };
  deployments.wrote(await ctx.clients.apps.patchNamespacedDeployment({ name: v.canary.metadata?.name ?? '', namespace, body }, mergePatch));
}

async function pinStable(ctx: ControllerContext, namespace: string, service: string, hash: string | null): Promise<void> {
  const svc = await ctx.clients.core.readNamespacedService({ name: service, namespace });
  const selector = pinnedSelector(svc, hash);
  if (!selector) return;
  await ctx.clients.core.patchNamespacedService({ name: service, namespace, body: { spec: { selector } } }, mergePatch);
}

async function ensureCanaryService(ctx: ControllerContext, r: Rollout, namespace: string, service: string, hash: string): Promise<void> {
  const { core } = ctx.clients;
  const stable = await core.readNamespacedService({ name: service, namespace });
  const want = canaryService(r, stable, hash);
  const name = want.metadata?.name ?? '';
  let have: V1Service | undefined;
  try {
    have = await core.readNamespacedService({ name, namespace });
  } catch (err) {
    ignoreNotFound(err);
  }
  if (!have) {
    await core.createNamespacedService({ namespace, body: want });
    return;
  }
  if (canonicalJson(have.spec?.selector) === canonicalJson(want.spec?.selector)) return;
  await core.patchNamespacedService({ name, namespace, body: { spec: { selector: want.spec?.selector } } }, mergePatch);
}
