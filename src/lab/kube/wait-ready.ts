// Poll a control-plane endpoint until it answers 200, failing fast if its process died.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { ZdError } from '../../errors.js';
import { logTail, type Child } from './child-process.js';

export interface HttpResult {
  status: number;
  body: string;
}

/** One request; TLS is not verified because this only probes health and drives etcd locally. */
export function httpCall(
  url: string,
  init: { method?: string; token?: string; body?: string; timeoutMs?: number } = {},
): Promise<HttpResult> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers: Record<string, string> = {};
  if (init.token) headers['authorization'] = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      { method: init.method ?? 'GET', headers, rejectUnauthorized: false, timeout: init.timeoutMs ?? 5000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout calling ${url}`)));
    req.on('error', reject);
    req.end(init.body);
  });
}

export interface WaitOptions {
  child: Child;
  token?: string;
  timeoutMs: number;
}

export async function waitHttpOk(url: string, opts: WaitOptions): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (!opts.child.running()) {
      throw new ZdError('unreachable', `${opts.child.name} exited while starting:\n${logTail(opts.child.logFile)}`);
    }
    try {
      const res = await httpCall(url, { token: opts.token, timeoutMs: 5000 });
      if (res.status === 200) return;
      last = `HTTP ${res.status} ${res.body.slice(0, 300)}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(250);
  }
  throw new ZdError('unreachable', `${opts.child.name} not ready after ${opts.timeoutMs} ms at ${url}: ${last}`);
}

/** Retry an async check until it returns a value (not undefined), bounded by time. */
export async function pollFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = `: ${err instanceof Error ? err.message : String(err)}`;
    }
    await sleep(250);
  }
  throw new ZdError('unreachable', `timed out after ${timeoutMs} ms waiting for ${what}${last}`);
}
