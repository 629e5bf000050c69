// Command lines for etcd, kube-apiserver and kube-controller-manager; docs/control-plane.md says why.
import { join } from 'node:path';

export interface Layout {
  dir: string;
  host: string;
  etcdClientPort: number;
  etcdPeerPort: number;
  apiServerPort: number;
  controllerManagerPort: number;
  serviceAccountKey: string;
  serviceAccountPub: string;
  tokenFile: string;
  controllerManagerKubeconfig: string;
  /** false: every watch and list goes to etcd, so an etcd compaction alone expires old resourceVersions. */
  watchCache: boolean;
}

export const SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/16';

export const certDir = (l: Layout): string => join(l.dir, 'apiserver-certs');
/** The apiserver writes its self-signed CA and serving cert here on first start and reuses them. */
export const servingCert = (l: Layout): string => join(certDir(l), 'apiserver.crt');
export const etcdUrl = (l: Layout): string => `http://${l.host}:${l.etcdClientPort}`;
export const apiServerUrl = (l: Layout): string => `https://${l.host}:${l.apiServerPort}`;

export function etcdArgs(l: Layout): string[] {
  const peer = `http://${l.host}:${l.etcdPeerPort}`;
  return [
    '--name=zdprobe',
    `--data-dir=${join(l.dir, 'etcd')}`,
    `--listen-client-urls=${etcdUrl(l)}`,
    `--advertise-client-urls=${etcdUrl(l)}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=zdprobe=${peer}`,
    // A throwaway lab store: skipping fsync keeps a busy 2-core machine responsive.
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
}

export function apiServerArgs(l: Layout): string[] {
  return [
    `--bind-address=${l.host}`,
    `--advertise-address=${l.host}`,
    `--secure-port=${l.apiServerPort}`,
    `--cert-dir=${certDir(l)}`,
    `--etcd-servers=${etcdUrl(l)}`,
    // 0 disables the apiserver's periodic compaction: compaction happens only when a test asks.
    '--etcd-compaction-interval=0',
    `--token-auth-file=${l.tokenFile}`,
    '--authorization-mode=Node,RBAC',
    `--service-account-issuer=https://kubernetes.default.svc.cluster.local`,
    `--service-account-key-file=${l.serviceAccountPub}`,
    `--service-account-signing-key-file=${l.serviceAccountKey}`,
    `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
    // Graceful but quick SIGTERM: drain, answer 429 Retry-After meanwhile, then give open watches 2 s
    // (the default waits up to --request-timeout, 60 s, for every open watch connection).
    '--shutdown-send-retry-after=true',
    '--profiling=false',
    ...(l.watchCache ? [] : ['--watch-cache=false']),
  ];
}

export function controllerManagerArgs(l: Layout): string[] {
  return [
    `--kubeconfig=${l.controllerManagerKubeconfig}`,
    `--authentication-kubeconfig=${l.controllerManagerKubeconfig}`,
    `--authorization-kubeconfig=${l.controllerManagerKubeconfig}`,
    `--bind-address=${l.host}`,
    `--secure-port=${l.controllerManagerPort}`,
    `--cert-dir=${join(l.dir, 'controller-manager-certs')}`,
    // No kubelet heartbeats from a real node: the lifecycle controller would taint and evict.
    '--controllers=*,-node-lifecycle-controller',
    '--leader-elect=false',
    '--use-service-account-credentials=false',
    `--service-account-private-key-file=${l.serviceAccountKey}`,
    `--root-ca-file=${servingCert(l)}`,
    `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
    '--kube-api-qps=100',
    '--kube-api-burst=200',
    '--profiling=false',
  ];
}
