// Faults a scenario can give the lab app, one env variable each, to reproduce causes that are the app's own.
import { ZdError } from '../../errors.js';

export interface Faults {
  /** Versions that answer 500 to every request but /healthz and /livez (FAIL_VERSIONS=2,3): a bad release. */
  failVersions: string[];
  /** /livez answers 500 from this long after start (LIVEZ_FAIL_AFTER_MS): a liveness probe kills the container. */
  livezFailAfterMs?: number;
  /** From this long after start, grow memory until the kernel's OOM killer ends the process (OOM_AFTER_MS). */
  oomAfterMs?: number;
  /** Close idle keep-alive connections after this long (KEEPALIVE_TIMEOUT_MS; Node's default 5 s): shorter than a proxy's pool. */
  keepAliveTimeoutMs?: number;
  /**
   * Every Nth request that arrives on a reused connection finds it closed (DROP_REUSED_EVERY): the outcome of
   * a keep-alive close crossing a proxy's request, made deterministic (the real race is sub-millisecond).
   */
  dropReusedEvery?: number;
}

function optionalMs(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ZdError('usage', `${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

export function parseFaults(env: NodeJS.ProcessEnv): Faults {
  const livez = optionalMs('LIVEZ_FAIL_AFTER_MS', env['LIVEZ_FAIL_AFTER_MS']);
  const oom = optionalMs('OOM_AFTER_MS', env['OOM_AFTER_MS']);
  const keepAlive = optionalMs('KEEPALIVE_TIMEOUT_MS', env['KEEPALIVE_TIMEOUT_MS']);
  const drop = optionalMs('DROP_REUSED_EVERY', env['DROP_REUSED_EVERY']);
  return {
    failVersions: (env['FAIL_VERSIONS'] ?? '').split(',').map((v) => v.trim()).filter(Boolean),
    ...(livez !== undefined ? { livezFailAfterMs: livez } : {}),
    ...(oom !== undefined ? { oomAfterMs: oom } : {}),
    ...(keepAlive !== undefined ? { keepAliveTimeoutMs: keepAlive } : {}),
    ...(drop ? { dropReusedEvery: drop } : {}),
  };
}

/** A counter of requests per connection that says when a reused connection's request is to be dropped. */
export function reusedDropper(every: number | undefined): (socket: object) => boolean {
  const seen = new WeakMap<object, number>();
  let reused = 0;
  return (socket) => {
    const n = (seen.get(socket) ?? 0) + 1;
    seen.set(socket, n);
    return every !== undefined && n > 1 && ++reused % every === 0;
  };
}

/** Touch 16 MB a tick until the memory limit is hit; the kernel kills the process (exit 137, reason OOMKilled). */
export function growMemory(log: (line: string) => void): void {
  const held: Buffer[] = [];
  log('growing memory until the OOM killer stops this process');
  setInterval(() => {
    held.push(Buffer.alloc(16 * 1024 * 1024, 1));
    log(`holding ${held.length * 16} MB`);
  }, 50);
}
