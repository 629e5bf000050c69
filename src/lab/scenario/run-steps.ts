// Executes scenario steps against the lab's API, as a user with kubectl would.
import { setTimeout as wait } from 'node:timers/promises';
import { CoreV1Api, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import type { Deployment, KubeObject } from '../../kube/object.js';
import type { Step, WaitFor } from './scenario.js';
import { ZdError } from '../../errors.js';
import { approveRollout } from '../controllers/index.js';
import { kubeConfigOf } from '../../kube/kubeconfig.js';

const NS = 'default';
const WAIT_LIMIT_MS = 90_000;

export interface StepContext {
  kubeconfig: string;
  /** True when every probe's first request through the ingress answers 2xx. */
  serving(): Promise<boolean>;
  /** Ctrl-C: sleeps and waits end early so the run can report and tear down. */
  signal?: AbortSignal;
  /** How long serving must hold without a break before a run starts (covers the ingress's propagation delay). */
  stableMs: number;
  log(line: string): void;
  /** Argo Rollouts of the scenario: `wait: ready` waits for them to be Healthy too. */
  argoRollouts?: string[];
}

export function objectApi(kubeconfig: string): KubernetesObjectApi {
  return KubernetesObjectApi.makeApiClient(kubeConfigOf(kubeconfig));
}

const withNs = (o: KubeObject): KubernetesObject => ({ ...o, metadata: { namespace: NS, ...o.metadata } }) as KubernetesObject;

export async function applyAll(api: KubernetesObjectApi, objects: KubeObject[]): Promise<void> {
  for (const o of objects) {
    try {
      await api.create(withNs(o));
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err;
      const current = await api.read(withNs(o) as KubernetesObject & { metadata: { name: string; namespace: string } });
      await api.replace({ ...withNs(o), metadata: { ...withNs(o).metadata, resourceVersion: current.metadata?.resourceVersion } } as KubernetesObject);
    }
  }
}

export async function runStep(step: Step, ctx: StepContext, api: KubernetesObjectApi): Promise<void> {
  if ('sleep' in step) return sleep(step.sleep, ctx.signal);
  if ('apply' in step) return applyAll(api, step.apply);
  if ('patch' in step) {
    const { apiVersion, kind, name, patch } = step.patch;
    await api.patch({ apiVersion, kind, metadata: { name, namespace: NS }, ...patch } as KubernetesObject, undefined, undefined, undefined, undefined, PatchStrategy.MergePatch);
    return;
  }
  if ('setImage' in step) return setImage(api, step.setImage);
  if ('delete' in step) {
    await api.delete({ apiVersion: step.delete.apiVersion, kind: step.delete.kind, metadata: { name: step.delete.name, namespace: NS } });
    return;
  }
  if ('approve' in step) return approveRollout(ctx.kubeconfig, NS, step.approve);
  if ('evict' in step) return evictOldest(ctx.kubeconfig, api, step.evict.deployment);
  return waitFor(step.wait, ctx, api);
}

const ARGO_ROLLOUT = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' } as const;

/** Like `kubectl set image` on a Deployment, or `kubectl argo rollouts set image` on an Argo Rollout. */
async function setImage(api: KubernetesObjectApi, s: { deployment?: string; rollout?: string; container: string; image: string; pause?: boolean }): Promise<void> {
  const target = s.rollout ? { ...ARGO_ROLLOUT, name: s.rollout } : { apiVersion: 'apps/v1', kind: 'Deployment', name: s.deployment ?? '' };
  if (!target.name) throw new ZdError('input', 'set-image: name the deployment (or the Argo rollout) to change');
  const ref = { apiVersion: target.apiVersion, kind: target.kind, metadata: { name: target.name, namespace: NS } };
  const cur = (await api.read(ref)) as KubeObject;
  const containers = (cur.spec.template.spec.containers as Array<{ name: string; image: string }>).map((c) => (c.name === s.container ? { ...c, image: s.image } : c));
  // A Kruise Rollout pauses the Deployment in the same write (its webhook does it on a real cluster).
  const patch = { spec: { ...(s.pause ? { paused: true } : {}), template: { spec: { containers } } } };
  await api.patch({ ...ref, ...patch } as KubernetesObject, undefined, undefined, undefined, undefined, PatchStrategy.MergePatch);
}

/** POST pods/<name>/eviction for the Deployment's oldest running pod: a PDB may refuse it (429), as for kubectl drain. */
async function evictOldest(kubeconfig: string, api: KubernetesObjectApi, deployment: string): Promise<void> {
  const dep = (await api.read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: deployment, namespace: NS } })) as KubeObject;
  const labels = Object.entries((dep.spec?.selector?.matchLabels ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',');
  const pods = ((await api.list('v1', 'Pod', NS, undefined, undefined, undefined, undefined, labels)).items as KubeObject[])
    .filter((p) => !p.metadata?.deletionTimestamp)
    .sort((a, b) => String(a.metadata?.creationTimestamp).localeCompare(String(b.metadata?.creationTimestamp)));
  const name = pods[0]?.metadata?.name;
  if (!name) throw new ZdError('input', `evict: deployment ${deployment} has no running pod to evict`);
  const core = kubeConfigOf(kubeconfig).makeApiClient(CoreV1Api);
  await core.createNamespacedPodEviction({ name, namespace: NS, body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: NS } } });
}

/** Resolves after ms, or at once when the run is aborted. */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> => wait(ms, undefined, { signal }).catch(() => undefined);

async function until(what: string, check: () => Promise<boolean>, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  while (Date.now() < deadline) {
    if (signal?.aborted || (await check().catch(() => false))) return;
    await sleep(200, signal);
  }
  throw new ZdError('unreachable', `lab: timed out after ${WAIT_LIMIT_MS / 1000} s waiting for ${what}`);
}

async function waitFor(w: WaitFor, ctx: StepContext, api: KubernetesObjectApi): Promise<void> {
  const read = (apiVersion: string, kind: string, name: string) => api.read({ apiVersion, kind, metadata: { name, namespace: NS } }) as Promise<KubeObject>;
  if ('ready' in w) {
    const list = (await api.list('apps/v1', 'Deployment', NS)).items as KubeObject[];
    for (const d of list) await until(`deployment ${d.metadata?.name} to be available`, async () => deploymentDone(await read('apps/v1', 'Deployment', d.metadata!.name!)), ctx.signal);
    for (const r of ctx.argoRollouts ?? []) await until(`Argo rollout ${r} to be Healthy`, async () => argoSettled(await read(ARGO_ROLLOUT.apiVersion, ARGO_ROLLOUT.kind, r)), ctx.signal);
    return until('the ingress to serve every probe steadily', stableFor(ctx.stableMs, ctx.serving), ctx.signal);
  }
  if ('rollout' in w) return until(`deployment ${w.rollout} to finish rolling out`, async () => deploymentDone(await read('apps/v1', 'Deployment', w.rollout)), ctx.signal);
  if ('kruiseStep' in w) {
    const { name, step } = w.kruiseStep;
    return until(`rollout ${name} to pause at step ${step}`, async () => {
      const c = (await read('rollouts.kruise.io/v1beta1', 'Rollout', name)).status?.canaryStatus;
      return c?.currentStepIndex === step && c?.currentStepState === 'StepPaused';
    }, ctx.signal);
  }
  if ('argoDone' in w) return until(`Argo rollout ${w.argoDone} to be promoted or aborted`, async () => argoSettled(await read(ARGO_ROLLOUT.apiVersion, ARGO_ROLLOUT.kind, w.argoDone)), ctx.signal);
  return until(`rollout ${w.kruiseDone} to complete`, async () => (await read('rollouts.kruise.io/v1beta1', 'Rollout', w.kruiseDone)).status?.phase === 'Healthy', ctx.signal);
}

/** An Argo Rollout at rest on its current spec: Healthy on the newest revision, or aborted (Degraded). */
function argoSettled(r: KubeObject): boolean {
  const s = r.status ?? {};
  if (String(s.observedGeneration ?? '') !== String(r.metadata?.generation ?? '')) return false;
  return (s.phase === 'Healthy' && s.stableRS === s.currentPodHash) || (s.abort === true && s.phase === 'Degraded');
}

/** A check that holds only once `inner` has held on every call for `ms` in a row. */
function stableFor(ms: number, inner: () => Promise<boolean>): () => Promise<boolean> {
  let since: number | undefined;
  return async () => {
    const ok = await inner().catch(() => false);
    if (!ok) since = undefined;
    else since ??= Date.now();
    return since !== undefined && Date.now() - since >= ms;
  };
}

/** Like `kubectl rollout status`: observed, all replicas updated and available, no old ones left. */
function deploymentDone(d: Deployment): boolean {
  const want = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  return (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? Number.NaN) && s.updatedReplicas === want && s.availableReplicas === want && s.replicas === want;
}
