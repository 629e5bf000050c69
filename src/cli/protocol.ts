// A target's protocol and method, checked against its URL: h2 needs https://, h2c http://, and a
// grpc:// target always speaks HTTP/2 and takes a gRPC method (pkg.Service/Method) or the health check.
import type { HttpProtocol, ProbeConfig } from '../types.js';
import { usage } from '../errors.js';

export const PROTOCOLS: readonly HttpProtocol[] = ['auto', 'h1', 'h2', 'h2c'];

/** `pkg.Service/Method`, the form of a gRPC method (an HTTP method never holds a slash). */
export const isGrpcMethod = (text: string): boolean => /^[\w.]+\/\w+$/.test(text);

const isGrpc = (url: URL): boolean => url.protocol === 'grpc:' || url.protocol === 'grpcs:';

export function parseProtocol(text: string, where: string): HttpProtocol {
  const p = PROTOCOLS.find((x) => x === text);
  if (!p) throw usage(`${where} "${text}" must be one of ${PROTOCOLS.join(', ')}`);
  return p;
}

/**
 * `config` with `protocol` and `method` applied (each undefined: left as it is). `method` is the text
 * the user gave: an HTTP method, or for a grpc target `pkg.Service/Method`.
 */
export function withProtocol(config: ProbeConfig, protocol: HttpProtocol | undefined, method: string | undefined, where: string): ProbeConfig {
  const url = new URL(config.url);
  const out: ProbeConfig = { ...config };
  if (protocol !== undefined && protocol !== 'auto') out.protocol = protocol;
  else delete out.protocol;
  if (isGrpc(url)) return grpcTarget(out, method, where);
  delete out.grpcMethod;
  if (method !== undefined && isGrpcMethod(method)) throw usage(`${where}: method "${method}" is a gRPC method: use a grpc:// or grpcs:// URL`);
  if (method !== undefined) out.method = method.toUpperCase();
  if (out.protocol === 'h2' && url.protocol !== 'https:') throw usage(`${where}: protocol h2 needs an https:// URL (HTTP/2 without TLS is h2c)`);
  if (out.protocol === 'h2c' && url.protocol !== 'http:') throw usage(`${where}: protocol h2c is HTTP/2 without TLS: use an http:// URL, or h2 for https://`);
  return out;
}

function grpcTarget(config: ProbeConfig, method: string | undefined, where: string): ProbeConfig {
  if (config.protocol !== undefined) throw usage(`${where}: a grpc:// target always speaks HTTP/2 (grpcs:// over TLS): drop the protocol`);
  const out = { ...config };
  delete out.grpcMethod;
  if (method === undefined || method.toUpperCase() === 'GET') return out; // the health check
  if (!isGrpcMethod(method)) throw usage(`${where}: method "${method}" of a grpc target must be pkg.Service/Method (or leave it out for grpc.health.v1.Health/Check)`);
  out.grpcMethod = method;
  return out;
}
