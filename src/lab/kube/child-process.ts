// One control-plane process: output appended to a log file, stopped with SIGTERM then SIGKILL.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Child {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  readonly exited: Promise<ChildExit>;
  running(): boolean;
  /** SIGTERM, then SIGKILL after graceMs; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export function startChild(name: string, file: string, args: string[], logFile: string, env?: NodeJS.ProcessEnv): Child {
  const log = openSync(logFile, 'a');
  const proc = spawn(file, args, { stdio: ['ignore', log, log], ...(env ? { env: { ...process.env, ...env } } : {}) });
  closeSync(log);
  let alive = proc.pid !== undefined;
  // A parent that dies without close() must not leave etcd or the apiserver behind.
  const killOnExit = (): void => void proc.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<ChildExit>((resolve) => {
    proc.once('error', () => resolve({ code: null, signal: null }));
    proc.once('exit', (code, signal) => resolve({ code, signal }));
  }).then((exit) => {
    alive = false;
    process.removeListener('exit', killOnExit);
    return exit;
  });
  const stop = async (graceMs = 15_000): Promise<void> => {
    if (!alive) return;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { name, pid: proc.pid ?? -1, logFile, exited, running: () => alive, stop };
}

/** The last lines of a child's log, for error messages when it fails to start. */
export function logTail(logFile: string, lines = 15): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
