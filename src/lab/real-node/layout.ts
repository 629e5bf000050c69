// Fixed names and paths of the one real-node lab a machine may run at a time (the host lock guards them).
import { join } from 'node:path';

/** The network namespace every server, pod and the prober run in. */
export const NETNS = 'zdprobe-real';
export const NETNS_PATH = `/run/netns/${NETNS}`;
/** Lock, saved sysctls and the record of host paths that existed before: lost on reboot, as is what they guard. */
export const STATE_DIR = '/run/zdprobe-real-node';
/** Data of one run: containerd root/state/socket, kubelet root, pod logs, certs, component logs. */
export const DATA_DIR = '/var/lib/zdprobe-real-node';

export const NODE_NAME = 'zdprobe-real-node';
/** The node's address inside the namespace; its veth peer holds .2, and the default route leads to .254, where nothing is. */
export const NODE_IP = '10.87.0.1';
export const PEER_IP = '10.87.0.2';
export const DEAD_END_GW = '10.87.0.254';
export const POD_CIDR = '10.88.0.0/16';

export const containerdSocket = (): string => join(DATA_DIR, 'containerd', 'containerd.sock');

/**
 * Host paths the kubelet, containerd or CNI create outside DATA_DIR. Cleanup removes the ones
 * that did not exist before the first start (recorded in STATE_DIR).
 */
export const HOST_PATHS = [
  // `ip netns add` creates it and bind-mounts it on itself (shared), to hold the namespace mounts.
  '/run/netns',
  '/var/log/containers',
  '/var/log/pods',
  '/var/lib/cni',
  '/run/containerd',
  '/var/lib/kubelet',
  '/etc/kubernetes',
  '/opt/containerd',
  '/sys/fs/cgroup/cpu/kubepods',
  '/sys/fs/cgroup/cpuacct/kubepods',
  '/sys/fs/cgroup/cpuset/kubepods',
  '/sys/fs/cgroup/memory/kubepods',
  '/sys/fs/cgroup/devices/kubepods',
  '/sys/fs/cgroup/freezer/kubepods',
  '/sys/fs/cgroup/blkio/kubepods',
  '/sys/fs/cgroup/pids/kubepods',
  '/sys/fs/cgroup/hugetlb/kubepods',
  '/sys/fs/cgroup/net_cls/kubepods',
  '/sys/fs/cgroup/perf_event/kubepods',
  '/sys/fs/cgroup/systemd/kubepods',
  '/sys/fs/cgroup/unified/kubepods',
] as const;

/** Host-wide (not per-namespace) sysctls the kubelet sets at start (pkg/kubelet/cm setupKernelTunables). */
export const HOST_SYSCTLS = [
  'vm/overcommit_memory',
  'vm/panic_on_oom',
  'kernel/panic',
  'kernel/panic_on_oops',
  'kernel/keys/root_maxkeys',
  'kernel/keys/root_maxbytes',
] as const;
