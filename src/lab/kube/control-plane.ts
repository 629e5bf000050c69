// A real Kubernetes control plane on loopback: etcd, kube-apiserver and kube-controller-manager
// built by test/kube/build.sh, with token users, RBAC and the lab's CRDs installed.
import { mkdirSync, rmSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findKubeBinaries, type KubeBinaries } from './binaries.js';
import { startChild, type Child } from './child-process.js';
import { writeCredentials, type Credentials } from './credentials.js';
import { compactEtcd } from './etcd-compact.js';
import {
  apiServerArgs,
  apiServerUrl,
  controllerManagerArgs,
  etcdArgs,
  etcdUrl,
  servingCert,
  type Layout,
} from './flags.js';
import { installLabResources } from './install.js';
import { writeKubeconfig } from './kubeconfig.js';
import { freePort } from './ports.js';
import { waitHttpOk } from './wait-ready.js';
import { kubeConfigOf } from '../../kube/kubeconfig.js';

export interface KubeControlPlaneOptions {
  /** Working dir for etcd data, keys, certs, kubeconfigs and logs (*.log). */
  dir: string;
  /** Where etcd, kube-apiserver and kube-controller-manager are; default: build.sh's cache dir. */
  binDir?: string;
  host?: string;
  /** Bound on each start-up wait (etcd, apiserver /readyz, controller-manager, CRDs). */
  startTimeoutMs?: number;
  /** Default true, as in real clusters; false serves watches from etcd (see compact()). */
  watchCache?: boolean;
}

export interface KubeControlPlane {
  /** https://127.0.0.1:<port> */
  url: string;
  etcdUrl: string;
  /** Kubeconfig path for an admin token user (group system:masters). */
  kubeconfig: string;
  /** Kubeconfig path for user zdprobe-restricted: see RESTRICTED_RULES in rbac.ts for what it may not do. */
  restrictedKubeconfig: string;
  /** Stops the apiserver (SIGTERM) and starts it again on the same port; etcd keeps all data. */
  restartApiServer(): Promise<void>;
  /** Process ids of etcd, kube-apiserver and kube-controller-manager as now running. */
  pids(): number[];
  /**
   * Compacts etcd to its current revision. With the watch cache on (default) it then restarts the
   * apiserver, because the cache keeps serving old resourceVersions whatever etcd compacted.
   */
  compact(): Promise<void>;
  close(): Promise<void>;
}

async function planLayout(opts: KubeControlPlaneOptions, dir: string, creds: Credentials): Promise<Layout> {
  const host = opts.host ?? '127.0.0.1';
  return {
    watchCache: opts.watchCache ?? true,
    dir,
    host,
    etcdClientPort: await freePort(host),
    etcdPeerPort: await freePort(host),
    apiServerPort: await freePort(host),
    controllerManagerPort: await freePort(host),
    serviceAccountKey: creds.serviceAccountKey,
    serviceAccountPub: creds.serviceAccountPub,
    tokenFile: creds.tokenFile,
    controllerManagerKubeconfig: join(dir, 'controller-manager.kubeconfig'),
  };
}

async function startApiServer(bins: KubeBinaries, l: Layout, token: string, timeoutMs: number): Promise<Child> {
  const child = startChild('kube-apiserver', bins.apiServer, apiServerArgs(l), join(l.dir, 'kube-apiserver.log'));
  try {
    await waitHttpOk(`${apiServerUrl(l)}/readyz`, { child, token, timeoutMs });
  } catch (err) {
    await child.stop(2000);
    throw err;
  }
  return child;
}

function writeKubeconfigs(l: Layout, creds: Credentials): { admin: string; restricted: string } {
  // The self-signed serving cert file holds the leaf followed by the CA that signed it.
  const caPem = readFileSync(servingCert(l), 'utf8');
  const server = apiServerUrl(l);
  const spec = (user: { name: string; token: string }) => ({ server, caPem, user: user.name, token: user.token });
  writeKubeconfig(l.controllerManagerKubeconfig, spec(creds.controllerManager));
  return {
    admin: writeKubeconfig(join(l.dir, 'admin.kubeconfig'), spec(creds.admin)),
    restricted: writeKubeconfig(join(l.dir, 'restricted.kubeconfig'), spec(creds.restricted)),
  };
}

async function stopAll(children: Child[]): Promise<void> {
  // Controllers first, store last: nothing writes into a store that is already gone.
  for (const child of [...children].reverse()) await child.stop();
}

/** Free ports are picked, released, then bound by the child: another process may take one in between. */
const PORT_TAKEN = /address already in use/;

export async function startKubeControlPlane(opts: KubeControlPlaneOptions): Promise<KubeControlPlane> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      if (attempt >= 3 || !PORT_TAKEN.test(String((err as Error).message))) throw err;
    }
  }
}

async function startOnce(opts: KubeControlPlaneOptions): Promise<KubeControlPlane> {
  const bins = findKubeBinaries(opts.binDir);
  const dir = resolve(opts.dir);
  const timeoutMs = opts.startTimeoutMs ?? 120_000;
  mkdirSync(dir, { recursive: true });
  rmSync(join(dir, 'etcd'), { recursive: true, force: true }); // a fresh store on every attempt
  const creds = writeCredentials(dir);
  const l = await planLayout(opts, dir, creds);
  const children: Child[] = [];
  try {
    const etcd = startChild('etcd', bins.etcd, etcdArgs(l), join(dir, 'etcd.log'));
    children.push(etcd);
    await waitHttpOk(`${etcdUrl(l)}/health`, { child: etcd, timeoutMs });
    children.push(await startApiServer(bins, l, creds.admin.token, timeoutMs));
    const paths = writeKubeconfigs(l, creds);
    const kcmLog = join(dir, 'kube-controller-manager.log');
    const kcm = startChild('kube-controller-manager', bins.controllerManager, controllerManagerArgs(l), kcmLog);
    children.push(kcm);
    await waitHttpOk(`https://${l.host}:${l.controllerManagerPort}/healthz`, { child: kcm, timeoutMs });
    await installLabResources(kubeConfigOf(paths.admin), timeoutMs);
    return handle(bins, l, creds, children, paths, timeoutMs);
  } catch (err) {
    await stopAll(children);
    throw err;
  }
}

function handle(
  bins: KubeBinaries,
  l: Layout,
  creds: Credentials,
  children: Child[],
  paths: { admin: string; restricted: string },
  timeoutMs: number,
): KubeControlPlane {
  // children is [etcd, apiserver, controller-manager]; a restart swaps the apiserver entry.
  const restartApiServer = async (): Promise<void> => {
    const old = children[1];
    if (old) await old.stop();
    children[1] = await startApiServer(bins, l, creds.admin.token, timeoutMs);
  };
  let closing: Promise<void> | undefined;
  return {
    url: apiServerUrl(l),
    etcdUrl: etcdUrl(l),
    kubeconfig: paths.admin,
    restrictedKubeconfig: paths.restricted,
    restartApiServer,
    pids: () => children.map((c) => c.pid),
    compact: async () => {
      await compactEtcd(etcdUrl(l));
      if (l.watchCache) await restartApiServer();
    },
    close: () => (closing ??= stopAll(children)),
  };
}
