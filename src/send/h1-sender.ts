// Sends plain-HTTP/1.1 requests on node:net sockets: the request bytes are built once, and the small
// reader in h1-parse.ts reads each response. undici did the same work with ~4x the CPU per request
// (its dispatcher, streams and llhttp glue; bench/RESULTS.md), which capped one thread below the
// rates a rollout probe needs headroom for. One request per connection at a time, on a keep-alive
// connection ('reuse') or a fresh one closed after its response ('new'). Never retries.
import { channel } from 'node:diagnostics_channel';
import { connect, type Socket } from 'node:net';
import type { ConnMode } from '../types.js';
import { monotonicClock } from '../schedule/run-schedule.js';
import { TimeoutError, UnfinishedError, type RawResult, type Sender, type SenderOptions } from './result.js';
import { ResponseCollector } from './collect-response.js';
import { ResponseReader, type ResponseHead } from './h1-parse.js';
import { createConnPool, type ConnPool } from './h1-pool.js';
import { requestBytes } from './h1-request.js';

/** The server closed the connection before the response was complete. */
export class ClosedError extends Error {
  readonly code = 'ZD_CLOSED';
}

/** How long an idle keep-alive connection is offered: undici's defaults, kept so runs compare. */
const IDLE_MS = 30_000;

/** Told of the first request written (bench/lib/cpu-marks.js measures CPU to it); free when nobody listens. */
const firstWrite = channel('zdprobe:h1:first-write');
const SERVER_HINT_MARGIN_MS = 2_000;

interface Exchange {
  reader: ResponseReader;
  fail(err: unknown): void;
}

interface Conn {
  socket: Socket;
  connecting: boolean;
  idleUntil: number;
  exchange: Exchange | undefined;
  destroy(): void;
}

export function createH1Sender(opts: SenderOptions): Sender {
  const clock = opts.clock ?? monotonicClock;
  const bytes = { reuse: requestBytes(opts, true), new: requestBytes(opts, false) };
  const headRequest = opts.method.toUpperCase() === 'HEAD';
  const target = { host: opts.url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(opts.url.port || 80) };
  const pools: Record<ConnMode, ConnPool<Conn>> = {
    reuse: createConnPool(() => open('reuse'), clock.now),
    new: createConnPool(() => open('new'), clock.now),
  };
  const inFlight = new Set<(err: Error) => void>();

  function open(mode: ConnMode): Conn {
    const socket = connect({ ...target, noDelay: true, ...(mode === 'reuse' ? { keepAlive: true, keepAliveInitialDelay: 60_000 } : {}) });
    const conn: Conn = { socket, connecting: true, idleUntil: clock.now() + IDLE_MS, exchange: undefined, destroy: () => socket.destroy() };
    const pool = pools[mode];
    socket.once('connect', () => {
      pool.connected(conn);
      opts.onProtocol?.('http/1.1');
    });
    socket.on('data', (chunk: Buffer) => {
      const ex = conn.exchange;
      if (!ex) return pool.drop(conn); // bytes nobody asked for: the connection is not trusted again
      try {
        ex.reader.feed(chunk);
      } catch (err) {
        ex.fail(err);
      }
    });
    socket.on('end', () => {
      conn.exchange?.reader.closed();
      conn.exchange?.fail(withRemote(new ClosedError('the server closed the connection before the response was complete'), socket));
      pool.drop(conn);
    });
    socket.on('error', (err) => {
      const ex = conn.exchange;
      if (ex?.reader.endsAtClose) ex.reader.closed(); // as undici: a reset ends a body that runs until close
      else ex?.fail(withRemote(err, socket));
    });
    socket.on('close', () => {
      conn.exchange?.fail(new ClosedError('the connection closed before the response was complete'));
      pool.drop(conn);
    });
    return conn;
  }

  const send = (mode: ConnMode, done: (r: RawResult) => void): void => {
    const res = new ResponseCollector(opts, clock.now());
    const pool = pools[mode];
    let conn: Conn | undefined;
    const finish = (error?: unknown): void => {
      if (!res.finish()) return;
      inFlight.delete(cancel);
      clearTimeout(timer);
      if (conn) {
        conn.exchange = undefined;
        const reusable = error === undefined && mode === 'reuse' && reader.reusable && conn.idleUntil > clock.now();
        if (reusable) pool.release(conn);
        else pool.drop(conn); // closed, not reusable, or in doubt after an error: never handed on
      }
      done(res.result(clock.now(), error));
    };
    const cancel = (err: Error): void => finish(err);
    const reader = new ResponseReader({
      head: (head) => {
        res.response(head.status, head.headers);
        if (conn) conn.idleUntil = idleUntil(head, clock.now());
      },
      body: (chunk) => res.data(chunk),
      end: () => finish(),
    }, headRequest);
    inFlight.add(cancel);
    // One overall deadline from the send, covering the wait for a connection, connect, headers and body.
    const timer = setTimeout(() => cancel(new TimeoutError(`no complete response within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    pool.acquire((c) => {
      // timed out while waiting: a keep-alive connection goes to the next request, a fresh one is closed
      if (res.finished) return mode === 'reuse' && c.idleUntil > clock.now() ? pool.release(c) : pool.drop(c);
      conn = c;
      c.exchange = { reader, fail: finish };
      c.socket.write(bytes[mode]);
      if (firstWrite.hasSubscribers) firstWrite.publish(undefined);
    });
  };

  // Bounded so a target that does not answer delays the start by at most this, then the requests say why.
  const preconnectWaitMs = Math.min(opts.timeoutMs, 2000);
  const connectedOrGone = (conn: Conn): Promise<boolean> =>
    new Promise((resolve) => {
      conn.socket.once('connect', () => resolve(true)).once('close', () => resolve(false));
    });
  return {
    send,
    async preconnect(reuse) {
      warmReader(Math.min(2000, reuse * 50)); // ~20 µs a round: worth it only where the rate is high
      await pools.reuse.preconnect(reuse, preconnectWaitMs, connectedOrGone);
    },
    interrupt() {
      for (const cancel of [...inFlight]) cancel(new UnfinishedError('the run was stopped before the response came'));
    },
    async close() {
      pools.reuse.close();
      pools.new.close();
    },
  };
}

const SAMPLE = Buffer.from('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nx-app-version: 1\r\ncontent-length: 9\r\n\r\nVersion 1');

/** Runs the reader over a canned response on local data, so the first second's responses meet compiled code. */
function warmReader(rounds: number): void {
  const sink = { head: () => undefined, body: () => undefined, end: () => undefined };
  for (let i = 0; i < rounds; i++) new ResponseReader(sink).feed(SAMPLE);
}

/** undici's rule: the server's Keep-Alive timeout less a margin, else the default; 0 when too short to reuse. */
function idleUntil(head: ResponseHead, now: number): number {
  const ms = head.keepAliveMs === undefined ? IDLE_MS : Math.min(head.keepAliveMs - SERVER_HINT_MARGIN_MS, 600_000);
  return ms > 0 ? now + ms : 0;
}

/** Errors without an address get the connection's, so a failure names the pod it came from. */
function withRemote(err: Error, socket: Socket): Error {
  const e = err as Error & { address?: string; socket?: { remoteAddress?: string; remotePort?: number } };
  if (e.address === undefined && socket.remoteAddress) e.socket = { remoteAddress: socket.remoteAddress, remotePort: socket.remotePort ?? 0 };
  return e;
}
