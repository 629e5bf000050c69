// Configuration files and command lines of the node's own components: kubelet, kube-proxy, kube-scheduler.
// REAL-NODE.md (shared notes) and docs/real-node.md say why each setting is there.
import { join } from 'node:path';
import { stringify } from 'yaml';
import { containerdSocket, NODE_IP, NODE_NAME, POD_CIDR } from './layout.js';

export const KUBELET_HEALTHZ_PORT = 10248;
export const KUBE_PROXY_HEALTHZ_PORT = 10256;
export const SCHEDULER_PORT = 10259;

export function kubeletConfig(dir: string): string {
  return stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    address: NODE_IP,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: KUBELET_HEALTHZ_PORT,
    cgroupDriver: 'cgroupfs',
    failSwapOn: false,
    containerRuntimeEndpoint: `unix://${containerdSocket()}`,
    podLogsDir: join(dir, 'pod-logs'),
    resolvConf: join(dir, 'resolv.conf'),
    // The sandbox lacks CAP_SYS_RESOURCE: the kubelet must not try to lower its own oom_score_adj.
    oomScoreAdj: 0,
    // Never evict the lab's pods for a busy disk or memory on a shared 2-core machine.
    evictionHard: { 'memory.available': '1Mi', 'nodefs.available': '1%', 'nodefs.inodesFree': '1%', 'imagefs.available': '1%' },
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    authentication: { anonymous: { enabled: true }, webhook: { enabled: false } },
    authorization: { mode: 'AlwaysAllow' },
    serializeImagePulls: false,
  });
}

export function kubeletArgs(dir: string, kubeconfig: string, configFile: string): string[] {
  return [
    `--config=${configFile}`,
    `--kubeconfig=${kubeconfig}`,
    `--root-dir=${join(dir, 'kubelet')}`,
    `--cert-dir=${join(dir, 'kubelet', 'pki')}`,
    `--hostname-override=${NODE_NAME}`,
    `--node-ip=${NODE_IP}`,
    '--v=1',
  ];
}

export function kubeProxyConfig(kubeconfig: string): string {
  return stringify({
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    mode: 'iptables',
    clusterCIDR: POD_CIDR,
    hostnameOverride: NODE_NAME,
    bindAddress: NODE_IP,
    healthzBindAddress: `127.0.0.1:${KUBE_PROXY_HEALTHZ_PORT}`,
    metricsBindAddress: '127.0.0.1:10249',
    clientConnection: { kubeconfig },
    // Zeros leave the host-wide nf_conntrack sysctls alone.
    conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s' },
    // No route_localnet change and no 127.0.0.1 NodePorts.
    iptables: { localhostNodePorts: false },
  });
}

export function schedulerArgs(dir: string, kubeconfig: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${SCHEDULER_PORT}`,
    `--cert-dir=${join(dir, 'scheduler-certs')}`,
    '--leader-elect=false',
  ];
}
