// What both gateway engines (real nginx, built-in Node proxy) offer the ingress.
import { existsSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { delimiter, join } from 'node:path';
import type { EngineOptions, RoutingModel } from './model.js';

export type EngineKind = 'nginx' | 'builtin';

export interface Engine {
  readonly kind: EngineKind;
  /** http://host:port of the listener. */
  readonly url: string;
  /** Make the gateway route by `model`; resolves once new connections see it. */
  apply(model: RoutingModel): Promise<void>;
  close(): Promise<void>;
}

export interface EngineStartOptions extends EngineOptions {
  dir: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
}

/** The nginx binary: /usr/sbin/nginx, else `nginx` on PATH, else undefined. */
export function findNginx(): string | undefined {
  const dirs = ['/usr/sbin', ...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean)];
  return dirs.map((d) => join(d, 'nginx')).find((p) => existsSync(p));
}

/** A port free right now on `host` (nginx cannot report the port it got for `listen :0`). */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr !== null ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** GET on a fresh connection; resolves with status and body, rejects on any error. */
export function getOnce(url: string, headers: Record<string, string> = {}, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
