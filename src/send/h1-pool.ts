// Connections of one kind ('reuse' or 'new') to one origin. A request takes the most recently used
// idle connection in O(1), else opens a new one while few are still connecting, else waits (FIFO) for
// a connection to free up or a connect to finish. Opening one connection per request whenever all are
// busy made a loaded run collapse: after one stall, connecting cost more CPU than the rate allowed
// (bench/RESULTS.md). Latency is measured from the intended time, so waiting here is never hidden.

export interface PoolConn {
  /** The connection's TCP handshake is still under way. */
  connecting: boolean;
  /** When an idle connection stops being offered (clock ms). */
  idleUntil: number;
  destroy(): void;
}

/** A request waiting for a connection (an object, so a waiting request costs no closure). */
export interface Taker<C> {
  take(conn: C): void;
}

export interface ConnPool<C extends PoolConn> {
  /** Hands `taker` a connection now, or as soon as one frees up. */
  acquire(taker: Taker<C>): void;
  /** The connection's response ended and it may carry the next request until `idleUntil`. */
  release(conn: C): void;
  /** The connection is finished with (closed, in doubt, or not reusable): it is destroyed. */
  drop(conn: C): void;
  /** The connection's handshake ended (connected or failed): a waiting request may open another. */
  connected(conn: C): void;
  /** Opens up to `count` idle connections, `maxConnecting` at a time; resolves once each is connected or gone, or after `waitMs`. */
  preconnect(count: number, waitMs: number, ready: (conn: C) => Promise<boolean>): Promise<void>;
  close(): void;
}

/** Connections opened before time zero at most (20 000 rps at the 25 ms response time assumed there). */
const MAX_PRECONNECT = 512;

export function createConnPool<C extends PoolConn>(open: () => C, now: () => number, maxConnecting = 32): ConnPool<C> {
  const all = new Set<C>();
  const idle: C[] = [];
  const waiting: Taker<C>[] = [];
  let head = 0;
  let connecting = 0;

  const openOne = (): C => {
    const conn = open();
    all.add(conn);
    connecting += 1;
    return conn;
  };
  const takeIdle = (): C | undefined => {
    const t = now();
    for (let conn = idle.pop(); conn; conn = idle.pop()) {
      if (conn.idleUntil > t) return conn;
      pool.drop(conn);
    }
    return undefined;
  };
  const nextWaiting = (): Taker<C> | undefined => {
    const next = waiting[head];
    if (next === undefined) return undefined;
    waiting[head++] = undefined as never;
    if (head > 1024 && head * 2 > waiting.length) waiting.splice(0, head), (head = 0);
    return next;
  };
  const serveWaiting = (): void => {
    if (connecting >= maxConnecting) return;
    nextWaiting()?.take(openOne());
  };

  const pool: ConnPool<C> = {
    acquire(taker) {
      const conn = takeIdle();
      if (conn) return taker.take(conn);
      if (connecting >= maxConnecting) return void waiting.push(taker);
      taker.take(openOne());
    },
    release(conn) {
      const next = nextWaiting();
      if (next) return next.take(conn);
      idle.push(conn);
    },
    drop(conn) {
      if (!all.delete(conn)) return;
      if (conn.connecting) pool.connected(conn);
      const at = idle.indexOf(conn);
      if (at >= 0) idle.splice(at, 1);
      conn.destroy();
      serveWaiting();
    },
    connected(conn) {
      if (!conn.connecting) return;
      conn.connecting = false;
      connecting -= 1;
      serveWaiting();
    },
    async preconnect(count, waitMs, ready) {
      const deadline = now() + waitMs;
      for (let left = Math.min(count, MAX_PRECONNECT); left > 0 && now() < deadline; left -= maxConnecting) {
        const wave = Array.from({ length: Math.min(left, maxConnecting) }, openOne);
        const timeout = new Promise<boolean>((resolve) => setTimeout(resolve, deadline - now(), false).unref());
        const opened = await Promise.all(wave.map(async (conn) => {
          const ok = await Promise.race([ready(conn), timeout]);
          if (ok && all.has(conn)) return idle.push(conn) > 0;
          pool.drop(conn);
          return false;
        }));
        if (!opened.includes(true)) return; // a refused or slow target: the requests will say so
      }
    },
    close() {
      waiting.length = head = 0;
      for (const conn of [...all]) pool.drop(conn);
      idle.length = 0;
    },
  };
  return pool;
}
