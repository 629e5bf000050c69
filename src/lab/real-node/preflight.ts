// Can a real node run here? Every "no" is one line naming what is missing (the CLI exits 3).
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZdError } from '../../errors.js';
import { defaultBinDir } from '../kube/binaries.js';

/** Debian package -> the executables of it the real node runs. */
const PACKAGES: Record<string, string[]> = {
  containerd: ['/usr/bin/containerd', '/usr/bin/containerd-shim-runc-v2', '/usr/bin/ctr'],
  runc: ['/usr/sbin/runc'],
  'containernetworking-plugins': ['/usr/lib/cni/bridge', '/usr/lib/cni/host-local', '/usr/lib/cni/portmap', '/usr/lib/cni/loopback'],
  iptables: ['/usr/sbin/iptables', '/usr/sbin/iptables-restore'],
  conntrack: ['/usr/sbin/conntrack'],
  iproute2: ['/usr/sbin/ip', '/bin/ip'],
  'util-linux': ['/usr/bin/nsenter'],
  tar: ['/bin/tar', '/usr/bin/tar'],
};
/** Packages where any one of the listed paths will do. */
const ANY_OF = new Set(['iproute2', 'tar']);

export const REAL_NODE_BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kubelet', 'kube-proxy', 'kube-scheduler', 'pause'] as const;
export type RealNodeBinary = (typeof REAL_NODE_BINARIES)[number];
export type RealNodeBinaries = Record<RealNodeBinary, string>;

const executable = (p: string): boolean => {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

export function realNodeBinaries(binDir = defaultBinDir()): RealNodeBinaries {
  return Object.fromEntries(REAL_NODE_BINARIES.map((b) => [b, join(binDir, b)])) as RealNodeBinaries;
}

/** The reason the real node cannot run here, or undefined when it can. */
export function realNodeUnavailable(binDir = defaultBinDir()): string | undefined {
  if (process.platform !== 'linux') return '--node real needs Linux';
  if (process.getuid?.() !== 0) return '--node real needs root (it creates a network namespace, cgroups and containers); run it with sudo';
  for (const [pkg, paths] of Object.entries(PACKAGES)) {
    const ok = ANY_OF.has(pkg) ? paths.some(executable) : paths.every(executable);
    if (!ok) return `--node real needs the Debian package ${pkg} (missing ${paths.filter((p) => !executable(p)).join(', ')}): apt-get install ${pkg}`;
  }
  const missing = Object.entries(realNodeBinaries(binDir)).filter(([, p]) => !executable(p)).map(([b]) => b);
  if (missing.length > 0) return `--node real needs ${missing.join(', ')} in ${binDir}: run bash test/kube/build.sh`;
  if (!existsSync('/sys/fs/cgroup/memory') && !existsSync('/sys/fs/cgroup/cgroup.controllers')) return '--node real needs a cgroup filesystem at /sys/fs/cgroup (none mounted)';
  if (!hasCapSysAdmin()) return '--node real needs the CAP_SYS_ADMIN capability (namespaces and mounts)';
  return undefined;
}

export function assertRealNodeCanRun(binDir?: string): void {
  const why = realNodeUnavailable(binDir);
  if (why) throw new ZdError('unreachable', why);
}

function hasCapSysAdmin(): boolean {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('CapEff:'));
  if (!line) return false;
  const CAP_SYS_ADMIN = 21n;
  return ((BigInt(`0x${line.split(/\s+/)[1] ?? '0'}`) >> CAP_SYS_ADMIN) & 1n) === 1n;
}
