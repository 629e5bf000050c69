// One try of a request on one upstream endpoint, telling apart what the real proxies tell apart:
// a connect that failed (refused, or no answer within the connect timeout: Envoy retries these,
// and nginx retries them even for a POST, which was never sent), from a connection that broke
// or went silent after the request was written (a reset, a read timeout).
import { request } from 'node:http';
import type { Agent, IncomingHttpHeaders, IncomingMessage } from 'node:http';

export type TryResult =
  | { res: IncomingMessage }
  | { fail: 'error' | 'timeout'; connected: boolean; sent: boolean; reused: boolean };

export interface TryOptions {
  agent: Agent;
  /** "host:port" */
  target: string;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  connectTimeoutMs: number;
  /** Idle time allowed between bytes of the answer; absent: none (Istio sets no route timeout). */
  readTimeoutMs?: number;
}

export function tryUpstream(o: TryOptions): Promise<TryResult> {
  const i = o.target.lastIndexOf(':');
  return new Promise((resolve) => {
    let settled = false;
    let connected = false;
    const finish = (r: TryResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      resolve(r);
    };
    const failed = (fail: 'error' | 'timeout'): TryResult => ({ fail, connected, sent: connected, reused: up.reusedSocket });
    const up = request({ host: o.target.slice(0, i), port: Number(o.target.slice(i + 1)), method: o.method, path: o.path, headers: o.headers, agent: o.agent }, (res) => finish({ res }));
    const connectTimer = setTimeout(() => { finish(failed('timeout')); up.destroy(); }, o.connectTimeoutMs);
    const onConnect = (): void => { connected = true; clearTimeout(connectTimer); };
    up.on('socket', (s) => {
      if (s.connecting) s.once('connect', onConnect);
      else onConnect();
    });
    if (o.readTimeoutMs !== undefined) up.setTimeout(o.readTimeoutMs, () => { finish(failed('timeout')); up.destroy(); });
    up.on('error', () => finish(failed('error')));
    up.end(o.body);
  });
}
