// A kube-proxy stand-in for one Service, so a probe can reach pods the way a NodePort client does
// (SEEDS pattern 5's "probing the Service directly"). It is L4: each new connection goes to one
// ready endpoint (round robin) and stays on that pod until either side closes it, as conntrack
// keeps an established flow on its pod after the endpoint is gone. Only new connections see
// endpoint changes, and those only after the propagation delay.
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import type { Endpoint as SliceEndpoint, EndpointSlice } from '../kube/object.js';
import type { PodSocket } from './kubelet/pod-network.js';
import { objectApi } from './scenario/run-steps.js';

export interface ServiceProxyOptions {
  kubeconfig: string;
  namespace: string;
  service: string;
  /** How long an endpoint change takes to reach the proxy's rules. */
  propagationDelayMs: number;
  host?: string;
  pollMs?: number;
  /** Where a pod IP and port from an EndpointSlice really listen (overlay addresses, the shared pod network). */
  addressMap?: (ip: string, port: number) => PodSocket;
}

export interface ServiceProxy {
  url: string;
  close(): Promise<void>;
}

interface Endpoint {
  ip: string;
  port: number;
}

/**
 * The endpoints new connections go to: the ready ones, or, when none is ready, the serving ones that
 * terminate (kube-proxy's fallback, pkg/proxy/topology.go), so "no ready endpoint" is not "no traffic".
 */
export function readyEndpoints(slices: EndpointSlice[]): Endpoint[] {
  const ready = endpointsWhere(slices, (c) => c?.ready === true);
  return ready.length > 0 ? ready : endpointsWhere(slices, (c) => c?.serving === true && c.terminating === true);
}

function endpointsWhere(slices: EndpointSlice[], pick: (c: SliceEndpoint['conditions']) => boolean): Endpoint[] {
  const out: Endpoint[] = [];
  for (const s of slices) {
    const port = s.ports?.[0]?.port;
    if (port === undefined) continue;
    for (const e of s.endpoints ?? []) {
      if (!pick(e.conditions)) continue;
      for (const ip of e.addresses ?? []) out.push({ ip, port });
    }
  }
  return out.sort((a, b) => `${a.ip}:${a.port}`.localeCompare(`${b.ip}:${b.port}`));
}

/** Joins a client connection to one pod; a reset on either side is passed on as a reset. */
function splice(client: Socket, ep: Endpoint, open: Set<Socket>): void {
  const up = net.connect(ep.port, ep.ip);
  for (const s of [client, up]) {
    open.add(s);
    s.on('close', () => open.delete(s));
  }
  client.pipe(up);
  up.pipe(client);
  up.on('error', () => client.resetAndDestroy());
  client.on('error', () => up.resetAndDestroy());
}

export async function startServiceProxy(opts: ServiceProxyOptions): Promise<ServiceProxy> {
  const api = objectApi(opts.kubeconfig);
  let endpoints: Endpoint[] = [];
  let next = 0;
  let closed = false;
  const timers = new Set<NodeJS.Timeout>();
  const open = new Set<Socket>();
  const list = async (): Promise<Endpoint[]> => {
    const slices = await api.list('discovery.k8s.io/v1', 'EndpointSlice', opts.namespace, undefined, undefined, undefined, undefined, `kubernetes.io/service-name=${opts.service}`);
    const map = opts.addressMap ?? ((ip: string, port: number): PodSocket => ({ host: ip, port }));
    return readyEndpoints(slices.items as EndpointSlice[]).map((e) => {
      const at = map(e.ip, e.port);
      return { ip: at.host, port: at.port };
    });
  };
  const poll = async (): Promise<void> => {
    const seen = await list();
    const t = setTimeout(() => (timers.delete(t), (endpoints = seen)), opts.propagationDelayMs);
    timers.add(t);
  };
  // The first state applies at once: the proxy starts with the cluster as it is.
  endpoints = await list();
  const loop = setInterval(() => void poll().catch(() => undefined), opts.pollMs ?? 200);
  const server = net.createServer((client) => {
    const ep = endpoints.length ? endpoints[next++ % endpoints.length] : undefined;
    // No endpoint: kube-proxy's REJECT rule refuses the connection.
    if (!ep || closed) return void client.resetAndDestroy();
    splice(client, ep, open);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, opts.host ?? '127.0.0.1', () => resolve()));
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${addr.address}:${addr.port}/`,
    async close() {
      closed = true;
      clearInterval(loop);
      for (const t of timers) clearTimeout(t);
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
