// Which sender a target gets: undici for HTTP/1.1 (and ALPN over TLS), node:http2 for HTTP/2 asked
// for by name, grpc-js for grpc:// targets. Each sends one request per call and never retries.
import type { Sender, SenderOptions } from './result.js';
import { createUndiciSender } from './undici-sender.js';
import { createH2Sender } from './h2-sender.js';
import { createGrpcSender } from './grpc-sender.js';

export type { Headers, RawResult, Sender, SenderOptions } from './result.js';

export const isGrpcUrl = (url: URL): boolean => url.protocol === 'grpc:' || url.protocol === 'grpcs:';

export function createSender(opts: SenderOptions): Sender {
  if (isGrpcUrl(opts.url)) return createGrpcSender(opts);
  const protocol = opts.protocol ?? 'auto';
  if (protocol === 'h2' || protocol === 'h2c') return createH2Sender(opts);
  return createUndiciSender(opts, protocol === 'auto' && opts.url.protocol === 'https:');
}
