// Connections for one origin: a request takes an idle connection in O(1), opens a new one while few
// are still connecting, and otherwise waits for the next connection to free up. undici's own Pool
// opens a connection for every request that finds all busy and scans all of them per dispatch: after
// one stall on a loaded machine, connecting costs more CPU than the rate allows and the run collapses
// (bench/RESULTS.md). Latency is measured from the intended time, so waiting here is never hidden.
import { Client, type ClientOptions } from './undici-client.js';
import { connectIdle } from './preconnect.js';

export interface ClientPool {
  /** Calls `use` with a client now, or as soon as one is released. */
  acquire(use: (client: Client) => void): void;
  /** The request on `client` is on the wire (its connection is open). */
  started(client: Client): void;
  /** The request on `client` has finished: the client carries the next waiting request or goes idle. */
  release(client: Client): void;
  /**
   * The request on `client` failed without a response: the client is closed, never reused. undici
   * keeps a client whose TLS handshake failed reconnecting without failing the next request (a
   * Host that differs from the origin's servername), so reusing it turned a TLS error into timeouts.
   */
  discard(client: Client): void;
  size(): number;
  /** Opens up to `count` idle connections before the first request; one that cannot connect is dropped. */
  preconnect(count: number, waitMs: number): Promise<void>;
  close(): Promise<void>;
}

/** `maxConnecting`: new connections allowed to be opening at once; past that, requests wait for a free one. */
export function createClientPool(origin: string, options: ClientOptions, maxConnecting = 32): ClientPool {
  const all = new Set<Client>();
  const idle: Client[] = [];
  const connecting = new Set<Client>();
  const waiting: ((client: Client) => void)[] = [];
  let head = 0;

  return {
    acquire(use) {
      const client = idle.pop();
      if (client) return use(client);
      if (connecting.size >= maxConnecting) return void waiting.push(use);
      use(open());
    },
    started(client) {
      connecting.delete(client);
    },
    release(client) {
      connecting.delete(client);
      const next = nextWaiting();
      if (next === undefined) return void idle.push(client);
      next(client);
    },
    discard(client) {
      connecting.delete(client);
      all.delete(client);
      client.destroy().catch(() => undefined); // its request has its outcome already
      nextWaiting()?.(open());
    },
    size: () => all.size,
    async preconnect(count, waitMs) {
      await Promise.all(Array.from({ length: Math.min(count, maxConnecting) }, async () => {
        const client = open();
        const ok = await connectIdle(client, waitMs);
        connecting.delete(client);
        if (ok) return void idle.push(client);
        all.delete(client);
        await client.destroy().catch(() => undefined); // a refused or slow target: the requests will say so
      }));
    },
    async close() {
      waiting.length = head = 0;
      await Promise.all([...all].map((c) => c.destroy()));
    },
  };

  function open(): Client {
    const fresh = new Client(origin, options);
    all.add(fresh);
    connecting.add(fresh); // until its first request is on the wire
    return fresh;
  }

  function nextWaiting(): ((client: Client) => void) | undefined {
    const next = waiting[head];
    if (next === undefined) return undefined;
    waiting[head++] = undefined as never;
    if (head > 1024 && head * 2 > waiting.length) waiting.splice(0, head), (head = 0);
    return next;
  }
}
