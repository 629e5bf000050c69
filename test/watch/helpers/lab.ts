// The lab API server plus client-node clients and an event collector, for the watcher's integration tests.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { startApiServer } from '../../../src/lab/apiserver/index.js';
import type { ClusterEvent, ConfigSnapshot } from '../../../src/types.js';
import { isEvent, type ClusterKind, type EventOf } from '../../../src/watch/cluster-event.js';
import { loadKubeConfig } from '../../../src/kube/kubeconfig.js';

export interface Lab {
  dir: string;
  url: string;
  kubeconfig: string;
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  discovery: k8s.DiscoveryV1Api;
  custom: k8s.CustomObjectsApi;
  compact(): void;
  /** A kubeconfig like the lab's but pointing at another server URL (a proxy). */
  kubeconfigFor(url: string): Promise<string>;
  close(): Promise<void>;
}

export async function startLab(opts: { bookmarkIntervalMs?: number } = {}): Promise<Lab> {
  const dir = await mkdtemp(join(tmpdir(), 'zdprobe-watch-'));
  const srv = await startApiServer({ dir, ...(opts.bookmarkIntervalMs ? { bookmarkIntervalMs: opts.bookmarkIntervalMs } : {}) });
  const loaded = loadKubeConfig({ kubeconfig: srv.kubeconfig });
  if (!loaded.ok) throw new Error(loaded.problem);
  const kc = loaded.kc;
  return {
    dir, url: srv.url, kubeconfig: srv.kubeconfig,
    core: kc.makeApiClient(k8s.CoreV1Api), apps: kc.makeApiClient(k8s.AppsV1Api),
    discovery: kc.makeApiClient(k8s.DiscoveryV1Api), custom: kc.makeApiClient(k8s.CustomObjectsApi),
    compact: srv.compact,
    kubeconfigFor: async (url) => {
      const text = (await readFile(srv.kubeconfig, 'utf8')).replace(srv.url, url);
      const file = join(dir, `kubeconfig-${url.replace(/\W+/g, '-')}`);
      await writeFile(file, text, { mode: 0o600 });
      return file;
    },
    close: async () => {
      await srv.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Collects what a watcher reports and waits (bounded) for what a test expects. */
export class Collector {
  events: ClusterEvent[] = [];
  configs: ConfigSnapshot[] = [];
  onEvent = (e: ClusterEvent): void => { this.events.push(e); };
  onConfig = (s: ConfigSnapshot): void => { this.configs.push(s); };

  async waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 8_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const v = probe();
      if (v) return v;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`timed out waiting for ${what}; saw:\n${this.events.map(line).join('\n')}`);
  }

  find<K extends ClusterKind, T extends string>(kind: K, type: T, name?: string): EventOf<K, T> | undefined {
    return this.events.find((e): e is EventOf<K, T> => isEvent(e, kind, type) && (name === undefined || e.name === name));
  }

  /** "kind type name" of each event, skipping watch bookkeeping, for exact sequence checks. */
  lines(filter: (e: ClusterEvent) => boolean = (e) => e.kind !== 'watch'): string[] {
    return this.events.filter(filter).map(line);
  }
}

export const line = (e: ClusterEvent): string => `${e.kind} ${e.type} ${e.name}`;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
