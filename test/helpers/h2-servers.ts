// Real local HTTP/2 servers (TLS with ALPN, or h2c) that misbehave on purpose, each counting exactly
// what it did and which HTTP version each request came in.
import http2, { type Http2Session, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';

export interface H2Server {
  url: string;
  /** What the server did, by kind ("200", "stream-reset", "refused-stream", "goaway": the names of the client's classes). */
  did: Record<string, number>;
  /** Requests by the HTTP version they came in ("2.0", "1.1"). */
  versions: Record<string, number>;
  /** HTTP/2 connections (sessions) the clients opened. */
  sessions(): number;
  close(): Promise<void>;
}

type H2Behaviour = (n: number, stream: ServerHttp2Stream) => string;

const bump = (m: Record<string, number>, k: string): void => void (m[k] = (m[k] ?? 0) + 1);

/** An HTTP/2 server; with `tls` it also accepts HTTP/1.1 (ALPN), answered 200 and counted as such. */
export async function startH2Server(behaviour: H2Behaviour, tls?: { key: Buffer; cert: Buffer }): Promise<H2Server> {
  const did: Record<string, number> = {};
  const versions: Record<string, number> = {};
  const sessions = new Set<Http2Session>();
  let n = 0;
  let opened = 0;
  const server = tls ? http2.createSecureServer({ ...tls, allowHTTP1: true }) : http2.createServer();
  server.on('stream', (stream) => {
    stream.on('error', () => undefined); // a stream reset or refused on purpose
    bump(versions, '2.0');
    bump(did, behaviour(n++, stream));
  });
  server.on('request', (req, res) => {
    if (req.httpVersion === '2.0') return;
    bump(versions, req.httpVersion);
    bump(did, h1Answer(res));
  });
  server.on('session', (s) => {
    opened += 1;
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/`,
    did,
    versions,
    sessions: () => opened,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sessions) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function h1Answer(res: http2.Http2ServerResponse): string {
  res.setHeader('x-app-version', '1');
  res.end('Version 1 of my awesome app!');
  return '200';
}

export const h2Answer = (stream: ServerHttp2Stream, status: number, version: string): string => {
  stream.respond({ ':status': status, 'x-app-version': version });
  stream.end(`Version ${version} of my awesome app!`);
  return String(status);
};

/** Resets the stream with this HTTP/2 error code instead of answering. */
export const resetStream = (stream: ServerHttp2Stream, code: number): string => {
  stream.close(code);
  return code === http2.constants.NGHTTP2_REFUSED_STREAM ? 'refused-stream' : 'stream-reset';
};

/** Goes away mid-request: GOAWAY with an error code instead of the answer, then drops the connection. */
export const goAway = (stream: ServerHttp2Stream): string => {
  const session = stream.session;
  session?.goaway(http2.constants.NGHTTP2_INTERNAL_ERROR);
  setImmediate(() => session?.destroy());
  return 'goaway';
};

/** Of every ten requests: the 3rd is reset, the 6th refused, the 9th dropped by a GOAWAY; the rest answer 200. */
export const misbehaving: H2Behaviour = (n, stream) => {
  if (n % 10 === 2) return resetStream(stream, http2.constants.NGHTTP2_INTERNAL_ERROR);
  if (n % 10 === 5) return resetStream(stream, http2.constants.NGHTTP2_REFUSED_STREAM);
  if (n % 10 === 8) return goAway(stream);
  return h2Answer(stream, 200, '1');
};
