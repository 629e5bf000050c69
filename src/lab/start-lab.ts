// One lab cluster: an API server (the lab's own or the real kube-apiserver), the controllers the
// control plane lacks, a kubelet running pods as local processes, and an ingress in front.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ControllerName } from './controllers/index.js';
import type { RealController } from './scenario/scenario.js';
import { choosePodNetwork, type NetworkMode, type PodSocket } from './kubelet/pod-network.js';
import { ZdError } from '../errors.js';

export type ControlPlaneKind = 'lab' | 'kube';
/** The stand-in kubelet (pods as local processes) or a real node (kubelet, containerd, kube-proxy; see real-node/). */
export type NodeKind = 'standin' | 'real';
/** What answers at ingressUrl: the lab ingress with nginx or its built-in proxy, or real Traefik. */
export type IngressEngine = 'nginx' | 'builtin' | 'traefik';

export interface LabOptions {
  dir: string;
  controlPlane?: ControlPlaneKind;
  engine?: 'auto' | 'nginx' | 'builtin';
  propagationDelayMs?: number;
  /** Absent: each route's real proxy's default retry policy (src/lab/ingress/dialect.ts). */
  retry?: 'none';
  readTimeoutMs?: number;
  node?: NodeKind;
  /**
   * `lab` (default): the lab's ingress answering as each route's real proxy, built-in engine (no
   * reload on endpoint changes); `nginx`: real nginx reloaded on every change; `traefik`: real
   * Traefik reading the real apiserver (real node only).
   */
  controller?: 'lab' | 'nginx' | 'traefik';
  /** Real controllers beside the real node (real node only): `argo-rollouts`. */
  controllers?: RealController[];
  /** Images the pods may run: the real node builds them locally (the stand-in runs the lab app for any). */
  images?: string[];
  log?(line: string): void;
}

export interface Lab {
  kubeconfig: string;
  apiUrl: string;
  ingressUrl: string;
  engine: IngressEngine;
  controlPlane: ControlPlaneKind;
  /** Each pod on its own 127.x.y.n, or all on 127.0.0.1 with ports of their own (macOS has no aliases). */
  network: NetworkMode;
  node: NodeKind;
  /** Maps a pod IP and port as the API reports them to where the pod really listens. */
  addressMap(ip: string, port: number): PodSocket;
  close(): Promise<void>;
}

const LAB_CONTROLLERS: ControllerName[] = ['deployment', 'replicaset', 'endpointslice', 'kruise'];

/** A per-lab loopback prefix, so labs running side by side never share an address. */
export const randomIpPrefix = (): string => `127.${20 + Math.floor(Math.random() * 230)}.${1 + Math.floor(Math.random() * 250)}.`;

export async function startLab(opts: LabOptions): Promise<Lab> {
  if (opts.node === 'real') return startRealNodeLab(opts);
  if (opts.controller === 'traefik') throw new ZdError('unreachable', 'this scenario runs real Traefik, which reads a real apiserver and dials real pod IPs: run it with --node real');
  if (opts.controllers?.length) throw new ZdError('unreachable', `this scenario runs the real ${opts.controllers.join(', ')} controller, whose analysis Jobs need a real node: run it with --node real`);
  const kind = opts.controlPlane ?? 'lab';
  mkdirSync(opts.dir, { recursive: true });
  const closers: Array<() => Promise<void>> = [];
  const close = async (): Promise<void> => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    const api = await startControlPlane(kind, join(opts.dir, 'api'));
    closers.push(api.close);
    const { startControllers } = await import('./controllers/index.js');
    const controllers = await startControllers({ kubeconfig: api.kubeconfig, controllers: kind === 'lab' ? LAB_CONTROLLERS : ['kruise'] });
    closers.push(() => controllers.close());
    const { startKubelet } = await import('./kubelet/index.js');
    const ipPrefix = randomIpPrefix();
    // The real kube-apiserver rejects loopback endpoint addresses, so there pods are reported under
    // 10.x.y.n (an overlay-style pod IP) and the ingress maps them back to the 127.x.y.n they listen on.
    const overlay = kind === 'kube';
    // Where 127.x.y.n cannot be bound, pods keep those addresses in the API and share 127.0.0.1.
    const network = await choosePodNetwork(`${ipPrefix}1`);
    const addressMap = (ip: string, port: number): PodSocket => network.socket(overlay && ip.startsWith('10.') ? `127.${ip.slice(3)}` : ip, port);
    const kubelet = await startKubelet({ kubeconfig: api.kubeconfig, nodeName: 'lab-node-1', dir: join(opts.dir, 'kubelet'), ipPrefix, network, ...(overlay ? { advertisePrefix: `10.${ipPrefix.slice(4)}` } : {}) });
    closers.push(() => kubelet.close());
    const ingress = await startLabIngress(api.kubeconfig, opts, addressMap);
    closers.push(() => ingress.close());
    return { kubeconfig: api.kubeconfig, apiUrl: api.url, ingressUrl: ingress.url, engine: ingress.engine, controlPlane: kind, node: 'standin', network: network.mode, addressMap, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The scenario's ingress (nginx or the built-in proxy), dialling pods where they really listen. */
async function startLabIngress(kubeconfig: string, opts: LabOptions, addressMap: (ip: string, port: number) => PodSocket) {
  const { startIngress } = await import('./ingress/index.js');
  // Real nginx cannot take endpoint changes without a reload (ingress-nginx does it in Lua), so only
  // `controller: nginx` or an explicit --engine nginx runs it.
  const want = opts.engine ?? 'auto';
  const engine = want !== 'auto' ? want : opts.controller === 'nginx' ? 'auto' : 'builtin';
  return startIngress({
    kubeconfig,
    dir: join(opts.dir, 'ingress'),
    engine,
    propagationDelayMs: opts.propagationDelayMs ?? 1000,
    ...(opts.retry ? { retry: opts.retry } : {}),
    ...(opts.readTimeoutMs ? { readTimeoutMs: opts.readTimeoutMs } : {}),
    addressMap,
  });
}

async function startControlPlane(kind: ControlPlaneKind, dir: string): Promise<{ url: string; kubeconfig: string; close(): Promise<void> }> {
  mkdirSync(dir, { recursive: true });
  if (kind === 'kube') {
    const { startKubeControlPlane } = await import('./kube/control-plane.js');
    return startKubeControlPlane({ dir });
  }
  const { startApiServer } = await import('./apiserver/index.js');
  return startApiServer({ dir, bookmarkIntervalMs: 5000 });
}

/** The real node brings the real control plane, kubelet and kube-proxy; the lab adds its Kruise controller and ingress. */
async function startRealNodeLab(opts: LabOptions): Promise<Lab> {
  mkdirSync(opts.dir, { recursive: true });
  const closers: Array<() => Promise<void>> = [];
  const close = async (): Promise<void> => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    const { startRealNode } = await import('./real-node/start-real-node.js');
    const node = await startRealNode({ images: opts.images ?? [], ...(opts.log ? { log: opts.log } : {}) });
    closers.push(node.close);
    const { startControllers } = await import('./controllers/index.js');
    const controllers = await startControllers({ kubeconfig: node.kubeconfig, controllers: ['kruise'] });
    closers.push(() => controllers.close());
    if (opts.controllers?.includes('argo-rollouts')) {
      const { startArgoRollouts } = await import('./real-node/argo-rollouts.js');
      const argo = await startArgoRollouts({ kubeconfig: node.kubeconfig, dir: join(opts.dir, 'argo-rollouts') });
      closers.push(argo.close);
      opts.log?.(`real Argo Rollouts controller up; log ${argo.log}`);
    }
    // Pod IPs are real and routable inside the namespace: the ingress dials them as they are.
    const addressMap = (ip: string, port: number): PodSocket => ({ host: ip, port });
    if (opts.controller === 'traefik') {
      const { startTraefik } = await import('./real-node/traefik.js');
      const traefik = await startTraefik({ kubeconfig: node.kubeconfig, dir: join(opts.dir, 'traefik') });
      closers.push(traefik.close);
      opts.log?.(`real Traefik up; access log ${traefik.accessLog}`);
      return { kubeconfig: node.kubeconfig, apiUrl: node.apiUrl, ingressUrl: traefik.url, engine: 'traefik', controlPlane: 'kube', node: 'real', network: 'aliases', addressMap, close };
    }
    const ingress = await startLabIngress(node.kubeconfig, opts, addressMap);
    closers.push(() => ingress.close());
    return { kubeconfig: node.kubeconfig, apiUrl: node.apiUrl, ingressUrl: ingress.url, engine: ingress.engine, controlPlane: 'kube', node: 'real', network: 'aliases', addressMap, close };
  } catch (err) {
    await close();
    throw err;
  }
}
