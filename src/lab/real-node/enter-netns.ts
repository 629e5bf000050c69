// The host side of `--node real`: check the host, take the lock, clean up what a crashed run left,
// save the host state, create the namespace, then run this same zdprobe command again inside it
// (nsenter --net, not `ip netns exec`, which remounts /sys and hides the cgroup mounts from runc).
// Whatever happens inside, the namespace, processes, mounts and host changes are removed after.
import { execFileSync, spawn } from 'node:child_process';
import { ZdError } from '../../errors.js';
import { cleanupHost } from './cleanup.js';
import { takeHostLock } from './host-lock.js';
import { saveHostState } from './host-state.js';
import { NETNS, NETNS_PATH } from './layout.js';
import { assertRealNodeCanRun } from './preflight.js';
import { INSIDE_ENV } from './start-real-node.js';

export interface EnterOptions {
  /** The zdprobe arguments to run inside (process.argv.slice(2)). */
  args: string[];
  log(line: string): void;
  /** A further part the command needs (e.g. Traefik): the reason it is missing, checked before anything starts. */
  missing?(): string | undefined;
}

/** Runs `zdprobe <args>` inside a fresh real-node namespace; resolves with its exit code. */
export async function runInsideRealNode(opts: EnterOptions): Promise<number> {
  assertRealNodeCanRun();
  const missing = opts.missing?.();
  if (missing) throw new ZdError('unreachable', missing);
  const unlock = takeHostLock();
  // Ctrl-C reaches the inner zdprobe through the terminal's process group; we stay to clean up.
  let child: ReturnType<typeof spawn> | undefined;
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    signals++;
    if (sig === 'SIGTERM') child?.kill('SIGTERM');
    if (signals >= 3) child?.kill('SIGKILL');
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  try {
    const leftover = await cleanupHost();
    if (leftover.problems.length > 0) throw new ZdError('unreachable', `cannot clean up a previous real-node lab: ${leftover.problems.join('; ')}`);
    saveHostState();
    execFileSync('ip', ['netns', 'add', NETNS], { stdio: ['ignore', 'ignore', 'pipe'] });
    const argv = [`--net=${NETNS_PATH}`, '--', process.execPath, ...process.execArgv, process.argv[1]!, ...opts.args];
    child = spawn('nsenter', argv, { stdio: 'inherit', env: { ...process.env, [INSIDE_ENV]: NETNS } });
    const c = child;
    return await new Promise<number>((resolve, reject) => {
      c.once('error', reject);
      c.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + (signalNumber[signal] ?? 1) : 3)));
    });
  } finally {
    opts.log('real node: removing the namespace, processes, mounts and host changes');
    const after = await cleanupHost();
    for (const p of after.problems) opts.log(`real node cleanup: ${p}`);
    unlock();
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

const signalNumber: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
