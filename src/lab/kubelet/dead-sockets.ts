// A deleted pod's address does not refuse connections on a real node: once the kubelet has torn
// down its sandbox, nothing answers for that IP and a connect hangs until the caller gives up
// (measured on the real node: nginx and the prober time out, docs/real-node.md "Parity"). On the
// stand-in every pod shares loopback, where a closed port answers at once with RST. So the kubelet
// keeps a listener on each socket of a gone pod that takes connections and never answers them (the
// closest a process gets to a dropped SYN) until the socket is handed out again or the lab stops.
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';

export interface SocketAddress {
  host: string;
  port: number;
}

export interface DeadSockets {
  /** Nothing answers at `at` from now on (a listener that never replies). */
  hold(at: SocketAddress): void;
  /** A new pod listens at `at`: the hold lets go of it at once (the port is free when this returns). */
  letGo(at: SocketAddress): void;
  close(): Promise<void>;
}

export function createDeadSockets(log: (line: string) => void = () => undefined): DeadSockets {
  const servers = new Map<string, Server>();
  const held = new Set<Socket>();
  const keyOf = (at: SocketAddress): string => `${at.host}:${at.port}`;
  return {
    hold(at) {
      const key = keyOf(at);
      if (servers.has(key)) return;
      // Requests are read and dropped, never answered; a caller that gives up closes its end.
      const server = createServer((conn) => {
        held.add(conn);
        conn.on('error', () => undefined);
        conn.on('close', () => held.delete(conn));
        conn.resume();
      });
      // Taken meanwhile (a new pod got the port first): then it answers as that pod does.
      server.on('error', (err) => {
        if (servers.get(key) === server) servers.delete(key);
        log(`dead pod socket ${key} not held: ${err.message}`);
      });
      server.listen({ host: at.host, port: at.port });
      servers.set(key, server);
    },
    letGo(at) {
      const key = keyOf(at);
      const server = servers.get(key);
      if (!server) return;
      servers.delete(key);
      // A TCP handle's file descriptor is closed synchronously, so the new pod can bind right away.
      server.close();
    },
    async close() {
      for (const conn of held) conn.destroy();
      held.clear();
      const all = [...servers.values()];
      servers.clear();
      await Promise.all(all.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
