// Test helpers: run the real lab app as a child process and talk to it with node:http.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import type { Agent, IncomingHttpHeaders } from 'node:http';
import { fileURLToPath } from 'node:url';

export const APP_MAIN = fileURLToPath(new URL('../../../src/lab/app/main.js', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningApp {
  proc: ChildProcess;
  host: string;
  port: number;
  url: string;
  output: () => string;
  waitForLine: (pattern: RegExp, timeoutMs?: number) => Promise<string>;
  exited: Promise<Exit>;
  /** SIGKILL if still alive; always safe to call. */
  kill: () => Promise<Exit>;
}

/** A loopback address of its own, so parallel tests never share a port. */
export function randomLoopback(): string {
  const octet = (): number => 1 + Math.floor(Math.random() * 250);
  return `127.${octet()}.${octet()}.${octet()}`;
}

/** Starts the app on `host:port` (port 0: any); waits for its "listening" line unless `port` is fixed. */
export async function runApp(env: Record<string, string>, host = '127.0.0.1', fixedPort = 0): Promise<RunningApp> {
  const proc = spawn(process.execPath, [APP_MAIN, '--host', host, '--port', String(fixedPort)], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    out += chunk.toString();
    for (const wake of waiters) wake();
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  const exited = new Promise<Exit>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const waitForLine = (pattern: RegExp, timeoutMs = 10_000): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const line = out.split('\n').find((l) => pattern.test(l));
        if (line === undefined) return;
        done();
        resolve(line);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no line matching ${pattern} within ${timeoutMs}ms; output:\n${out}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  const kill = async (): Promise<Exit> => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    return exited;
  };
  let port = fixedPort;
  if (fixedPort === 0) {
    const line = await waitForLine(/listening on /).catch(async (err: unknown) => {
      await kill();
      throw err;
    });
    port = Number(/:(\d+) /.exec(line)?.[1]);
  }
  return { proc, host, port, url: `http://${host}:${port}`, output: () => out, waitForLine, exited, kill };
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  localPort: number;
}

/** One GET; rejects with the socket error (its `code` tells reset from refused). */
export function get(url: string, agent?: Agent, timeoutMs = 10_000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: agent ?? false, timeout: timeoutMs }, (res) => {
      let body = '';
      const localPort = res.socket?.localPort ?? 0;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, localPort }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Rejects unless `promise` settles within `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms}ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
