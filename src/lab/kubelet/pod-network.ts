// Where a pod's ports really listen. With loopback aliases (Linux routes all of 127.0.0.0/8 to lo)
// each pod binds its own 127.x.y.n at its container ports. Where only 127.0.0.1 exists (macOS), the
// stand-in shares that one address and gives every pod ports of its own: the pod keeps a distinct IP
// in the API, and the kubelet, the ingress and the Service proxy translate (IP, port) to where it listens.
import { createServer } from 'node:net';
import { ZdError } from '../../errors.js';
import { createDeadSockets } from './dead-sockets.js';

export type NetworkMode = 'aliases' | 'shared';

export interface PodSocket {
  host: string;
  port: number;
}

export interface PodNetwork {
  mode: NetworkMode;
  /** Where the pod given `address` by the kubelet's pool listens for its container port `port`. */
  socket(address: string, port: number): PodSocket;
  /** A container is about to listen there: the socket is its own from now on. */
  claim(address: string, port: number): PodSocket;
  /** The address kubelet probes come from (a real kubelet's come from the node); undefined: any. */
  probeFrom(hostIP: string): string | undefined;
  /** The pod is gone: its sockets stop answering (dead-sockets.ts) and are handed out again last. */
  release(address: string): void;
  close(): Promise<void>;
}

export function aliasNetwork(): PodNetwork {
  const dead = createDeadSockets();
  const claimed = new Map<string, Set<number>>();
  return {
    mode: 'aliases',
    socket: (address, port) => ({ host: address, port }),
    claim(address, port) {
      const at = { host: address, port };
      dead.letGo(at);
      claimed.set(address, (claimed.get(address) ?? new Set()).add(port));
      return at;
    },
    probeFrom: (hostIP) => hostIP,
    release(address) {
      for (const port of claimed.get(address) ?? []) dead.hold({ host: address, port });
      claimed.delete(address);
    },
    close: () => dead.close(),
  };
}

/** Ports from a random block per lab, so labs side by side rarely meet; freed ports are reused last. */
export function sharedNetwork(firstPort = 20_000 + Math.floor(Math.random() * 30_000), count = 10_000): PodNetwork {
  // A gone pod's (address, port) keeps its real port, held dead, until that port is handed out again.
  const ports = new Map<string, number>();
  const freed: number[] = [];
  const dead = createDeadSockets();
  let next = firstPort;
  const at = (real: number): PodSocket => ({ host: '127.0.0.1', port: real });
  const socket = (address: string, port: number): PodSocket => {
    const key = `${address}:${port}`;
    let real = ports.get(key);
    if (real === undefined) {
      real = next < firstPort + count ? next++ : freed.shift();
      if (real === undefined) throw new ZdError('internal', `no free port left in ${firstPort}-${firstPort + count - 1} for the shared pod network`);
      for (const [k, r] of ports) if (r === real) ports.delete(k);
      ports.set(key, real);
    }
    return at(real);
  };
  return {
    mode: 'shared',
    socket,
    claim(address, port) {
      const claimed = socket(address, port);
      const i = freed.indexOf(claimed.port);
      if (i >= 0) freed.splice(i, 1);
      dead.letGo(claimed);
      return claimed;
    },
    probeFrom: () => undefined,
    release(address) {
      for (const [key, real] of ports) {
        if (key.slice(0, key.lastIndexOf(':')) !== address || freed.includes(real)) continue;
        dead.hold(at(real));
        freed.push(real);
      }
    },
    close: () => dead.close(),
  };
}

/** Whether `address` (a 127.x.y.z other than 127.0.0.1) can be bound here. */
export function canBind(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(0, address, () => server.close(() => resolve(true)));
  });
}

/**
 * `ZDPROBE_LAB_NETWORK=shared|aliases` forces a mode (the tests force `shared` on Linux);
 * otherwise aliases when `probe` (an address of the lab's prefix) can be bound, else shared.
 */
export async function choosePodNetwork(probe: string, forced = process.env['ZDPROBE_LAB_NETWORK']): Promise<PodNetwork> {
  if (forced === 'shared') return sharedNetwork();
  if (forced === 'aliases') return aliasNetwork();
  if (forced) throw new ZdError('usage', `ZDPROBE_LAB_NETWORK="${forced}": use shared or aliases`);
  return (await canBind(probe)) ? aliasNetwork() : sharedNetwork();
}
