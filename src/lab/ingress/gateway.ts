// Pick and start an engine: nginx when installed (engine 'auto'), else the built-in proxy.
import { ZdError } from '../../errors.js';
import { startBuiltin } from './builtin-engine.js';
import { findNginx } from './engine.js';
import type { EngineKind } from './engine.js';
import type { RoutingModel } from './model.js';
import { startNginx } from './nginx-engine.js';
import { startFront } from './front.js';

export interface GatewayOptions {
  dir: string;
  host?: string;
  port?: number;
  engine?: 'auto' | EngineKind;
  /** Absent: each route gets its real proxy's default (dialect.ts). */
  retry?: 'none';
  /** Upstream read timeout; absent: the real proxy's (builtin), 5 s (nginx). */
  readTimeoutMs?: number;
}

export interface Gateway {
  url: string;
  engine: EngineKind;
  /** Route by `model` from now on (nginx: render, test, reload if changed, wait until live). */
  applyModel(model: RoutingModel): Promise<void>;
  close(): Promise<void>;
}

export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const want = opts.engine ?? 'auto';
  const bin = want === 'builtin' ? undefined : findNginx();
  if (want === 'nginx' && bin === undefined) {
    throw new ZdError('unreachable', 'nginx is not installed (apt-get install nginx-light), use engine builtin');
  }
  const o = {
    dir: opts.dir, host: opts.host ?? '127.0.0.1', port: opts.port ?? 0,
    ...(opts.retry === undefined ? {} : { retry: opts.retry }),
    ...(opts.readTimeoutMs === undefined ? {} : { readTimeoutMs: opts.readTimeoutMs }),
  };
  if (bin === undefined) {
    const engine = await startBuiltin(o);
    return { url: engine.url, engine: engine.kind, applyModel: (m) => engine.apply(m), close: () => engine.close() };
  }
  // nginx listens on an internal port; clients talk to the front (see front.ts for why).
  const engine = await startNginx(bin, { ...o, port: 0 });
  const front = await startFront(o.host, o.port, engine.url).catch(async (e: unknown) => { await engine.close(); throw e; });
  return {
    url: front.url,
    engine: engine.kind,
    applyModel: (m) => engine.apply(m),
    close: async () => {
      await front.close();
      await engine.close();
    },
  };
}
