// Runs the deploy command a probe wraps; its output passes through, each line marked.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import type { CommandResult } from '../types.js';

export interface WrappedCommand {
  result: Promise<CommandResult>;
  kill(signal?: NodeJS.Signals): void;
  running(): boolean;
}

/** One argument is a shell line (`sh -c`); several are an argv. */
export function runWrapped(argv: string[], out: Writable, now: () => number = Date.now): WrappedCommand {
  const startedAt = now();
  const child = argv.length === 1 ? spawn('/bin/sh', ['-c', argv[0]!], { stdio: ['ignore', 'pipe', 'pipe'] }) : spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`[cmd] ${line}\n`));
  }
  const result = new Promise<CommandResult>((resolve) => {
    let spawnError: string | undefined;
    child.once('error', (err) => {
      spawnError = err.message;
      out.write(`[cmd] could not start: ${err.message}\n`);
    });
    child.once('close', (code, signal) => {
      resolve({ argv, startedAt, endedAt: now(), exitCode: spawnError ? 127 : code, signal });
    });
  });
  return { result, kill: (signal = 'SIGTERM') => void child.kill(signal), running: () => child.exitCode === null && child.signalCode === null };
}
