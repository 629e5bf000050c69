// The watcher's only way to the API server: GET (list, get, discovery) and streaming GET (watch).
// Results are plain data, never thrown; credentials stay inside the request options and are never echoed.
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

/** A successful GET's body is parsed JSON of whatever shape the path serves; readers say which they expect. */
export type GetResult = { ok: true; body: unknown } | { ok: false; status: number; message: string };

/** How a watch stream ended: the server closed it, the network broke, it was aborted, or an HTTP error. */
export type StreamEnd =
  | { how: 'closed' }
  | { how: 'error'; message: string }
  | { how: 'unreachable'; message: string }
  | { how: 'aborted' }
  | { how: 'status'; status: number; message: string };

export interface ApiClient {
  server: string;
  get(path: string, signal?: AbortSignal): Promise<GetResult>;
  /** Streams one JSON line at a time; onOpen fires once the server accepted the watch. */
  stream(path: string, onLine: (obj: unknown) => void, onOpen: () => void, signal: AbortSignal): Promise<StreamEnd>;
}

async function requestOptions(kc: KubeConfig, signal?: AbortSignal): Promise<https.RequestOptions> {
  const opts: https.RequestOptions = { headers: {} };
  await kc.applyToHTTPSOptions(opts);
  return {
    method: 'GET', agent: opts.agent, auth: opts.auth,
    headers: { ...opts.headers, Accept: 'application/json' }, ...(signal ? { signal } : {}),
  };
}

function open(kc: KubeConfig, path: string, signal?: AbortSignal): Promise<http.IncomingMessage> {
  const server = kc.getCurrentCluster()?.server ?? '';
  const url = new URL(server.replace(/\/$/, '') + path);
  return requestOptions(kc, signal).then((opts) => new Promise((resolve, reject) => {
    const req = (url.protocol === 'http:' ? http : https).request(url, opts, resolve);
    req.on('error', reject);
    // Half-open connections are caught by TCP keep-alive as well as by the watchdog.
    req.on('socket', (s) => s.setKeepAlive(true, 15_000));
    req.end();
  }));
}

function readBody(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

/** The API's own message from a Status body, else the HTTP reason. */
export function statusMessage(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body);
    if (typeof parsed?.message === 'string') return parsed.message;
  } catch { /* not JSON: fall through to the HTTP reason */ }
  return http.STATUS_CODES[status] ?? `HTTP ${status}`;
}

export const networkMessage = (err: unknown): string => {
  const e = err as NodeJS.ErrnoException;
  return e?.code ? `${e.code}${e.message && !e.message.includes(e.code) ? ` ${e.message}` : ''}` : String(e?.message ?? err);
};

const GET_TIMEOUT_MS = 15_000;

// Errors that mean no connection could be made at all (as opposed to one that broke).
const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);

async function get(kc: KubeConfig, path: string, signal?: AbortSignal): Promise<GetResult> {
  // A server that accepts the connection but never answers must not stall discovery or a re-list.
  const timeout = AbortSignal.timeout(GET_TIMEOUT_MS);
  try {
    const res = await open(kc, path, signal ? AbortSignal.any([signal, timeout]) : timeout);
    const body = await readBody(res);
    const status = res.statusCode ?? 0;
    if (status !== 200) return { ok: false, status, message: statusMessage(status, body) };
    return { ok: true, body: JSON.parse(body) };
  } catch (err) {
    return { ok: false, status: 0, message: timeout.aborted ? `no answer in ${GET_TIMEOUT_MS / 1000} s` : networkMessage(err) };
  }
}

async function stream(
  kc: KubeConfig, path: string, onLine: (obj: unknown) => void, onOpen: () => void, signal: AbortSignal,
): Promise<StreamEnd> {
  let res: http.IncomingMessage;
  try {
    res = await open(kc, path, signal);
  } catch (err) {
    if (signal.aborted) return { how: 'aborted' };
    const code = (err as NodeJS.ErrnoException)?.code ?? '';
    return UNREACHABLE.has(code) ? { how: 'unreachable', message: networkMessage(err) } : { how: 'error', message: networkMessage(err) };
  }
  const status = res.statusCode ?? 0;
  if (status !== 200) return { how: 'status', status, message: statusMessage(status, await readBody(res).catch(() => '')) };
  onOpen();
  return new Promise((resolve) => {
    let end: StreamEnd = { how: 'closed' };
    let rest = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        let obj: unknown;
        try { obj = JSON.parse(line); } catch { end = { how: 'error', message: 'unparsable watch line' }; res.destroy(); return; }
        onLine(obj);
      }
    });
    res.on('error', (err) => { if (end.how === 'closed') end = { how: 'error', message: networkMessage(err) }; });
    // 'close' always comes, whether the server ended the stream or the connection broke.
    res.on('close', () => {
      if (signal.aborted) return resolve({ how: 'aborted' });
      if (!res.complete && end.how === 'closed') end = { how: 'error', message: 'connection reset' };
      resolve(end);
    });
  });
}

/** `stop` aborts every request of this client (the watcher closing). */
export function apiClient(kc: KubeConfig, stop?: AbortSignal): ApiClient {
  const both = (signal?: AbortSignal): AbortSignal | undefined =>
    (signal && stop ? AbortSignal.any([signal, stop]) : signal ?? stop);
  return {
    server: kc.getCurrentCluster()?.server ?? '',
    get: (path, signal) => get(kc, path, both(signal)),
    stream: (path, onLine, onOpen, signal) => stream(kc, path, onLine, onOpen, signal),
  };
}
