// The lab's controllers, talking to the cluster only through @kubernetes/client-node, so the
// kruise controller runs unchanged against a real kube-apiserver. On a real control plane only
// 'kruise' is started; the lab also runs 'deployment', 'replicaset' and 'endpointslice'.
import type { KubeConfig } from '@kubernetes/client-node';
import type { ControllerContext } from './context.js';
import { startDeploymentController } from './deployment.js';
import { startEndpointSliceController } from './endpointslice.js';
import { makeClients, makeInformers } from './kube.js';
import { startKruiseController } from './kruise.js';
import type { Loop } from './loop.js';
import { startReplicaSetController } from './replicaset.js';

export { approveRollout } from './approve.js';
export { scalingMessage } from './deployment.js';
export { CANARY_DEPLOYMENT_LABEL, ORIGIN_SPEC_ANNOTATION } from './kruise-plan.js';

export type ControllerName = 'deployment' | 'replicaset' | 'endpointslice' | 'kruise';

export interface ControllersOptions {
  /** Path to a kubeconfig file (or a loaded KubeConfig). */
  kubeconfig: string | KubeConfig;
  controllers: ControllerName[];
  /** Watch one namespace only; all namespaces when absent. */
  namespace?: string;
  /** Every key is reconciled again this often even without events (default 3000 ms). */
  resyncMs?: number;
  /** Errors of API calls and reconciles; they are retried with backoff either way. */
  onError?: (err: unknown, where: string) => void;
}

export interface Controllers {
  /** The last errors seen (at most 50), for diagnostics when no onError was given. */
  readonly errors: string[];
  close(): Promise<void>;
}

const STARTERS: Record<ControllerName, (ctx: ControllerContext) => Loop> = {
  deployment: startDeploymentController,
  replicaset: startReplicaSetController,
  endpointslice: startEndpointSliceController,
  kruise: startKruiseController,
};

export async function startControllers(opts: ControllersOptions): Promise<Controllers> {
  const errors: string[] = [];
  const onError = (err: unknown, where: string): void => {
    errors.push(`${where}: ${err instanceof Error ? err.message : String(err)}`);
    if (errors.length > 50) errors.shift();
    opts.onError?.(err, where);
  };
  const clients = makeClients(opts.kubeconfig);
  const informers = makeInformers(clients, opts.namespace, (err) => onError(err, 'watch'));
  const ctx: ControllerContext = { clients, informers, onError, resyncMs: opts.resyncMs ?? 3000 };
  const loops = [...new Set(opts.controllers)].map((name) => STARTERS[name](ctx));
  try {
    await informers.startAll();
  } catch (err) {
    await Promise.all(loops.map((l) => l.close()));
    await informers.stopAll();
    throw err;
  }
  return {
    errors,
    async close() {
      await Promise.all(loops.map((l) => l.close()));
      await informers.stopAll();
    },
  };
}
