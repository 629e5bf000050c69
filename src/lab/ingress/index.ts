// The lab's ingress / mesh gateway: watches Services, EndpointSlices, Pods, Ingresses,
// VirtualServices, DestinationRules and HTTPRoutes through the Kubernetes API and routes
// with real nginx (reloaded) or the built-in proxy, after a propagation delay.
import { buildRoutingModel } from './build-model.js';
import type { EngineKind } from './engine.js';
import { startGateway } from './gateway.js';
import type { Gateway } from './gateway.js';
import type { RoutingModel } from './model.js';
import { watchObjects } from './watch-objects.js';

import type { EndpointSlice, KubeObject } from '../../kube/object.js';
import { kubeConfigOf } from '../../kube/kubeconfig.js';
export { buildRoutingModel } from './build-model.js';
export { renderNginxConfig } from './render-nginx.js';
export type { RenderOptions } from './render-nginx.js';
export { startGateway } from './gateway.js';
export type { Gateway, GatewayOptions } from './gateway.js';
export { findNginx } from './engine.js';
export type { EngineKind } from './engine.js';
export type { RoutingModel } from './model.js';

export interface IngressOptions {
  kubeconfig: string;
  /** nginx prefix dir (config, pid, error.log, access.log, temp files). */
  dir: string;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  engine?: 'auto' | EngineKind;
  /** Delay between an object change and the gateway routing by it (kube-proxy/ingress lag). */
  propagationDelayMs?: number;
  retry?: 'none' | 'next-upstream';
  namespace?: string;
  /** Upstream read timeout; default 5000. */
  readTimeoutMs?: number;
  /** Where a pod IP from an EndpointSlice really listens (the lab's overlay addresses, see the kubelet). */
  addressMap?: (ip: string) => string;
}

export interface IngressHandle {
  url: string;
  engine: EngineKind;
  /** The model the gateway routes by now. */
  model(): RoutingModel;
  /** The last failure to apply a model (the gateway keeps its previous config), if any. */
  lastError(): string | undefined;
  close(): Promise<void>;
}

/** Applies the newest wanted model, one at a time, skipping models superseded meanwhile. */
function applier(gw: Gateway): { want(m: RoutingModel): void; current(): RoutingModel; error(): string | undefined; idle(): Promise<void> } {
  let wanted: RoutingModel | undefined;
  let current = buildRoutingModel([]);
  let error: string | undefined;
  let running: Promise<void> = Promise.resolve();
  const drain = async (): Promise<void> => {
    while (wanted !== undefined) {
      const m = wanted;
      wanted = undefined;
      await gw.applyModel(m).then(() => { current = m; error = undefined; }, (e: unknown) => { error = String((e as Error).message ?? e); });
    }
  };
  return {
    want: (m) => {
      const idleNow = wanted === undefined;
      wanted = m;
      if (idleNow) running = running.then(drain);
    },
    current: () => current,
    error: () => error,
    idle: () => running,
  };
}

/** EndpointSlices with each endpoint address replaced by where it really listens. */
function mapAddresses(objects: KubeObject[], map: ((ip: string) => string) | undefined): KubeObject[] {
  if (!map) return objects;
  return objects.map((o) =>
    o.kind !== 'EndpointSlice'
      ? o
      : { ...o, endpoints: ((o as EndpointSlice).endpoints ?? []).map((e) => ({ ...e, addresses: (e.addresses ?? []).map(map) })) },
  );
}

export async function startIngress(opts: IngressOptions): Promise<IngressHandle> {
  const kc = kubeConfigOf(opts.kubeconfig);
  const gw = await startGateway(opts);
  const apply = applier(gw);
  const delay = opts.propagationDelayMs ?? 0;
  const timers = new Set<NodeJS.Timeout>();
  let live = false;
  // A delay line, not a debounce: the state seen at each change is applied `delay` later,
  // so a steady stream of changes still reaches the gateway.
  const onChange = (): void => {
    if (!live) return;
    const model = buildRoutingModel(mapAddresses(watch.snapshot(), opts.addressMap));
    const t = setTimeout(() => { timers.delete(t); apply.want(model); }, delay);
    timers.add(t);
  };
  const watch = await watchObjects(kc, opts.namespace ?? 'default', onChange).catch(async (e: unknown) => { await gw.close(); throw e; });
  // The initial state is applied at once: the gateway starts in sync with the cluster.
  apply.want(buildRoutingModel(mapAddresses(watch.snapshot(), opts.addressMap)));
  await apply.idle();
  live = true;
  return {
    url: gw.url,
    engine: gw.engine,
    model: apply.current,
    lastError: apply.error,
    close: async () => {
      live = false;
      for (const t of timers) clearTimeout(t);
      await watch.close();
      await apply.idle();
      await gw.close();
    },
  };
}
