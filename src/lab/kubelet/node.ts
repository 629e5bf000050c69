// The Node object this kubelet registers, and the Lease in kube-node-lease it renews as a heartbeat.
import { arch } from 'node:os';
import type { CoordinationV1Api, CoreV1Api, V1Lease, V1Node } from '@kubernetes/client-node';
import { MERGE, messageOf } from './events.js';
import { k8sTime } from './pod-status.js';

export const LEASE_NAMESPACE = 'kube-node-lease';
export const LEASE_RENEW_MS = 10_000;
const LEASE_DURATION_S = 40;
export const KUBELET_VERSION = 'v1.33.0-zdprobe-lab';

/** metav1.MicroTime: RFC 3339 with exactly six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function nodeStatus(nodeName: string, hostIP: string, now: number): Record<string, unknown> {
  const at = k8sTime(now);
  const condition = (type: string, status: string, reason: string, message: string): Record<string, string> => ({
    type, status, reason, message, lastHeartbeatTime: at, lastTransitionTime: at,
  });
  const resources = { cpu: '8', memory: '16Gi', pods: '250', 'ephemeral-storage': '100Gi' };
  return {
    conditions: [
      condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
    ],
    addresses: [
      { type: 'InternalIP', address: hostIP },
      { type: 'Hostname', address: nodeName },
    ],
    capacity: resources,
    allocatable: resources,
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: '', systemUUID: '', bootID: '', kernelVersion: '', osImage: 'zdprobe lab', containerRuntimeVersion: 'lab://1',
      kubeletVersion: KUBELET_VERSION, kubeProxyVersion: '', operatingSystem: 'linux', architecture: goArch(),
    },
  };
}

function goArch(): string {
  const a = arch();
  return a === 'x64' ? 'amd64' : a === 'ia32' ? '386' : a;
}

/** Creates the Node (or keeps an existing one) and reports it Ready; returns its uid. */
export async function registerNode(core: CoreV1Api, nodeName: string, hostIP: string): Promise<string> {
  const body: V1Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: nodeName,
      labels: { 'kubernetes.io/hostname': nodeName, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': goArch() },
    },
    spec: {},
  };
  const node = await core.createNode({ body }).catch(async (err: unknown) => {
    if ((err as { code?: unknown }).code !== 409) throw err;
    return core.readNode({ name: nodeName });
  });
  await core.patchNodeStatus({ name: nodeName, body: { status: nodeStatus(nodeName, hostIP, Date.now()) } }, MERGE);
  return node.metadata?.uid ?? '';
}

/** Renews the node Lease now and every 10 s; errors go to `log` and the next renewal tries again. */
export function startLease(
  coordination: CoordinationV1Api,
  nodeName: string,
  nodeUid: string,
  log: (line: string) => void,
): { stop(): void } {
  const renew = async (): Promise<void> => {
    const spec = { holderIdentity: nodeName, leaseDurationSeconds: LEASE_DURATION_S, renewTime: microTime(Date.now()) };
    try {
      await coordination.patchNamespacedLease({ name: nodeName, namespace: LEASE_NAMESPACE, body: { spec } }, MERGE);
    } catch (err) {
      if ((err as { code?: unknown }).code !== 404) return log(`lease renewal failed: ${messageOf(err)}`);
      await coordination.createNamespacedLease({ namespace: LEASE_NAMESPACE, body: leaseOf(nodeName, nodeUid, spec) })
        .catch((e: unknown) => log(`lease creation failed: ${messageOf(e)}`));
    }
  };
  void renew();
  const timer = setInterval(() => void renew(), LEASE_RENEW_MS);
  return { stop: () => clearInterval(timer) };
}

function leaseOf(nodeName: string, nodeUid: string, spec: Record<string, unknown>): V1Lease {
  const owner = { apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUid };
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: nodeName, namespace: LEASE_NAMESPACE, ...(nodeUid ? { ownerReferences: [owner] } : {}) },
    spec: spec as V1Lease['spec'],
  };
}
