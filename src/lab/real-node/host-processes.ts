// Finding the real node's processes on the host precisely: by our data dir in their command line,
// by our network namespace, or by our pod cgroups — never by a broad process name.
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface HostProcess {
  pid: number;
  argv: string[];
}

const pids = (): number[] => readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);

function argvOf(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

/** This process and its ancestors: never ours to kill. */
function selfAndAncestors(): Set<number> {
  const out = new Set<number>();
  let pid = process.pid;
  while (pid > 1 && !out.has(pid)) {
    out.add(pid);
    const stat = (() => {
      try {
        return readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        return '';
      }
    })();
    pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? 0);
  }
  return out;
}

/** Processes whose command line mentions `dir` (containerd, its shims by socket path, kubelet, etcd ...). */
export function processesMentioning(dir: string): HostProcess[] {
  const skip = selfAndAncestors();
  return pids().flatMap((pid) => {
    const argv = argvOf(pid);
    return !skip.has(pid) && argv && argv.some((a) => a.includes(dir)) ? [{ pid, argv }] : [];
  });
}

/** Processes living in the network namespace bound at `nsPath`. */
export function processesInNetns(nsPath: string): HostProcess[] {
  let ino: number;
  try {
    ino = statSync(nsPath).ino;
  } catch {
    return [];
  }
  const skip = selfAndAncestors();
  return pids().flatMap((pid) => {
    try {
      if (skip.has(pid) || readlinkSync(`/proc/${pid}/ns/net`) !== `net:[${ino}]`) return [];
      return [{ pid, argv: argvOf(pid) ?? [] }];
    } catch {
      return [];
    }
  });
}

/** Unix socket paths a process holds open (a shim's socket under /run/containerd/s). */
export function unixSocketsOf(pid: number): string[] {
  try {
    const inodes = new Set(readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        return m ? [m[1]!] : [];
      } catch {
        return [];
      }
    }));
    return readFileSync(`/proc/${pid}/net/unix`, 'utf8').split('\n').slice(1).flatMap((line) => {
      const cols = line.trim().split(/\s+/);
      const path = cols[7];
      return cols[6] && inodes.has(cols[6]) && path?.startsWith('/') ? [path] : [];
    });
  } catch {
    return [];
  }
}

/** Every pid in a cgroup directory tree (cgroup v1 or v2). */
export function pidsInCgroupTree(dir: string): number[] {
  const out: number[] = [];
  const walk = (d: string): void => {
    try {
      for (const line of readFileSync(join(d, 'cgroup.procs'), 'utf8').split('\n')) if (line.trim()) out.push(Number(line));
      for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(join(d, e.name));
    } catch {
      /* gone meanwhile */
    }
  };
  walk(dir);
  return out;
}

export function kill(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}
