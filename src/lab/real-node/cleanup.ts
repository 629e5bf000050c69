// Idempotent removal of everything a real-node lab leaves on the host. It runs before each start
// (a crashed run's leftovers) and after each run, and reports what it could not undo.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, rmdirSync, rmSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DATA_DIR, HOST_PATHS, NETNS, NETNS_PATH, STATE_DIR } from './layout.js';
import { forgetHostState, readSavedHostState, restoreSysctls } from './host-state.js';
import { kill, pidsInCgroupTree, processesInNetns, processesMentioning, unixSocketsOf } from './host-processes.js';

const quiet = (file: string, args: string[]): void => {
  try {
    execFileSync(file, args, { stdio: 'ignore' });
  } catch {
    /* idempotent: absent is fine */
  }
};

const isCgroup = (p: string): boolean => p.startsWith('/sys/fs/cgroup/');

/** Kills until nothing is left (a killed shim's containers are found by their cgroup next round). */
async function killAll(find: () => number[]): Promise<void> {
  for (let round = 0; round < 50; round++) {
    const left = find();
    if (left.length === 0) return;
    left.forEach((pid) => kill(pid));
    await sleep(100);
  }
}

/** Removes a cgroup tree deepest first (cgroup dirs are removed with rmdir, never rm -r). */
function removeCgroupTree(dir: string): void {
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) removeCgroupTree(join(dir, e.name));
    rmdirSync(dir);
  } catch {
    /* gone, or still busy: reported by the caller's check */
  }
}

function mountsUnder(prefix: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m === prefix || m.startsWith(`${prefix}/`))
    .sort((a, b) => b.length - a.length);
}

/** Symlinks the kubelet left in a shared directory (/var/log/containers) that point into our data dir. */
function removeLinksInto(dir: string, target: string): void {
  try {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (lstatSync(p).isSymbolicLink() && readlinkSync(p).startsWith(target)) rmSync(p, { force: true });
    }
  } catch {
    /* absent */
  }
}

/** /run/netns goes (with the bind mounts ip stacked on it) only when no namespace of anyone else is in it. */
function removeNetnsDir(): void {
  try {
    if (readdirSync('/run/netns').length > 0) return;
  } catch {
    return;
  }
  for (const m of mountsUnder('/run/netns')) quiet('umount', [m]);
  try {
    rmdirSync('/run/netns');
  } catch {
    /* still in use */
  }
}

export interface CleanupReport {
  /** Things that could not be undone, one line each. */
  problems: string[];
}

export async function cleanupHost(): Promise<CleanupReport> {
  const problems: string[] = [];
  const saved = readSavedHostState();
  // 1. Our processes: by the data dir in their command line (containerd, shims by their -address
  //    socket, kubelet, etcd, ...) and by our network namespace (anything else started in it).
  const shimSockets = processesMentioning(DATA_DIR).flatMap((p) => unixSocketsOf(p.pid)).filter((s) => s.startsWith('/run/containerd/s/'));
  await killAll(() => [...processesMentioning(DATA_DIR), ...processesInNetns(NETNS_PATH)].map((p) => p.pid));
  // 2. Pod containers, reparented when their shim died: by the pod cgroups, when those are ours.
  const ownCgroups = saved ? HOST_PATHS.filter((p) => isCgroup(p) && !saved.existed.includes(p)) : [];
  await killAll(() => ownCgroups.flatMap((d) => pidsInCgroupTree(d)));
  shimSockets.forEach((s) => rmSync(s, { force: true }));
  // 3. Mounts: container rootfs, pod netns bind mounts, kubelet volume tmpfs — all under the data dir.
  for (const m of mountsUnder(DATA_DIR)) quiet('umount', ['-l', m]);
  quiet('ip', ['netns', 'delete', NETNS]);
  if (existsSync(NETNS_PATH)) {
    quiet('umount', ['-l', NETNS_PATH]);
    rmSync(NETNS_PATH, { force: true });
  }
  try {
    rmSync(DATA_DIR, { recursive: true, force: true });
  } catch (err) {
    problems.push(`cannot remove ${DATA_DIR}: ${(err as Error).message}`);
  }
  removeLinksInto('/var/log/containers', DATA_DIR);
  if (saved) {
    // 4. Host paths that the kubelet, containerd or CNI created and that did not exist before.
    for (const p of HOST_PATHS.filter((h) => !saved.existed.includes(h))) {
      if (p === '/run/netns') {
        removeNetnsDir();
        continue;
      }
      if (isCgroup(p)) removeCgroupTree(p);
      else rmSync(p, { recursive: true, force: true });
      if (existsSync(p)) problems.push(`cannot remove ${p}`);
    }
    // 5. Host-wide sysctls back to their values from before the kubelet ran.
    const failed = restoreSysctls(saved);
    problems.push(...failed.map((f) => `cannot restore sysctl ${f}`));
    if (failed.length === 0) forgetHostState();
  }
  try {
    rmdirSync(STATE_DIR); // only when empty: a held lock keeps it
  } catch {
    /* absent, or the lock is held */
  }
  return { problems };
}
