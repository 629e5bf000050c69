// Real processes for containers and exec hooks, their output appended to the pod's log file.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_MAIN = fileURLToPath(new URL('../app/main.js', import.meta.url));

export interface ExitInfo {
  exitCode: number;
  signal: NodeJS.Signals | null;
  finishedAt: number;
}

export interface ContainerProcess {
  pid: number;
  startedAt: number;
  exited: Promise<ExitInfo>;
  running(): boolean;
  signal(signal: NodeJS.Signals): void;
}

export interface SpawnSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  logPath: string;
  /** Working directory (default: the kubelet's own). */
  cwd?: string;
  /** Aborting SIGKILLs the process. */
  signal?: AbortSignal;
}

/** A process killed by a signal reports 128 + its number, as a container runtime does (SIGKILL: 137). */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? constants.signals[signal] : 0);
}

export function spawnContainer(spec: SpawnSpec): ContainerProcess {
  const child = spawnLogged(spec);
  let done = false;
  const exited = new Promise<ExitInfo>((resolve) => {
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      done = true;
      resolve({ exitCode: exitCodeOf(code, signal), signal, finishedAt: Date.now() });
    };
    child.once('exit', finish);
    // A command that cannot be spawned reports 127, as a shell does for "command not found".
    child.once('error', () => finish(127, null));
  });
  return {
    pid: child.pid ?? 0,
    startedAt: Date.now(),
    exited,
    running: () => !done,
    signal(signal) {
      if (!done) child.kill(signal);
    },
  };
}

export function spawnApp(env: Record<string, string>, host: string, port: number, logPath: string): ContainerProcess {
  return spawnContainer({
    command: process.execPath,
    args: [APP_MAIN, '--host', host, '--port', String(port)],
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
    logPath,
  });
}

export interface HookOutcome {
  ok: boolean;
  exitCode: number | null;
  error?: string;
  timedOut: boolean;
}

/** Runs an exec hook to completion, or SIGKILLs it at `timeoutMs`. */
export async function runExecHook(spec: SpawnSpec, timeoutMs: number): Promise<HookOutcome> {
  const proc = spawnContainer(spec);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.signal('SIGKILL');
  }, Math.max(0, timeoutMs));
  const exit = await proc.exited;
  clearTimeout(timer);
  const ok = !timedOut && exit.exitCode === 0;
  const error = timedOut ? `timed out after ${timeoutMs}ms` : ok ? undefined : `command exited with ${exit.exitCode}`;
  return { ok, exitCode: exit.exitCode, timedOut, ...(error ? { error } : {}) };
}

function spawnLogged(spec: SpawnSpec): ChildProcess {
  mkdirSync(dirname(spec.logPath), { recursive: true });
  const fd = openSync(spec.logPath, 'a');
  try {
    const abort = spec.signal ? { signal: spec.signal, killSignal: 'SIGKILL' as const } : {};
    return spawn(spec.command, spec.args, { env: spec.env, stdio: ['ignore', fd, fd], ...(spec.cwd ? { cwd: spec.cwd } : {}), ...abort });
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(fd);
  }
}
