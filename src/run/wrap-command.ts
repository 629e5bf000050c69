// Runs the deploy command a probe wraps, after the warm-up; its output passes through, each line
// marked. The command gets its own process group, so stopping it stops everything it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import type { CommandResult } from '../types.js';
import { usage } from '../errors.js';

export interface CommandPlan {
  argv: string[];
  warmupMs: number;
  settleMs: number;
  output: Writable;
}

export interface WrappedCommand {
  result: Promise<CommandResult>;
  /** Signals the whole process group. */
  kill(signal?: NodeJS.Signals): void;
  running(): boolean;
}

/** How long a stopped command gets to exit before its group is killed. */
export const STOP_GRACE_MS = 5000;
/** How long output pipes may stay open after the command exited (a daemonised grandchild). */
const PIPE_GRACE_MS = 1000;

/** One argument is a shell line (`sh -c`); several are an argv. */
const shellLine = (argv: string[]): boolean => argv.length === 1 && /[\s;&|<>$`'"*?()]/.test(argv[0]!);

/** Fails up front (usage, exit 2) when the program cannot be found or run. */
export function checkCommand(argv: string[], path = process.env['PATH'] ?? ''): void {
  if (argv.length === 0 || shellLine(argv)) return;
  const program = argv[0]!;
  const candidates = program.includes('/') ? [program] : path.split(delimiter).filter(Boolean).map((d) => join(d, program));
  const runnable = candidates.some((c) => {
    try {
      accessSync(c, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  if (!runnable) throw usage(`the command "${program}" was not found or is not executable: check its name and PATH`);
}

const groupKill = (child: ChildProcess, signal: NodeJS.Signals): void => {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // the group is gone already
  }
};

export function runWrapped(argv: string[], out: Writable, now: () => number = Date.now): WrappedCommand {
  const startedAt = now();
  const [file, args]: [string, string[]] = argv.length === 1 ? ['/bin/sh', ['-c', argv[0]!]] : [argv[0]!, argv.slice(1)];
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  // If zdprobe exits at once (a second Ctrl-C), the command's group must not outlive it; there is
  // no time left for a graceful stop.
  const onExit = (): void => groupKill(child, 'SIGKILL');
  process.once('exit', onExit);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`[cmd] ${line}\n`));
  }
  const result = new Promise<CommandResult>((resolve) => {
    let spawnError: string | undefined;
    let exited: { endedAt: number; code: number | null; signal: NodeJS.Signals | null } | undefined;
    let pipes: NodeJS.Timeout | undefined;
    child.once('error', (err) => {
      spawnError = err.message;
      out.write(`[cmd] could not start: ${err.message}\n`);
    });
    child.once('exit', (code, signal) => {
      exited = { endedAt: now(), code, signal };
      // Wait for the last lines, but not for a grandchild that keeps the pipes open.
      pipes = setTimeout(() => [child.stdout, child.stderr].forEach((s) => s?.destroy()), PIPE_GRACE_MS);
    });
    child.once('close', (code, signal) => {
      clearTimeout(pipes);
      process.off('exit', onExit);
      resolve({ argv, startedAt, endedAt: exited?.endedAt ?? now(), exitCode: spawnError ? 127 : (exited?.code ?? code), signal: exited?.signal ?? signal });
    });
  });
  return { result, kill: (signal = 'SIGTERM') => groupKill(child, signal), running: () => child.exitCode === null && child.signalCode === null };
}

export interface ScheduledCommand {
  /** The command's result: stopped (group SIGTERM, then SIGKILL) if the run ended first, or never started. */
  finish(): Promise<CommandResult>;
}

/** Starts the command after the warm-up; when it exits, the run ends `settleMs` later. */
export function scheduleCommand(plan: CommandPlan, run: { stop(): void; stopped(): boolean }, log: (line: string) => void, now: () => number = Date.now): ScheduledCommand {
  let settle: NodeJS.Timeout | undefined;
  let child: WrappedCommand | undefined;
  let recorded: Promise<CommandResult> | undefined;
  const start = setTimeout(() => {
    child = runWrapped(plan.argv, plan.output, now);
    recorded = child.result.then((result) => {
      if (!run.stopped()) {
        log(`command exited with ${result.exitCode ?? result.signal}; settling for ${plan.settleMs / 1000} s`);
        settle = setTimeout(() => run.stop(), plan.settleMs);
      }
      return result;
    });
  }, plan.warmupMs);
  return {
    async finish() {
      clearTimeout(start);
      if (settle) clearTimeout(settle);
      if (!child || !recorded) return { argv: plan.argv, startedAt: now(), endedAt: null, exitCode: null, signal: null, notStarted: true };
      if (!child.running()) return recorded;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child?.kill('SIGKILL'), STOP_GRACE_MS);
      const result = await recorded;
      clearTimeout(killer);
      return { ...result, exitCode: null, signal: result.signal ?? 'SIGTERM' };
    },
  };
}
