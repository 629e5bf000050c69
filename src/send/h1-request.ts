// The bytes of the one request a probe sends, built once per connection kind: request line, Host
// (the URL's, or the one given), Connection, the given headers, Content-Length when there is a body
// (or 0 for a POST, PUT or PATCH without one, as undici sends), then the body.
import type { SenderOptions } from './result.js';

const OWN = new Set(['host', 'connection', 'content-length', 'transfer-encoding']);
const PAYLOAD_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const INVALID = /[\r\n\0]/;

export function requestBytes(opts: Pick<SenderOptions, 'url' | 'method' | 'headers' | 'data'>, keepAlive: boolean): Buffer {
  const given = Object.entries(opts.headers);
  for (const [name, value] of given) {
    if (INVALID.test(name) || INVALID.test(value) || name.includes(':')) throw new Error(`invalid header ${JSON.stringify(name)}: names and values cannot hold CR, LF, NUL (names no colon)`);
  }
  const host = given.find(([name]) => name.toLowerCase() === 'host')?.[1] ?? opts.url.host;
  const body = opts.data === undefined ? undefined : Buffer.from(opts.data);
  let head = `${opts.method} ${opts.url.pathname}${opts.url.search} HTTP/1.1\r\nhost: ${host}\r\nconnection: ${keepAlive ? 'keep-alive' : 'close'}\r\n`;
  for (const [name, value] of given) if (!OWN.has(name.toLowerCase())) head += `${name}: ${value}\r\n`;
  if (body) head += `content-length: ${body.length}\r\n`;
  else if (PAYLOAD_METHODS.has(opts.method.toUpperCase())) head += 'content-length: 0\r\n';
  return Buffer.concat([Buffer.from(`${head}\r\n`, 'latin1'), body ?? Buffer.alloc(0)]);
}
