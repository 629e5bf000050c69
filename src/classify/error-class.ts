// Requests without an HTTP response get one error class; the message is always kept.
import type { ErrorClass } from '../types.js';

const byCode: Record<string, ErrorClass> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ZD_TIMEOUT: 'timeout',
  ZD_UNFINISHED: 'unfinished',
  ZD_CLOSED: 'reset',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_NONAME: 'dns',
  ENODATA: 'dns',
  ZD_H2_GOAWAY: 'goaway',
  ZD_H2_REFUSED: 'refused-stream',
  ZD_H2_RESET: 'stream-reset',
  ERR_HTTP2_GOAWAY_SESSION: 'goaway',
  ERR_HTTP2_SESSION_ERROR: 'goaway',
};

/** HTTP/2 errors whose class is only in the message: node's stream errors and undici's h2 client. */
function http2Class(code: string, message: string): ErrorClass | undefined {
  if (code === 'ERR_HTTP2_STREAM_ERROR') return /REFUSED_STREAM/.test(message) ? 'refused-stream' : 'stream-reset';
  if (/^HTTP\/2: "GOAWAY"/.test(message)) return 'goaway';
  if (/^HTTP\/2: (stream|"stream error")/.test(message)) return / code 7\b/.test(message) ? 'refused-stream' : 'stream-reset';
  return undefined;
}

const tlsCode = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|ERR_OSSL_)/;

export interface Classified {
  error: ErrorClass;
  message: string;
  remote?: string;
}

export function classifyError(err: unknown): Classified {
  const e = (err ?? {}) as { code?: string; message?: string; cause?: unknown; address?: string; port?: number; socket?: { remoteAddress?: string; remotePort?: number } };
  const code = e.code ?? '';
  const message = e.message || String(err);
  const remote = remoteOf(e);
  const cls = http2Class(code, message) ?? byCode[code] ?? (tlsCode.test(code) ? 'tls' : undefined);
  if (cls) return withRemote({ error: cls, message }, remote);
  if (e.cause && e.cause !== err) {
    const inner = classifyError(e.cause);
    if (inner.error !== 'other') return withRemote({ ...inner, message: `${message}: ${inner.message}` }, remote ?? inner.remote);
  }
  return withRemote({ error: 'other', message: code ? `${code}: ${message}` : message }, remote);
}

function remoteOf(e: { address?: string; port?: number; socket?: { remoteAddress?: string; remotePort?: number } }): string | undefined {
  if (e.socket?.remoteAddress) return `${e.socket.remoteAddress}:${e.socket.remotePort ?? ''}`;
  if (e.address) return e.port ? `${e.address}:${e.port}` : e.address;
  return undefined;
}

const withRemote = (c: Classified, remote: string | undefined): Classified => (remote ? { ...c, remote } : c);
