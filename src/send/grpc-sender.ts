// gRPC targets (grpc:// and grpcs://) with @grpc/grpc-js, its transparent retries off: each call is
// grpc.health.v1.Health/Check (the URL's path names the service, if any) or, with `grpcMethod`, that
// unary method with an empty request. 'reuse' keeps one channel for the run, 'new' opens one per call.
import { credentials, Client, Metadata, status as Status, type ChannelOptions, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import type { ConnMode } from '../types.js';
import { monotonicClock } from '../schedule/run-schedule.js';
import { HEALTH_CHECK } from './grpc-health.js';
import { UnfinishedError, type Headers, type RawResult, type Sender, type SenderOptions } from './result.js';

/** The gRPC code's name: 14 -> "UNAVAILABLE". */
const codeName = (code: number): string => Status[code] ?? `CODE_${code}`;

interface Call {
  path: string;
  serialize(): Buffer;
  /** The health check's serving status, when this call is a health check. */
  servingStatus(response: unknown): string | undefined;
}

function callOf(opts: SenderOptions): Call {
  if (opts.grpcMethod) return { path: `/${opts.grpcMethod}`, serialize: () => Buffer.alloc(0), servingStatus: () => undefined };
  const request = { service: decodeURIComponent(opts.url.pathname.replace(/^\/+/, '')) };
  return {
    path: HEALTH_CHECK.path,
    serialize: () => HEALTH_CHECK.requestSerialize(request),
    servingStatus: (r) => String((r as { status?: unknown } | undefined)?.status ?? 'UNKNOWN'),
  };
}

function channelOf(opts: SenderOptions): { address: string; creds: ReturnType<typeof credentials.createInsecure>; options: ChannelOptions } {
  const tls = opts.url.protocol === 'grpcs:';
  const address = `${opts.url.hostname}:${opts.url.port || (tls ? 443 : 80)}`;
  const creds = tls
    ? credentials.createSsl(opts.ca ? Buffer.from(opts.ca) : null, opts.key ? Buffer.from(opts.key) : null, opts.cert ? Buffer.from(opts.cert) : null, opts.insecure ? { rejectUnauthorized: false } : {})
    : credentials.createInsecure();
  const host = Object.entries(opts.headers).find(([k]) => k.toLowerCase() === 'host')?.[1];
  // No transparent retries, no retry policy, and a channel of our own (not grpc-js's shared subchannels).
  const options: ChannelOptions = { 'grpc.enable_retries': 0, 'grpc.use_local_subchannel_pool': 1, ...(host ? { 'grpc.default_authority': host } : {}) };
  return { address, creds, options };
}

function metadataOf(headers: Record<string, string>): Metadata {
  const m = new Metadata();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() !== 'host') m.set(k.toLowerCase(), v);
  return m;
}

/** Response headers and trailers, as one header map for the version and instance taggers. */
function headersOf(meta: Metadata[]): Headers {
  const out: Headers = {};
  for (const m of meta) for (const [k, v] of Object.entries(m.getMap())) out[k] ??= Buffer.isBuffer(v) ? v.toString('utf8') : v;
  return out;
}

export function createGrpcSender(opts: SenderOptions): Sender {
  const clock = opts.clock ?? monotonicClock;
  const call = callOf(opts);
  const { address, creds, options } = channelOf(opts);
  const metadata = metadataOf(opts.headers);
  const protocol = opts.url.protocol === 'grpcs:' ? 'h2' : 'h2c';
  const clients = new Set<Client>();
  const inFlight = new Set<(err: Error) => void>();
  let shared: Client | undefined;
  let reported = false;

  const open = (): Client => {
    const c = new Client(address, creds, options);
    clients.add(c);
    return c;
  };

  const send = (mode: ConnMode, done: (r: RawResult) => void): void => {
    const sentAt = clock.now();
    const client = mode === 'new' ? open() : (shared ??= open());
    const meta: Metadata[] = [];
    let finished = false;
    const finish = (r: Omit<RawResult, 'sentAt' | 'endedAt' | 'body'>): void => {
      if (finished) return;
      finished = true;
      inFlight.delete(cancel);
      if (mode === 'new') clients.delete(client), client.close();
      done({ sentAt, endedAt: clock.now(), body: '', ...r });
    };
    const cancel = (err: Error): void => {
      unary.cancel();
      finish({ error: err });
    };
    inFlight.add(cancel);
    let reply: { err: ServiceError | null; response?: unknown } | undefined;
    const deserialize = (b: Buffer): unknown => (opts.grpcMethod ? b : HEALTH_CHECK.responseDeserialize(b));
    const unary = client.makeUnaryRequest(call.path, call.serialize, deserialize, {}, metadata, { deadline: Date.now() + opts.timeoutMs }, (err: ServiceError | null, response?: unknown) => void (reply = { err, response }));
    unary.on('metadata', (m: Metadata) => {
      meta.push(m);
      if (!reported) (reported = true), opts.onProtocol?.(protocol); // a response came over HTTP/2
    });
    // The status comes after the callback, with the trailers: the outcome is settled here.
    unary.on('status', (s: StatusObject) => {
      const headers = headersOf([...meta, s.metadata]);
      const err = reply?.err;
      if (err) return finish({ code: codeName(err.code), message: err.details || err.message, headers });
      const serving = call.servingStatus(reply?.response);
      finish(serving === undefined || serving === 'SERVING' ? { code: 'OK', headers } : { code: serving, message: `health check answered ${serving}`, headers });
    });
  };

  return {
    send,
    interrupt() {
      for (const cancel of [...inFlight]) cancel(new UnfinishedError('the run was stopped before the response came'));
    },
    async close() {
      for (const c of clients) c.close();
      clients.clear();
    },
  };
}
