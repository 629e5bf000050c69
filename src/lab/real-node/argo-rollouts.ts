// The real Argo Rollouts controller (test/kube/argo-rollouts/build.sh) for real-node scenarios that
// drive a Rollout: its CRDs applied server-side (they are too large for a client-side apply's
// last-applied annotation), the controller run from inside the namespace against the real apiserver,
// without leader election (one instance). Its analysis Jobs run as real pods on the real node.
import { accessSync, constants, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubernetesObjectApi, loadYaml, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { ZdError } from '../../errors.js';
import { kubeConfigOf } from '../../kube/kubeconfig.js';
import type { KubeObject } from '../../types.js';
import { startChild } from '../kube/child-process.js';
import { freePort } from '../kube/ports.js';
import { pollFor, waitHttpOk } from '../kube/wait-ready.js';

export const ARGO_ROLLOUTS_VERSION = 'v1.10.2';

const cacheDir = (env: NodeJS.ProcessEnv): string => join(env['ZDPROBE_CACHE'] || join(env['HOME'] || '/root', '.cache', 'zdprobe'), 'argo-rollouts', ARGO_ROLLOUTS_VERSION);
export const argoRolloutsBinary = (env: NodeJS.ProcessEnv = process.env): string => join(cacheDir(env), 'bin', 'rollouts-controller');
export const argoRolloutsCrdDir = (env: NodeJS.ProcessEnv = process.env): string => join(cacheDir(env), 'crds');

export function argoRolloutsUnavailable(): string | undefined {
  try {
    accessSync(argoRolloutsBinary(), constants.X_OK);
    accessSync(join(argoRolloutsCrdDir(), 'rollout-crd.yaml'), constants.R_OK);
    return undefined;
  } catch {
    return `this scenario needs the real Argo Rollouts controller ${ARGO_ROLLOUTS_VERSION} at ${argoRolloutsBinary()}: run bash test/kube/argo-rollouts/build.sh`;
  }
}

export interface ArgoRollouts {
  log: string;
  close(): Promise<void>;
}

/**
 * The module's CustomResourceDefinitions (manifests/crds, copied beside the binary by build.sh), as
 * typed objects: the client serializes a CRD through its model, which knows `x-kubernetes-int-or-string`
 * only under its own field name (a plain parse would lose it and the apiserver would refuse the CRD).
 */
export function argoRolloutsCrds(dir = argoRolloutsCrdDir()): KubernetesObject[] {
  return readdirSync(dir).filter((f) => f.endsWith('-crd.yaml')).sort().map((f) => loadYaml<KubernetesObject>(readFileSync(join(dir, f), 'utf8')));
}

const FIELD_MANAGER = 'zdprobe-lab';

/** Server-side apply, then wait until the apiserver serves every CRD (Established). */
async function applyCrds(kubeconfig: string, crds: KubernetesObject[], timeoutMs: number): Promise<void> {
  const api = KubernetesObjectApi.makeApiClient(kubeConfigOf(kubeconfig));
  for (const crd of crds) {
    await api.patch(crd, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  }
  for (const crd of crds) {
    const name = crd.metadata!.name!;
    await pollFor(`CRD ${name} to be established`, timeoutMs, async () => {
      const cur = (await api.read({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name } })) as KubeObject;
      const established = (cur.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True');
      return established ? true : undefined;
    });
  }
}

export async function startArgoRollouts(opts: { kubeconfig: string; dir: string; timeoutMs?: number }): Promise<ArgoRollouts> {
  const why = argoRolloutsUnavailable();
  if (why) throw new ZdError('unreachable', why);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  mkdirSync(opts.dir, { recursive: true });
  await applyCrds(opts.kubeconfig, argoRolloutsCrds(), timeoutMs);
  const healthz = await freePort();
  const metrics = await freePort();
  const log = join(opts.dir, 'rollouts-controller.log');
  const args = [`--kubeconfig=${opts.kubeconfig}`, '--leader-elect=false', `--healthzPort=${healthz}`, `--metricsPort=${metrics}`, '--loglevel=info'];
  const child = startChild('rollouts-controller', argoRolloutsBinary(), args, log);
  try {
    await waitHttpOk(`http://127.0.0.1:${healthz}/healthz`, { child, timeoutMs });
  } catch (err) {
    await child.stop(2000);
    throw err;
  }
  return { log, close: () => child.stop(5000) };
}
