// Opens a client's connection before its first request: the TCP (and TLS) handshake is done and
// undici's HTTP parser (llhttp, compiled on the first connection) is ready before the schedule's
// time zero. No request is written: the target sees a connection, never an uncounted request.
import { createRequire } from 'node:module';
import type { Client, ClientOptions } from './undici-client.js';
import { Client as UndiciClient } from './undici-client.js';

// undici has no public "connect now" on a Client; its own method is keyed by this symbol.
const { kConnect } = createRequire(import.meta.url)('undici/lib/core/symbols.js') as { kConnect: symbol };

type Connectable = Client & { [key: symbol]: ((cb: () => void) => void) | undefined };

/** Resolves true once `client` is connected and idle, false when it could not connect within `waitMs`. */
export function connectIdle(client: Client, waitMs: number): Promise<boolean> {
  const connectNow = (client as Connectable)[kConnect];
  if (typeof connectNow !== 'function') return Promise.resolve(false); // a future undici without it: no pre-connect
  return new Promise((resolve) => {
    const settle = (ok: boolean): void => {
      clearTimeout(timer);
      client.off('connectionError', onError);
      resolve(ok);
    };
    const onError = (): void => settle(false);
    const timer = setTimeout(() => settle(false), waitMs);
    client.on('connectionError', onError);
    try {
      connectNow.call(client, () => settle(true));
    } catch {
      settle(false);
    }
  });
}

/** `--connection new` only: one throwaway connection compiles the parser; the requests still open their own. */
export async function warmParser(origin: string, options: ClientOptions, waitMs: number): Promise<void> {
  const client = new UndiciClient(origin, options);
  await connectIdle(client, waitMs);
  await client.destroy().catch(() => undefined);
}
