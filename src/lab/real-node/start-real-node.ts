// A real single-node Kubernetes, started from inside the lab's network namespace (enter-netns.ts
// puts this process there): containerd + runc + CNI bridge, etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler, kubelet and kube-proxy in iptables mode.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, type V1Node } from '@kubernetes/client-node';
import { ZdError } from '../../errors.js';
import { startChild, type Child } from '../kube/child-process.js';
import { httpCall, pollFor, waitHttpOk } from '../kube/wait-ready.js';
import { startContainerd } from './containerd.js';
import { startRealControlPlane } from './control-plane.js';
import { buildImageTar } from './images.js';
import { isZdprobeImage, zdprobeImageTars } from './zdprobe-image.js';
import { DATA_DIR, DEAD_END_GW, NETNS, NODE_IP, NODE_NAME, PEER_IP } from './layout.js';
import { KUBE_PROXY_HEALTHZ_PORT, KUBELET_HEALTHZ_PORT, kubeletArgs, kubeletConfig, kubeProxyConfig, schedulerArgs } from './node-config.js';
import { realNodeBinaries } from './preflight.js';

export interface RealNodeOptions {
  /** Lab app images the pods may use (each becomes a local image with VERSION from its tag). */
  images: string[];
  binDir?: string;
  timeoutMs?: number;
  log?(line: string): void;
}

export interface RealNode {
  kubeconfig: string;
  restrictedKubeconfig: string;
  apiUrl: string;
  /** Component logs (containerd, etcd, kube-apiserver, ..., kubelet, kube-proxy). */
  logDir: string;
  close(): Promise<void>;
}

/** Are we inside the lab's namespace? enter-netns.ts sets this when it re-executes zdprobe there. */
export const INSIDE_ENV = 'ZDPROBE_REAL_NODE_NETNS';
export const insideRealNodeNetns = (): boolean => process.env[INSIDE_ENV] === NETNS;

const ip = (...args: string[]): void => void execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

/** lo up, a veth pair with both ends inside, and a default route into nothing: no packet can leave. */
function wireNamespace(): void {
  ip('link', 'set', 'lo', 'up');
  ip('link', 'add', 'zdp0', 'type', 'veth', 'peer', 'name', 'zdp1');
  ip('addr', 'add', `${NODE_IP}/24`, 'dev', 'zdp0');
  ip('addr', 'add', `${PEER_IP}/24`, 'dev', 'zdp1');
  ip('link', 'set', 'zdp0', 'up');
  ip('link', 'set', 'zdp1', 'up');
  ip('route', 'add', 'default', 'via', DEAD_END_GW, 'dev', 'zdp0');
  // Per-namespace sysctls (this process is already in the namespace).
  writeFileSync('/proc/sys/net/ipv4/ip_forward', '1');
  writeFileSync('/proc/sys/net/bridge/bridge-nf-call-iptables', '1');
}

export async function startRealNode(opts: RealNodeOptions): Promise<RealNode> {
  if (!insideRealNodeNetns()) throw new ZdError('internal', 'startRealNode runs only inside the real-node namespace (see enter-netns.ts)');
  const log = opts.log ?? (() => undefined);
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const bins = realNodeBinaries(opts.binDir);
  const t0 = Date.now();
  const step = (what: string): void => log(`real node: ${what} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  const logDir = join(DATA_DIR, 'logs');
  const cpDir = join(DATA_DIR, 'control-plane');
  mkdirSync(logDir, { recursive: true });
  mkdirSync(cpDir, { recursive: true });
  const children: Child[] = [];
  const close = async (): Promise<void> => {
    // In parallel: one after another took 15 s. Pods are removed by the host-side cleanup.
    await Promise.all(children.map((c) => c.stop(5000)));
  };
  try {
    wireNamespace();
    const containerd = await startContainerd(logDir, timeoutMs);
    children.push(containerd.child);
    const appImages = opts.images.filter((i) => !isZdprobeImage(i));
    const tar = buildImageTar(join(DATA_DIR, 'images'), bins.pause, appImages);
    await containerd.ctr(['images', 'import', tar]);
    // zdprobe itself as a pod (an analysis Job): its own image, as users build it.
    for (const zdTar of await zdprobeImageTars(join(DATA_DIR, 'zdprobe-image'), opts.images)) await containerd.ctr(['images', 'import', zdTar]);
    step(`containerd up, images imported (${appImages.length} app image(s) + pause${appImages.length < opts.images.length ? ' + zdprobe' : ''})`);
    const cp = await startRealControlPlane(bins, cpDir, timeoutMs, (c) => children.push(c));
    step('control plane up');
    const kubeletDir = join(DATA_DIR, 'node');
    mkdirSync(join(kubeletDir, 'pod-logs'), { recursive: true });
    writeFileSync(join(kubeletDir, 'resolv.conf'), `nameserver ${DEAD_END_GW}\n`);
    writeFileSync(join(kubeletDir, 'kubelet.yaml'), kubeletConfig(kubeletDir));
    writeFileSync(join(kubeletDir, 'kube-proxy.yaml'), kubeProxyConfig(cp.kubeProxyKubeconfig));
    const start = (name: string, file: string, args: string[]): Child => {
      const c = startChild(name, file, args, join(logDir, `${name}.log`));
      children.push(c);
      return c;
    };
    const kubelet = start('kubelet', bins.kubelet, kubeletArgs(kubeletDir, cp.kubeletKubeconfig, join(kubeletDir, 'kubelet.yaml')));
    const proxy = start('kube-proxy', bins['kube-proxy'], [`--config=${join(kubeletDir, 'kube-proxy.yaml')}`]);
    const scheduler = start('kube-scheduler', bins['kube-scheduler'], schedulerArgs(kubeletDir, cp.schedulerKubeconfig));
    await waitHttpOk(`http://127.0.0.1:${KUBELET_HEALTHZ_PORT}/healthz`, { child: kubelet, timeoutMs });
    await waitHttpOk(`http://127.0.0.1:${KUBE_PROXY_HEALTHZ_PORT}/healthz`, { child: proxy, timeoutMs });
    await waitHttpOk('https://127.0.0.1:10259/healthz', { child: scheduler, timeoutMs });
    const core = coreApi(cp.kubeconfig);
    await pollFor(`node ${NODE_NAME} to be Ready`, timeoutMs, async () => (isReady(await core.readNode({ name: NODE_NAME })) ? true : undefined));
    step('node Ready');
    // kube-proxy programs Services a moment after it is healthy: wait until a Service IP really answers.
    const svc = await core.readNamespacedService({ name: 'kubernetes', namespace: 'default' });
    await pollFor('the kubernetes Service IP to answer through kube-proxy', timeoutMs, async () => ((await httpCall(`https://${svc.spec?.clusterIP}:443/readyz`, { timeoutMs: 1000 })).status > 0 ? true : undefined));
    step('Service IP answers through kube-proxy');
    return { kubeconfig: cp.kubeconfig, restrictedKubeconfig: cp.restrictedKubeconfig, apiUrl: cp.url, logDir, close };
  } catch (err) {
    await close();
    throw err;
  }
}

export function coreApi(kubeconfig: string): CoreV1Api {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  return kc.makeApiClient(CoreV1Api);
}

const isReady = (n: V1Node): boolean => (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
