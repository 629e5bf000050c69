// Which sender a target gets: our own lean HTTP/1.1 sender for plain http://, undici over TLS (it
// negotiates h2 or HTTP/1.1 by ALPN), node:http2 for HTTP/2 asked for by name, grpc-js for grpc://. Each sends one request per call and never retries.
// Only the sender a target needs is loaded: grpc-js alone costs ~0.16 CPU s to load, and every
// worker thread of a sharded probe loads its own.
import type { Sender, SenderOptions } from './result.js';

export type { Headers, RawResult, Sender, SenderOptions } from './result.js';

export const isGrpcUrl = (url: URL): boolean => url.protocol === 'grpc:' || url.protocol === 'grpcs:';

export async function createSender(opts: SenderOptions): Promise<Sender> {
  if (isGrpcUrl(opts.url)) return (await import('./grpc-sender.js')).createGrpcSender(opts);
  const protocol = opts.protocol ?? 'auto';
  if (protocol === 'h2' || protocol === 'h2c') return (await import('./h2-sender.js')).createH2Sender(opts);
  if (opts.url.protocol === 'http:') return (await import('./h1-sender.js')).createH1Sender(opts);
  return (await import('./undici-sender.js')).createUndiciSender(opts, protocol === 'auto' && opts.url.protocol === 'https:');
}
