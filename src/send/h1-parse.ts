// A minimal HTTP/1.1 response reader for one connection: status line, headers, and the body framed by
// RFC 9112 §6.3 (no body for HEAD, 1xx, 204 and 304; chunked; Content-Length; else until close).
// Fed the socket's chunks as they come; 1xx responses are skipped. Body chunks are views into the
// socket's read buffer, valid only during the call: a sink that keeps one copies it.
import type { Headers } from './result.js';

export interface ResponseHead {
  status: number;
  headers: Headers;
  /** The connection may carry the next request once this response has ended. */
  keepAlive: boolean;
  /** The server's `Keep-Alive: timeout=N` in ms, when it gave one. */
  keepAliveMs?: number;
}

export interface ResponseSink {
  head(head: ResponseHead): void;
  body(chunk: Buffer): void;
  end(): void;
}

export class ParseError extends Error {
  readonly code = 'ZD_HTTP_PARSE';
}

const MAX_HEAD_BYTES = 64 * 1024;
const CRLF2 = Buffer.from('\r\n\r\n');

type State = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'close' | 'done';

export class ResponseReader {
  private state: State = 'head';
  private pending: Buffer | undefined = undefined;
  private left = 0;
  private keepAlive = false;

  constructor(private readonly sink: ResponseSink, private readonly headRequest = false) {}

  /** True once the response has ended; bytes after it mean the connection cannot be reused. */
  get done(): boolean {
    return this.state === 'done';
  }

  /** The body runs until the server closes the connection: a close ends it. */
  get endsAtClose(): boolean {
    return this.state === 'close';
  }

  /** False once the response ended with anything after it, or the server asked to close. */
  get reusable(): boolean {
    return this.state === 'done' && this.keepAlive && this.pending === undefined;
  }

  /** The server closed the connection: a body that runs until close ends here. */
  closed(): void {
    if (this.state !== 'close') return;
    this.state = 'done';
    this.sink.end();
  }

  feed(chunk: Buffer): void {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    let at = 0;
    while (at < buf.length) {
      const next = this.step(buf, at);
      if (next < 0) {
        this.pending = Buffer.from(buf.subarray(at)); // a copy: the socket's buffer is read into again
        if (this.state === 'head' && this.pending.length > MAX_HEAD_BYTES) throw new ParseError(`response head larger than ${MAX_HEAD_BYTES} bytes`);
        return;
      }
      at = next;
      if (this.state === 'done' && at < buf.length) {
        this.pending = Buffer.from(buf.subarray(at)); // more than was asked for: the connection is not reused
        return;
      }
    }
  }

  /** Reads from `at`; returns where the next step starts, or -1 when it needs more bytes. */
  private step(buf: Buffer, at: number): number {
    switch (this.state) {
      case 'head': return this.readHead(buf, at);
      case 'length': return this.readBody(buf, at, this.left === 0 || buf.length - at >= this.left ? 'done' : 'length');
      case 'close': return this.sink.body(buf.subarray(at)), buf.length;
      case 'chunk-size': return this.readChunkSize(buf, at);
      case 'chunk-data': return this.readBody(buf, at, buf.length - at >= this.left ? 'chunk-end' : 'chunk-data');
      case 'chunk-end': return this.readLine(buf, at, (line) => {
        if (line.length !== 0) throw new ParseError('chunk data not followed by CRLF');
        this.state = 'chunk-size';
      });
      case 'trailers': return this.readLine(buf, at, (line) => {
        if (line.length === 0) this.finish();
      });
      case 'done': return buf.length;
    }
  }

  private readHead(buf: Buffer, at: number): number {
    const end = buf.indexOf(CRLF2, at);
    if (end < 0) return -1;
    const head = parseHead(buf.toString('latin1', at, end));
    const next = end + 4;
    if (head.status < 200) return next; // informational: the real response follows
    this.keepAlive = head.keepAlive;
    this.sink.head(head);
    const framing = this.framing(head);
    if (framing === 'done') this.finish();
    else this.state = framing;
    return next;
  }

  private framing(head: ResponseHead): State {
    if (this.headRequest || head.status === 204 || head.status === 304) return 'done';
    const te = head.headers['transfer-encoding'];
    if (te !== undefined) {
      if (/(^|,)\s*chunked\s*$/i.test(String(te))) return 'chunk-size';
      this.keepAlive = false;
      return 'close';
    }
    const cl = head.headers['content-length'];
    if (cl === undefined) {
      this.keepAlive = false;
      return 'close';
    }
    const values = String(cl).split(/\s*,\s*/);
    if (!values.every((v) => v === values[0]) || !/^\d{1,15}$/.test(values[0] ?? '')) throw new ParseError(`invalid content-length: ${String(cl)}`);
    this.left = Number(values[0]);
    return this.left === 0 ? 'done' : 'length';
  }

  private readBody(buf: Buffer, at: number, after: State): number {
    const end = Math.min(buf.length, at + this.left);
    if (end > at) this.sink.body(buf.subarray(at, end));
    this.left -= end - at;
    if (after === 'done') this.finish();
    else this.state = after;
    return end;
  }

  private readChunkSize(buf: Buffer, at: number): number {
    return this.readLine(buf, at, (line) => {
      const size = /^([0-9a-fA-F]{1,12})[ \t]*(;.*)?$/.exec(line);
      if (!size?.[1]) throw new ParseError(`invalid chunk size line: ${line.slice(0, 40)}`);
      this.left = parseInt(size[1], 16);
      this.state = this.left === 0 ? 'trailers' : 'chunk-data';
    });
  }

  private readLine(buf: Buffer, at: number, use: (line: string) => void): number {
    const end = buf.indexOf('\r\n', at, 'latin1');
    if (end < 0) return -1;
    use(buf.toString('latin1', at, end));
    return end + 2;
  }

  private finish(): void {
    this.state = 'done';
    this.sink.end();
  }
}

/** Status line and header fields; names lower-cased, repeated fields as arrays (as undici gives them). */
export function parseHead(text: string): ResponseHead {
  const lines = text.split('\r\n');
  const statusLine = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/.exec(lines[0] ?? '');
  if (!statusLine) throw new ParseError(`not an HTTP/1.x status line: ${(lines[0] ?? '').slice(0, 40)}`);
  const headers: Headers = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    if (colon <= 0 || line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9) throw new ParseError(`invalid header line: ${line.slice(0, 40)}`);
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    const had = headers[name];
    headers[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  }
  const connection = String(headers.connection ?? '').toLowerCase();
  const keepAlive = statusLine[1] === '1' ? !/\bclose\b/.test(connection) : /\bkeep-alive\b/.test(connection);
  const head: ResponseHead = { status: Number(statusLine[2]), headers, keepAlive };
  const hint = /\btimeout=(\d+)/.exec(String(headers['keep-alive'] ?? ''));
  if (hint?.[1]) head.keepAliveMs = Number(hint[1]) * 1000;
  return head;
}
