// The lab's Kubernetes-compatible API server: plain HTTP on loopback, a kubeconfig written to `dir`.

import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { handler } from './http.js';
import { Registry } from './registry.js';
import { findResource } from './resources.js';
import { Store } from './store.js';

export interface ApiServerOptions {
  /** Where the kubeconfig is written. */
  dir: string;
  host?: string;
  port?: number;
  /** How often watches with allowWatchBookmarks get a BOOKMARK (the real server: about a minute). */
  bookmarkIntervalMs?: number;
  /** Every watch ends after this many seconds (default 1800); informers then re-watch from their RV. */
  watchTimeoutSeconds?: number;
  /** Watch events kept for replay; older resourceVersions get 410 Gone. */
  maxEvents?: number;
}

export interface ApiServerHandle {
  url: string;
  /** Path of the kubeconfig file (context "lab", bearer token user). */
  kubeconfig: string;
  /** Drops the watch event log, so every older resourceVersion now gets 410 Gone (for tests). */
  compact: () => void;
  close: () => Promise<void>;
}

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function kubeconfigYaml(url: string, token: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: lab',
    '  cluster:',
    `    server: ${url}`,
    // client-node refuses plain HTTP unless this is set; there is no TLS to verify on loopback.
    '    insecure-skip-tls-verify: true',
    'users:',
    '- name: lab-admin',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: lab',
    '  context:',
    '    cluster: lab',
    '    user: lab-admin',
    '    namespace: default',
    'current-context: lab',
    'preferences: {}',
    '',
  ].join('\n');
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

function seedNamespaces(registry: Registry): void {
  const def = findResource('', 'v1', 'namespaces');
  if (!def) return;
  for (const name of SYSTEM_NAMESPACES) registry.create(def, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServerHandle> {
  const host = opts.host ?? '127.0.0.1';
  const store = new Store(opts.maxEvents);
  const registry = new Registry(store);
  seedNamespaces(registry);
  const watches = new Set<() => void>();
  const sockets = new Set<Socket>();
  const ctx = {
    registry,
    serverAddress: `${host}:0`,
    bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 15_000,
    watchTimeoutSeconds: opts.watchTimeoutSeconds ?? 1800,
    track: (end: () => void) => {
      watches.add(end);
      return () => watches.delete(end);
    },
  };
  const server = createServer(handler(ctx));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server, opts.port ?? 0, host);
  const url = `http://${host}:${port}`;
  ctx.serverAddress = `${host}:${port}`;
  await mkdir(opts.dir, { recursive: true });
  const kubeconfig = join(opts.dir, 'kubeconfig');
  await writeFile(kubeconfig, kubeconfigYaml(url, randomBytes(16).toString('hex')), { mode: 0o600 });
  const close = async (): Promise<void> => {
    for (const end of [...watches]) end();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  return { url, kubeconfig, compact: () => store.compact(), close };
}
