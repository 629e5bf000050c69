// Sends one request on a keep-alive pool ('reuse') or on a fresh connection ('new') with undici's
// low-level dispatch API (no streams on the hot path). Never retries: one request, one outcome.
import type { Client, Dispatcher } from 'undici';
import { createClientPool } from './client-pool.js';
import { warmParser } from './preconnect.js';
import type { ConnMode } from '../types.js';
import { monotonicClock, type Clock } from '../schedule/run-schedule.js';

/** Response headers as undici hands them over (lower-case names). */
export type Headers = Record<string, string | string[] | undefined>;

export interface SenderOptions {
  url: URL;
  method: string;
  headers: Record<string, string>;
  data?: string;
  timeoutMs: number;
  insecure: boolean;
  ca?: string;
  /** Client certificate and key for mutual TLS. */
  cert?: string;
  key?: string;
  bodyCapBytes: number;
  /** Decides from the response headers whether the body must be kept (for tagging). */
  wantsBody(headers: Headers): boolean;
  clock?: Clock;
}

export interface RawResult {
  sentAt: number;
  endedAt: number;
  status?: number;
  headers?: Headers;
  body: string;
  error?: unknown;
}

export interface Sender {
  send(mode: ConnMode, done: (r: RawResult) => void): void;
  /**
   * Before time zero: opens `reuse` keep-alive connections (0: only the parser is warmed on a
   * throwaway connection; fresh-connection requests still open their own). Never sends a request.
   */
  preconnect?(reuse: number): Promise<void>;
  /** Ends every request in flight now, each with an 'unfinished' error (the run was stopped). */
  interrupt(): void;
  close(): Promise<void>;
}

class TimeoutError extends Error {
  readonly code = 'ZD_TIMEOUT';
}

class UnfinishedError extends Error {
  readonly code = 'ZD_UNFINISHED';
}

export function createSender(opts: SenderOptions): Sender {
  const clock = opts.clock ?? monotonicClock;
  const connect = {
    rejectUnauthorized: !opts.insecure,
    ...(opts.ca ? { ca: opts.ca } : {}),
    ...(opts.cert && opts.key ? { cert: opts.cert, key: opts.key } : {}),
    timeout: opts.timeoutMs,
  };
  // One request per connection at a time in both pools; pipelining 0 also turns keep-alive off.
  const poolOptions = { connect, keepAliveTimeout: 30_000, pipelining: 1 };
  const pool = createClientPool(opts.url.origin, poolOptions);
  const fresh = createClientPool(opts.url.origin, { connect, pipelining: 0 });
  const base: Dispatcher.DispatchOptions = {
    origin: opts.url.origin,
    path: opts.url.pathname + opts.url.search,
    method: opts.method as Dispatcher.HttpMethod,
    headers: Object.entries(opts.headers).flat(),
    body: opts.data ?? null,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
  };
  const freshOptions = { ...base, reset: true };
  const inFlight = new Set<(err: Error) => void>();

  const send = (mode: ConnMode, done: (r: RawResult) => void): void => {
    const sentAt = clock.now();
    const clients = mode === 'reuse' ? pool : fresh;
    let client: Client | undefined;
    let finished = false;
    let controller: Dispatcher.DispatchController | undefined;
    let status: number | undefined;
    let headers: Headers | undefined;
    let keep = false;
    let size = 0;
    const chunks: Buffer[] = [];
    const finish = (error?: unknown): void => {
      if (finished) return;
      finished = true;
      inFlight.delete(cancel);
      clearTimeout(timer);
      // a request that got no response leaves its connection in doubt: never hand it to the next one
      if (client) (error !== undefined && status === undefined ? clients.discard(client) : clients.release(client));
      const body = chunks.length ? Buffer.concat(chunks).toString('utf8') : '';
      done(error === undefined ? { sentAt, endedAt: clock.now(), status, headers, body } : { sentAt, endedAt: clock.now(), body, error });
    };
    const cancel = (err: Error): void => {
      controller?.abort(err);
      finish(err);
    };
    inFlight.add(cancel);
    // One overall deadline from the send, covering connect, headers and body.
    const timer = setTimeout(() => cancel(new TimeoutError(`no complete response within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (client) clients.started(client);
        if (finished) c.abort(new TimeoutError('timed out before the request was written'));
      },
      onResponseStart(_c, code, h) {
        if (code < 200) return; // 1xx informational: the real response follows
        status = code;
        headers = h as Headers;
        keep = opts.wantsBody(headers);
      },
      onResponseData(_c, chunk) {
        if (!keep || size >= opts.bodyCapBytes) return; // drained, never buffered past the cap
        const part = chunk.subarray(0, opts.bodyCapBytes - size);
        chunks.push(part);
        size += part.length;
      },
      onResponseEnd() {
        finish();
      },
      onResponseError(_c, err) {
        finish(err);
      },
    };
    clients.acquire((c) => {
      if (finished) return clients.release(c); // timed out while waiting for a connection
      client = c;
      c.dispatch(mode === 'reuse' ? base : freshOptions, handler);
    });
  };

  // Bounded so a target that does not answer delays the start by at most this, then the requests say why.
  const preconnectWaitMs = Math.min(opts.timeoutMs, 2000);
  return {
    send,
    preconnect: (reuse) => (reuse > 0 ? pool.preconnect(reuse, preconnectWaitMs) : warmParser(opts.url.origin, poolOptions, preconnectWaitMs)),
    interrupt() {
      for (const cancel of [...inFlight]) cancel(new UnfinishedError('the run was stopped before the response came'));
    },
    async close() {
      await Promise.all([pool.close(), fresh.close()]);
    },
  };
}
