// The lab kubelet: registers a Node with a Lease, schedules unbound pods onto itself through
// pods/binding, and runs every pod bound to it as a real lab app process. Only the Kubernetes API.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CoordinationV1Api, CoreV1Api, makeInformer } from '@kubernetes/client-node';
import type { V1Pod } from '@kubernetes/client-node';
import { createAddressPool } from './address-pool.js';
import { aliasNetwork, type PodNetwork } from './pod-network.js';
import { createRecorder, messageOf } from './events.js';
import { registerNode, startLease } from './node.js';
import { startPodWorker } from './pod-worker.js';
import type { PodWorker } from './pod-worker.js';
import { appendLine } from './worker-state.js';
import type { WorkerDeps } from './worker-state.js';
import { kubeConfigOf } from '../../kube/kubeconfig.js';

export interface KubeletOptions {
  kubeconfig: string;
  nodeName: string;
  /** Working directory; pod logs go to `${dir}/pods/<name>.log`, the kubelet's own to `${dir}/kubelet-<node>.log`. */
  dir: string;
  /** e.g. '127.42.7.': the node is `${ipPrefix}1`, pods get 2, 3, ... */
  ipPrefix: string;
  /**
   * The prefix pod IPs are reported under, when it differs from the bound loopback prefix: the real
   * kube-apiserver rejects loopback addresses in EndpointSlices, so on it pods are reported as
   * e.g. 10.42.7.n while they listen on 127.42.7.n (the lab ingress maps them back), like an overlay
   * network's pod IPs. Default: ipPrefix itself.
   */
  advertisePrefix?: string;
  /** Where pods really listen (default: each on its own loopback alias). */
  network?: PodNetwork;
}

export interface Kubelet {
  nodeName: string;
  hostIP: string;
  close(): Promise<void>;
}

const RETRY_WATCH_MS = 1000;

export async function startKubelet(options: KubeletOptions): Promise<Kubelet> {
  const kc = kubeConfigOf(options.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const hostIP = `${options.ipPrefix}1`;
  mkdirSync(join(options.dir, 'pods'), { recursive: true });
  const logPath = join(options.dir, `kubelet-${options.nodeName}.log`);
  const log = (line: string): void => appendLine(logPath, `${new Date().toISOString()} ${line}\n`);
  const nodeUid = await registerNode(core, options.nodeName, hostIP);
  const lease = startLease(kc.makeApiClient(CoordinationV1Api), options.nodeName, nodeUid, log);
  const recorder = createRecorder(core, options.nodeName, log);
  const deps: WorkerDeps = {
    core, recorder, pool: createAddressPool(options.ipPrefix), nodeName: options.nodeName, hostIP,
    advertise: (address: string) => (options.advertisePrefix ? options.advertisePrefix + address.slice(options.ipPrefix.length) : address),
    network: options.network ?? aliasNetwork(),
    podDir: join(options.dir, 'pods'), log,
  };
  const sync = createPodSync(deps);
  const informer = makeInformer<V1Pod>(kc, '/api/v1/pods', () => core.listPodForAllNamespaces());
  let closed = false;
  informer.on('add', sync.onPod);
  informer.on('update', sync.onPod);
  informer.on('delete', sync.onGone);
  informer.on('error', (err: unknown) => {
    if (closed) return;
    log(`pod watch failed, restarting in ${RETRY_WATCH_MS}ms: ${messageOf(err)}`);
    setTimeout(() => void (closed ? undefined : informer.start()), RETRY_WATCH_MS);
  });
  await informer.start();
  log(`kubelet ${options.nodeName} started at ${hostIP}`);
  return {
    nodeName: options.nodeName,
    hostIP,
    async close() {
      closed = true;
      lease.stop();
      await informer.stop();
      await sync.killAll();
      await deps.network.close();
      await recorder.flush();
    },
  };
}

interface PodSync {
  onPod(pod: V1Pod): void;
  onGone(pod: V1Pod): void;
  killAll(): Promise<void>;
}

function createPodSync(deps: WorkerDeps): PodSync {
  const workers = new Map<string, PodWorker>();
  const binding = new Set<string>();
  return {
    onPod(pod) {
      const uid = pod.metadata?.uid ?? '';
      const nodeName = pod.spec?.nodeName;
      if (!nodeName) return void schedule(deps, pod, binding);
      if (nodeName !== deps.nodeName) return;
      const existing = workers.get(uid);
      if (existing) return existing.update(pod);
      // Deleted before it ever ran here: nothing to stop, only to finalise.
      if (pod.metadata?.deletionTimestamp) return void finalizeUnstarted(deps, pod);
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
      const worker = startPodWorker(deps, pod);
      workers.set(uid, worker);
      void worker.done.then(() => workers.delete(uid));
      worker.update(pod);
    },
    onGone(pod) {
      const uid = pod.metadata?.uid ?? '';
      binding.delete(uid);
      const worker = workers.get(uid);
      if (!worker) return;
      workers.delete(uid);
      void worker.vanish();
    },
    async killAll() {
      const all = [...workers.values()];
      workers.clear();
      await Promise.all(all.map((w) => w.kill()));
    },
  };
}

/** The scheduler part: bind to this node (the lab has no other scheduler), then say so in an Event. */
async function schedule(deps: WorkerDeps, pod: V1Pod, binding: Set<string>): Promise<void> {
  const { name = '', namespace = 'default', uid = '' } = pod.metadata ?? {};
  const schedulerName = pod.spec?.schedulerName;
  if (pod.metadata?.deletionTimestamp || binding.has(uid)) return;
  if (schedulerName && schedulerName !== 'default-scheduler') return;
  binding.add(uid);
  const body = { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace, uid }, target: { apiVersion: 'v1', kind: 'Node', name: deps.nodeName } };
  try {
    await deps.core.createNamespacedPodBinding({ name, namespace, body });
  } catch (err) {
    // 409: another scheduler (or kubelet) bound it first.
    if ((err as { code?: unknown }).code !== 409) deps.log(`binding ${namespace}/${name} failed: ${messageOf(err)}`);
    binding.delete(uid);
    return;
  }
  await deps.recorder.record(
    { kind: 'Pod', namespace, name, uid },
    { type: 'Normal', reason: 'Scheduled', message: `Successfully assigned ${namespace}/${name} to ${deps.nodeName}`, component: 'default-scheduler' },
  );
}

async function finalizeUnstarted(deps: WorkerDeps, pod: V1Pod): Promise<void> {
  const { name = '', namespace = 'default', uid = '' } = pod.metadata ?? {};
  try {
    await deps.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0, body: { gracePeriodSeconds: 0, preconditions: { uid } } });
  } catch (err) {
    if ((err as { code?: unknown }).code !== 404) deps.log(`finalising ${namespace}/${name} failed: ${messageOf(err)}`);
  }
}
