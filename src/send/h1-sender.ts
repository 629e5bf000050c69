// Sends plain-HTTP/1.1 requests on node:net sockets: the request bytes are built once, and the small
// reader in h1-parse.ts reads each response. undici did the same work with ~4x the CPU per request
// (its dispatcher, streams and llhttp glue; bench/RESULTS.md), which capped one thread below the
// rates a rollout probe needs headroom for. One request per connection at a time, on a keep-alive
// connection ('reuse') or a fresh one closed after its response ('new'). Never retries.
import { channel } from 'node:diagnostics_channel';
import { connect, type Socket } from 'node:net';
import type { ConnMode } from '../types.js';
import { monotonicClock, type Clock } from '../schedule/run-schedule.js';
import { TimeoutError, UnfinishedError, type RawResult, type Sender, type SenderOptions } from './result.js';
import { ResponseCollector } from './collect-response.js';
import { ResponseReader, type ResponseHead, type ResponseSink } from './h1-parse.js';
import { createConnPool, type ConnPool, type Taker } from './h1-pool.js';
import { requestBytes } from './h1-request.js';
import { warmOnLoopback } from './h1-warm.js';

/** The server closed the connection before the response was complete. */
export class ClosedError extends Error {
  readonly code = 'ZD_CLOSED';
}

/** How long an idle keep-alive connection is offered: undici's defaults, kept so runs compare. */
const IDLE_MS = 30_000;

/** Told of the first request written (bench/lib/cpu-marks.js measures CPU to it); free when nobody listens. */
const firstWrite = channel('zdprobe:h1:first-write');
const SERVER_HINT_MARGIN_MS = 2_000;

/** Pre-opened connections (rate x 25 ms) from which the path is warmed before time zero: 4 000 rps of reuse. */
const WARM_FROM_CONNECTIONS = 100;

interface Conn {
  socket: Socket;
  connecting: boolean;
  idleUntil: number;
  exchange: Exchange | undefined;
  destroy(): void;
}

/** What every request of one sender shares. */
interface Context {
  opts: SenderOptions;
  clock: Clock;
  bytes: Record<ConnMode, Buffer>;
  headRequest: boolean;
  pools: Record<ConnMode, ConnPool<Conn>>;
  /**
   * Requests in flight, newest first, as a list threaded through them: a Set with an add and a
   * delete per request kept each request's objects alive through two scavenges (about 3 MB promoted
   * to the old generation per scavenge at 10 000 rps, 6-9 ms pauses); the list keeps none.
   */
  inFlight: { head: Exchange | undefined };
}

/** One request from its send to its one outcome: it waits for a connection, writes, reads, ends. */
class Exchange implements Taker<Conn>, ResponseSink {
  readonly res: ResponseCollector;
  readonly reader: ResponseReader;
  private conn: Conn | undefined = undefined;
  prev: Exchange | undefined = undefined;
  next: Exchange | undefined = undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(readonly cx: Context, private readonly mode: ConnMode, private readonly done: (r: RawResult) => void) {
    this.res = new ResponseCollector(cx.opts, cx.clock.now());
    this.reader = new ResponseReader(this, cx.headRequest);
    this.next = cx.inFlight.head;
    if (this.next) this.next.prev = this;
    cx.inFlight.head = this;
    // One overall deadline from the send, covering the wait for a connection, connect, headers and body.
    this.timer = setTimeout(expire, cx.opts.timeoutMs, this);
  }

  take(conn: Conn): void {
    const pool = this.cx.pools[this.mode];
    // timed out while waiting: a keep-alive connection goes to the next request, a fresh one is closed
    if (this.res.finished) return this.mode === 'reuse' && conn.idleUntil > this.cx.clock.now() ? pool.release(conn) : pool.drop(conn);
    this.conn = conn;
    conn.exchange = this;
    conn.socket.write(this.cx.bytes[this.mode]);
    if (firstWrite.hasSubscribers) firstWrite.publish(undefined);
  }

  head(head: ResponseHead): void {
    this.res.response(head.status, head.headers);
    if (this.conn) this.conn.idleUntil = idleUntil(head, this.cx.clock.now());
  }

  body(chunk: Buffer): void {
    this.res.data(chunk, true); // a view into the shared read buffer
  }

  end(): void {
    this.finish();
  }

  finish(error?: unknown): void {
    if (!this.res.finish()) return;
    const { cx, conn } = this;
    if (this.prev) this.prev.next = this.next;
    else cx.inFlight.head = this.next;
    if (this.next) this.next.prev = this.prev;
    this.prev = this.next = undefined;
    clearTimeout(this.timer);
    if (conn) {
      conn.exchange = undefined;
      const pool = cx.pools[this.mode];
      const reusable = error === undefined && this.mode === 'reuse' && this.reader.reusable && conn.idleUntil > cx.clock.now();
      if (reusable) pool.release(conn);
      else pool.drop(conn); // closed, not reusable, or in doubt after an error: never handed on
    }
    this.done(this.res.result(cx.clock.now(), error));
  }
}

function expire(ex: Exchange): void {
  ex.finish(new TimeoutError(`no complete response within ${ex.cx.opts.timeoutMs} ms`));
}

export function createH1Sender(opts: SenderOptions): Sender {
  const clock = opts.clock ?? monotonicClock;
  const target = { host: opts.url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(opts.url.port || 80) };
  // Every socket reads into this one buffer: each read is handled before the next, and what is kept is copied.
  const readBuffer = Buffer.allocUnsafe(64 * 1024);
  const cx: Context = {
    opts,
    clock,
    bytes: { reuse: requestBytes(opts, true), new: requestBytes(opts, false) },
    headRequest: opts.method.toUpperCase() === 'HEAD',
    pools: { reuse: createConnPool(() => open('reuse'), clock.now), new: createConnPool(() => open('new'), clock.now) },
    inFlight: { head: undefined },
  };

  function open(mode: ConnMode): Conn {
    const onread = { buffer: readBuffer, callback: (n: number): boolean => received(conn, readBuffer.subarray(0, n)) };
    const socket = connect({ ...target, noDelay: true, onread, ...(mode === 'reuse' ? { keepAlive: true, keepAliveInitialDelay: 60_000 } : {}) });
    const conn: Conn = { socket, connecting: true, idleUntil: clock.now() + IDLE_MS, exchange: undefined, destroy: () => socket.destroy() };
    const pool = cx.pools[mode];
    socket.once('connect', () => {
      pool.connected(conn);
      opts.onProtocol?.('http/1.1');
    });
    socket.on('end', () => {
      conn.exchange?.reader.closed();
      conn.exchange?.finish(withRemote(new ClosedError('the server closed the connection before the response was complete'), socket));
      pool.drop(conn);
    });
    socket.on('error', (err) => {
      const ex = conn.exchange;
      if (ex?.reader.endsAtClose) ex.reader.closed(); // as undici: a reset ends a body that runs until close
      else ex?.finish(withRemote(err, socket));
    });
    socket.on('close', () => {
      conn.exchange?.finish(new ClosedError('the connection closed before the response was complete'));
      pool.drop(conn);
    });
    return conn;
  }

  /** Always true: keep reading (onread's way to say "do not pause"). */
  function received(conn: Conn, chunk: Buffer): boolean {
    const ex = conn.exchange;
    if (!ex) return conn.socket.destroy(), true; // bytes nobody asked for: not trusted again (its close drops it)
    try {
      ex.reader.feed(chunk);
    } catch (err) {
      ex.finish(err);
    }
    return true;
  }

  // Bounded so a target that does not answer delays the start by at most this, then the requests say why.
  const preconnectWaitMs = Math.min(opts.timeoutMs, 2000);
  const connectedOrGone = (conn: Conn): Promise<boolean> =>
    new Promise((resolve) => {
      conn.socket.once('connect', () => resolve(true)).once('close', () => resolve(false));
    });
  return {
    send: (mode, done) => void cx.pools[mode].acquire(new Exchange(cx, mode, done)),
    async preconnect(reuse) {
      // ~60 µs of CPU per warm-up exchange: worth it only where the rate is high
      if (reuse >= WARM_FROM_CONNECTIONS) await warmOnLoopback((url) => createH1Sender({ ...opts, url, headers: {}, onProtocol: undefined }), Math.min(5000, reuse * 20));
      await cx.pools.reuse.preconnect(reuse, preconnectWaitMs, connectedOrGone);
    },
    interrupt() {
      while (cx.inFlight.head) cx.inFlight.head.finish(new UnfinishedError('the run was stopped before the response came'));
    },
    async close() {
      cx.pools.reuse.close();
      cx.pools.new.close();
    },
  };
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
