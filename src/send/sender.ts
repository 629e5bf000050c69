// Which sender a target gets: undici for HTTP/1.1 (and ALPN over TLS), node:http2 for HTTP/2 asked
// for by name, grpc-js for grpc:// targets. Each sends one request per call and never retries.
// Only the sender a target needs is loaded: grpc-js alone costs ~0.16 CPU s to load, and every
// worker thread of a sharded probe loads its own.
import type { Sender, SenderOptions } from './result.js';

export type { Headers, RawResult, Sender, SenderOptions } from './result.js';

export const isGrpcUrl = (url: URL): boolean => url.protocol === 'grpc:' || url.protocol === 'grpcs:';

export async function createSender(opts: SenderOptions): Promise<Sender> {
  if (isGrpcUrl(opts.url)) return (await import('./grpc-sender.js')).createGrpcSender(opts);
  const protocol = opts.protocol ?? 'auto';
  if (protocol === 'h2' || protocol === 'h2c') return (await import('./h2-sender.js')).createH2Sender(opts);
  return (await import('./undici-sender.js')).createUndiciSender(opts, protocol === 'auto' && opts.url.protocol === 'https:');
}
