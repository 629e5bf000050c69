// Sends one request on a keep-alive pool ('reuse') or on a fresh connection ('new') with undici's
// low-level dispatch API (no streams on the hot path). Never retries: one request, one outcome.
// HTTP/1.1, or with `allowH2` whatever ALPN picks over TLS (a connection that negotiated h2 carries one
// stream at a time here, and for 'new' it is closed after its request).
import type { TLSSocket } from 'node:tls';
import { buildConnector, type Client, type Dispatcher } from 'undici';
import { createClientPool } from './client-pool.js';
import { warmParser } from './preconnect.js';
import type { ConnMode } from '../types.js';
import { monotonicClock } from '../schedule/run-schedule.js';
import { TimeoutError, UnfinishedError, type Headers, type RawResult, type Sender, type SenderOptions } from './result.js';
import { ResponseCollector } from './collect-response.js';

export function createUndiciSender(opts: SenderOptions, allowH2: boolean): Sender {
  const clock = opts.clock ?? monotonicClock;
  const connect = reportingConnector(opts, allowH2);
  // One request per connection at a time in both pools; pipelining 0 also turns keep-alive off.
  const poolOptions = { connect, allowH2, keepAliveTimeout: 30_000, pipelining: 1 };
  const pool = createClientPool(opts.url.origin, poolOptions);
  const fresh = createClientPool(opts.url.origin, { connect, allowH2, pipelining: 0 });
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
    const res = new ResponseCollector(opts, clock.now());
    const clients = mode === 'reuse' ? pool : fresh;
    let client: Client | undefined;
    let controller: Dispatcher.DispatchController | undefined;
    const finish = (error?: unknown): void => {
      if (!res.finish()) return;
      inFlight.delete(cancel);
      clearTimeout(timer);
      // a request that got no response leaves its connection in doubt: never hand it to the next one;
      // an h2 connection ignores `reset`, so a 'new' one is closed here
      const doubt = (error !== undefined && res.status === undefined) || (allowH2 && mode === 'new');
      if (client) (doubt ? clients.discard(client) : clients.release(client));
      done(res.result(clock.now(), error));
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
        if (res.finished) c.abort(new TimeoutError('timed out before the request was written'));
      },
      onResponseStart(_c, code, h) {
        res.response(code, h as Headers);
      },
      onResponseData(_c, chunk) {
        res.data(chunk);
      },
      onResponseEnd() {
        finish();
      },
      onResponseError(_c, err) {
        finish(err);
      },
    };
    clients.acquire((c) => {
      if (res.finished) return clients.release(c); // timed out while waiting for a connection
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

/** undici's own connector, telling `onProtocol` what each new connection negotiated. */
function reportingConnector(opts: SenderOptions, allowH2: boolean): buildConnector.connector {
  const connector = buildConnector({
    rejectUnauthorized: !opts.insecure,
    ...(opts.ca ? { ca: opts.ca } : {}),
    ...(opts.cert && opts.key ? { cert: opts.cert, key: opts.key } : {}),
    timeout: opts.timeoutMs,
    allowH2,
  });
  return (options, callback) =>
    connector(options, (err, socket) => {
      if (err === null && socket) opts.onProtocol?.((socket as TLSSocket).alpnProtocol === 'h2' ? 'h2' : 'http/1.1');
      (callback as (e: Error | null, s: typeof socket) => void)(err, socket);
    });
}
