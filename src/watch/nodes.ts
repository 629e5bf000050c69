// What the cluster runs on, read once from its Node objects: kubelet and container runtime versions.
import type { ClusterNode } from '../types.js';
import type { ApiClient } from '../kube/api.js';
import { listObjects } from '../kube/list.js';
import type { KubeObject } from '../kube/object.js';

type Node = KubeObject<unknown, { nodeInfo?: { kubeletVersion?: string; containerRuntimeVersion?: string; kubeProxyVersion?: string; osImage?: string } }>;

/** The nodes, or undefined when they cannot be listed (Nodes are cluster-scoped: deploy/rbac.yaml's ClusterRole). */
export async function readNodes(api: ApiClient, signal?: AbortSignal): Promise<ClusterNode[] | undefined> {
  const listed = await listObjects(api, { path: '/api/v1/nodes', apiVersion: 'v1', kind: 'Node' }, signal);
  if (!listed.ok) return undefined;
  return (listed.items as Node[]).map((n) => {
    const info = n.status?.nodeInfo;
    return {
      name: n.metadata?.name ?? '',
      kubeletVersion: info?.kubeletVersion ?? '',
      containerRuntimeVersion: info?.containerRuntimeVersion ?? '',
      ...(info?.kubeProxyVersion ? { kubeProxyVersion: info.kubeProxyVersion } : {}),
      ...(info?.osImage ? { osImage: info.osImage } : {}),
    };
  });
}
