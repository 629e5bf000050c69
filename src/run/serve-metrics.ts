// `--metrics-addr`: a small HTTP server that answers GET /metrics with the run's metrics. It only
// reads counters the run updates once a second, so a scrape never touches the probe's hot path.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ZdError } from '../errors.js';
import { runMetrics, type RunMetrics } from './run-metrics.js';

export interface ListenAddress {
  host: string;
  port: number;
}

export interface MetricsServer {
  metrics: RunMetrics;
  /** Where it listens, e.g. http://127.0.0.1:9464/metrics (the port filled in when 0 was asked). */
  url: string;
  /** Stops serving, after `lingerMs` (a last scrape may still come). */
  close(lingerMs?: number): Promise<void>;
}

export async function serveMetrics(addr: ListenAddress, metrics: RunMetrics = runMetrics()): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '/').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('zdprobe serves /metrics\n');
      return;
    }
    metrics.text().then(
      (body) => res.writeHead(200, { 'content-type': metrics.contentType }).end(body),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${err.message}\n`),
    );
  });
  await listen(server, addr);
  const { port } = server.address() as AddressInfo;
  const host = addr.host.includes(':') ? `[${addr.host}]` : addr.host;
  return {
    metrics,
    url: `http://${host}:${port}/metrics`,
    close: async (lingerMs = 0) => {
      if (lingerMs > 0) await new Promise((r) => setTimeout(r, lingerMs));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function listen(server: Server, addr: ListenAddress): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new ZdError('usage', `--metrics-addr ${addr.host}:${addr.port}: cannot listen (${err.code ?? err.message})`)));
    server.listen(addr.port, addr.host, () => resolve());
  });
}
