// A real local gRPC server (grpc-js) with the standard health service and one unary method,
// counting exactly what it answered.
import { Metadata, Server, ServerCredentials, type ServerUnaryCall, type sendUnaryData, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { HEALTH_PACKAGE } from '../../src/send/grpc-health.js';

export interface GrpcServer {
  url: string;
  /** What the server did, by kind ("SERVING", "NOT_SERVING", "Ping", "unanswered"). */
  did: Record<string, number>;
  /** Each call's `:path` and the health service it asked about. */
  calls: string[];
  close(): Promise<void>;
}

/** Call n of the health service: answer with this status, or 'stop' to shut the server down unanswered. */
type HealthBehaviour = (n: number) => 'SERVING' | 'NOT_SERVING' | 'stop';

const raw = (b: Buffer): Buffer => b;
const PING = { Ping: { path: '/test.Echo/Ping', requestStream: false, responseStream: false, requestSerialize: raw, requestDeserialize: raw, responseSerialize: raw, responseDeserialize: raw } };

/** With `tls`, a grpcs:// server. */
export async function startGrpcServer(health: HealthBehaviour, version = '1', tls?: { key: Buffer; cert: Buffer }): Promise<GrpcServer> {
  const did: Record<string, number> = {};
  const calls: string[] = [];
  const bump = (k: string): void => void (did[k] = (did[k] ?? 0) + 1);
  const server = new Server();
  const meta = (): Metadata => {
    const m = new Metadata();
    m.set('x-app-version', version);
    return m;
  };
  let n = 0;
  const check = (call: ServerUnaryCall<{ service: string }, unknown>, reply: sendUnaryData<unknown>): void => {
    calls.push(`Check ${call.request.service}`);
    const status = health(n++);
    if (status === 'stop') return bump('unanswered'), server.forceShutdown();
    bump(status);
    call.sendMetadata(meta());
    reply(null, { status });
  };
  const ping = (call: ServerUnaryCall<Buffer, Buffer>, reply: sendUnaryData<Buffer>): void => {
    calls.push('Ping');
    bump('Ping');
    call.sendMetadata(meta());
    reply(null, Buffer.alloc(0));
  };
  server.addService(HEALTH_PACKAGE['grpc.health.v1.Health'] as never, { Check: check } as UntypedServiceImplementation);
  server.addService(PING, { Ping: ping } as UntypedServiceImplementation);
  const creds = tls ? ServerCredentials.createSsl(null, [{ private_key: tls.key, cert_chain: tls.cert }]) : ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', creds, (err, p) => (err ? reject(err) : resolve(p))));
  return { url: `${tls ? 'grpcs' : 'grpc'}://127.0.0.1:${port}`, did, calls, close: async () => void server.forceShutdown() };
}
