// The lab's ingress / mesh gateway: watches Services, EndpointSlices, Pods, Ingresses,
// VirtualServices, DestinationRules and HTTPRoutes through the Kubernetes API and routes
// with real nginx (reloaded) or the built-in proxy, after a propagation delay.
import { buildRoutingModel } from './build-model.js';
import type { EngineKind } from './engine.js';
import { startGateway } from './gateway.js';
import type { Gateway } from './gateway.js';
import type { RoutingModel } from './model.js';
import { watchObjects } from './watch-objects.js';

import { kubeConfigOf } from '../../kube/kubeconfig.js';
import type { PodSocket } from '../kubelet/pod-network.js';
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
  retry?: 'none';
  namespace?: string;
  /** Upstream read timeout; default 5000. */
  readTimeoutMs?: number;
  /** Where a pod IP and port from an EndpointSlice really listen (overlay addresses, the shared pod network). */
  addressMap?: (ip: string, port: number) => PodSocket;
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

/** The model with each upstream server ("ip:port" as the API has it) replaced by where it really listens. */
function mapServers(model: RoutingModel, map: ((ip: string, port: number) => PodSocket) | undefined): RoutingModel {
  if (!map) return model;
  const upstreams = Object.fromEntries(Object.entries(model.upstreams).map(([name, u]) => [name, {
    ...u,
    endpoints: u.endpoints.map((server) => {
      const i = server.lastIndexOf(':');
      const at = map(server.slice(0, i), Number(server.slice(i + 1)));
      return `${at.host}:${at.port}`;
    }),
  }]));
  return { ...model, upstreams };
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
    const model = mapServers(buildRoutingModel(watch.snapshot()), opts.addressMap);
    const t = setTimeout(() => { timers.delete(t); apply.want(model); }, delay);
    timers.add(t);
  };
  const watch = await watchObjects(kc, opts.namespace ?? 'default', onChange).catch(async (e: unknown) => { await gw.close(); throw e; });
  // The initial state is applied at once: the gateway starts in sync with the cluster.
  apply.want(mapServers(buildRoutingModel(watch.snapshot()), opts.addressMap));
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
