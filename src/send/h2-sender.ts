// HTTP/2 with node:http2: over TLS (h2, by ALPN) or in clear text (h2c, prior knowledge). 'reuse'
// multiplexes every request on one long-lived session (a fresh one once it goes away), 'new' opens a
// session per request. Never retries: a stream the server refused or dropped is that request's outcome.
import http2, { type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';
import type { ConnMode } from '../types.js';
import { monotonicClock } from '../schedule/run-schedule.js';
import { TimeoutError, UnfinishedError, type RawResult, type Sender, type SenderOptions } from './result.js';
import { ResponseCollector } from './collect-response.js';

/** Per session: whether the server sent GOAWAY, and the error the session died of. */
interface SessionState {
  goaway?: number;
  error?: Error;
}

class H2Error extends Error {
  constructor(readonly code: 'ZD_H2_GOAWAY' | 'ZD_H2_REFUSED' | 'ZD_H2_RESET', message: string) {
    super(message);
  }
}

/** Why a stream ended without its response: the session went away, the stream was refused or reset, or `err`. */
function h2Error(err: Error | undefined, rstCode: number | undefined, state: SessionState | undefined): Error {
  if (state?.goaway !== undefined) return new H2Error('ZD_H2_GOAWAY', `the server sent GOAWAY (code ${state.goaway}) before this stream's response${err ? `: ${err.message}` : ''}`);
  if (rstCode === http2.constants.NGHTTP2_REFUSED_STREAM) return new H2Error('ZD_H2_REFUSED', 'the server refused the stream (REFUSED_STREAM): it was not processed');
  if (err) return err;
  if (state?.error) return state.error;
  return new H2Error('ZD_H2_RESET', `the stream was reset (code ${rstCode ?? 'unknown'}) before its response was complete`);
}

export function createH2Sender(opts: SenderOptions): Sender {
  const clock = opts.clock ?? monotonicClock;
  const tls = opts.url.protocol === 'https:';
  const states = new WeakMap<ClientHttp2Session, SessionState>();
  const sessions = new Set<ClientHttp2Session>();
  const inFlight = new Set<(err: Error) => void>();
  let shared: ClientHttp2Session | undefined;

  const connect = (): ClientHttp2Session => {
    const session = http2.connect(opts.url.origin, {
      settings: { enablePush: false },
      ...(tls ? { ALPNProtocols: ['h2'], rejectUnauthorized: !opts.insecure } : {}),
      ...(opts.ca ? { ca: opts.ca } : {}),
      ...(opts.cert && opts.key ? { cert: opts.cert, key: opts.key } : {}),
    });
    const state: SessionState = {};
    states.set(session, state);
    sessions.add(session);
    session.on('error', (err) => void (state.error = err)); // each stream ends with its own outcome
    session.on('goaway', (code) => {
      state.goaway = code;
      if (shared === session) shared = undefined; // new requests go to a new session
    });
    session.on('close', () => {
      sessions.delete(session);
      if (shared === session) shared = undefined;
    });
    session.once('connect', () => opts.onProtocol?.(tls ? (session.alpnProtocol || 'h2') : 'h2c'));
    return session;
  };

  const sessionFor = (mode: ConnMode): ClientHttp2Session => {
    if (mode === 'new') return connect();
    if (!shared || shared.closed || shared.destroyed) shared = connect();
    return shared;
  };

  /** A shared session whose request timed out is in doubt: later requests get a fresh one. */
  const retire = (session: ClientHttp2Session): void => {
    if (shared === session) shared = undefined;
    if (!session.closed) session.close(); // streams still on it finish, each within its own deadline
  };

  const requestHeaders = (): http2.OutgoingHttpHeaders => {
    const out: http2.OutgoingHttpHeaders = { ':method': opts.method, ':path': opts.url.pathname + opts.url.search, ':authority': opts.url.host };
    for (const [name, value] of Object.entries(opts.headers)) {
      const lower = name.toLowerCase();
      out[lower === 'host' ? ':authority' : lower] = value;
    }
    return out;
  };
  const headersOut = requestHeaders();

  const send = (mode: ConnMode, done: (r: RawResult) => void): void => {
    const res = new ResponseCollector(opts, clock.now());
    const session = sessionFor(mode);
    let stream: ClientHttp2Stream | undefined;
    const finish = (error?: Error): void => {
      if (!res.finish()) return;
      inFlight.delete(cancel);
      clearTimeout(timer);
      // a stream reset leaves its session sound; a request that timed out leaves it in doubt
      if (mode === 'new') session.destroy();
      else if (error instanceof TimeoutError) retire(session);
      done(res.result(clock.now(), error));
    };
    const cancel = (err: Error): void => {
      if (stream && !stream.destroyed) stream.close(http2.constants.NGHTTP2_CANCEL);
      finish(err);
    };
    inFlight.add(cancel);
    const timer = setTimeout(() => cancel(new TimeoutError(`no complete response within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    try {
      stream = session.request(headersOut, { endStream: opts.data === undefined });
    } catch (err) {
      return finish(err as Error); // the session closed under us (it went away): no stream was sent
    }
    if (opts.data !== undefined) stream.end(opts.data);
    stream.on('response', (h) => res.response(Number(h[':status']), h));
    stream.on('data', (chunk: Buffer) => res.data(chunk));
    stream.on('end', () => (res.status !== undefined ? finish() : undefined));
    stream.on('error', (err) => finish(h2Error(err, stream!.rstCode, states.get(session))));
    // A reset with NO_ERROR or CANCEL closes the stream without an 'error': the outcome comes from here.
    stream.on('close', () => finish(res.status !== undefined && stream!.rstCode === 0 ? undefined : h2Error(undefined, stream!.rstCode, states.get(session))));
  };

  return {
    send,
    interrupt() {
      for (const cancel of [...inFlight]) cancel(new UnfinishedError('the run was stopped before the response came'));
    },
    async close() {
      await Promise.all([...sessions].map((s) => new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve()).destroy()))));
    },
  };
}
