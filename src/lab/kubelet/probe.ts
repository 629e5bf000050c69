// One probe, as the kubelet runs it (pkg/probe/{http,tcp,exec}): httpGet on a fresh connection with
// 200-399 as success, a TCP connect, or a command whose exit code decides. Messages are the kubelet's.
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { ProbeHandler } from './pod-plan.js';

export interface ProbeResult {
  /** 'error': the probe could not run at all (the kubelet throws such a result away). */
  outcome: 'success' | 'failure' | 'error';
  /** Kubelet-style probe output: `HTTP probe failed with statuscode: 503`, `Get "...": ...`, a command's output. */
  message: string;
}

/** Where and how one container is probed. */
export interface ProbeTarget {
  /** Where the pod's container port `port` really listens. */
  socket(port: number): { host: string; port: number };
  /** The node address probes connect from (a real kubelet's come from the node); undefined: any. */
  from?: string;
  /** Exec probes: the container's env and a working directory of the pod's own. */
  env: Record<string, string>;
  cwd: string;
}

// The kubelet reads at most 10 KiB of a probe's output (pkg/probe maxReadLength).
const MAX_OUTPUT = 10 * 1024;

export function runProbe(handler: ProbeHandler, target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  if (handler.kind === 'exec') return execProbe(handler.command, target, timeoutMs);
  const at = target.socket(handler.port);
  if (handler.kind === 'tcpSocket') return tcpProbe(at.host, at.port, timeoutMs, target.from);
  return httpProbe(at.host, { path: handler.path, port: at.port, timeoutMs, scheme: handler.scheme }, target.from);
}

const fail = (message: string): ProbeResult => ({ outcome: 'failure', message });
const OK: ProbeResult = { outcome: 'success', message: '' };

/** `from`: the node address the probe connects from, as a real kubelet's probes come from the node. */
export function httpProbe(
  host: string,
  plan: { path: string; port: number; timeoutMs: number; scheme?: 'http' | 'https' },
  from?: string,
): Promise<ProbeResult> {
  const scheme = plan.scheme ?? 'http';
  const url = `${scheme}://${host}:${plan.port}${plan.path.startsWith('/') ? '' : '/'}${plan.path}`;
  const request = scheme === 'https' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    // The kubelet does not verify a probed pod's certificate.
    const options = { agent: false, rejectUnauthorized: false, ...(from ? { localAddress: from } : {}), headers: { 'User-Agent': 'kube-probe/1.34', Connection: 'close' } };
    const req = request(url, options, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(status >= 200 && status < 400 ? OK : fail(`HTTP probe failed with statuscode: ${status}`));
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve(fail(`Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`));
    }, plan.timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(fail(`Get "${url}": ${dialError(err, host, plan.port)}`));
    });
    req.end();
  });
}

export function tcpProbe(host: string, port: number, timeoutMs: number, from?: string): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, ...(from ? { localAddress: from } : {}) });
    const done = (result: ProbeResult): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done(fail(`dial tcp ${host}:${port}: i/o timeout`)), timeoutMs);
    socket.once('connect', () => done(OK));
    socket.once('error', (err: NodeJS.ErrnoException) => done(fail(dialError(err, host, port))));
  });
}

/**
 * A command run as a host process (the stand-in has no container to exec into): the container's env,
 * the pod's working directory, SIGKILL at timeoutSeconds. Exit 0 passes; the output is the message.
 */
export function execProbe(command: string[], target: Pick<ProbeTarget, 'env' | 'cwd'>, timeoutMs: number): Promise<ProbeResult> {
  const [file = '', ...args] = command;
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: target.cwd, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...target.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer): void => void (output = (output + chunk.toString()).slice(0, MAX_OUTPUT));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve({ outcome: 'error', message: `exec: "${file}": ${err.message}` });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (timedOut) return resolve(fail(`command "${command.join(' ')}" timed out`));
      resolve(code === 0 ? { outcome: 'success', message: output } : fail(output));
    });
  });
}

function dialError(err: NodeJS.ErrnoException, host: string, port: number): string {
  if (err.code === 'ECONNREFUSED') return `dial tcp ${host}:${port}: connect: connection refused`;
  if (err.code === 'ECONNRESET') return 'read: connection reset by peer';
  return err.message;
}
