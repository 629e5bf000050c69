// What a lab cluster ran on, read from its Node objects (the stand-in kubelet reports its own honest values).
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { ClusterNode } from '../types.js';

export async function readNodeInfos(kubeconfig: string): Promise<ClusterNode[]> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const nodes = await kc.makeApiClient(CoreV1Api).listNode();
  return nodes.items.map((n) => {
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
