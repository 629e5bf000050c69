// Test harness: the lab API server plus the controllers, and a tiny stand-in kubelet that binds
// pods, marks them Running/Ready with an IP, and finalizes graceful deletions after a delay.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { startApiServer } from '../../../src/lab/apiserver/index.js';
import { startControllers } from '../../../src/lab/controllers/index.js';
import type { ControllerName, Controllers } from '../../../src/lab/controllers/index.js';

export const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

export interface Lab {
  kubeconfig: string;
  controllers: Controllers;
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  discovery: k8s.DiscoveryV1Api;
  custom: k8s.CustomObjectsApi;
}

export async function withLab(names: ControllerName[], fn: (lab: Lab) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'zdprobe-ctrl-'));
  const server = await startApiServer({ dir });
  let controllers: Controllers | undefined;
  try {
    controllers = await startControllers({ kubeconfig: server.kubeconfig, controllers: names, resyncMs: 1000 });
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(server.kubeconfig);
    await fn({
      kubeconfig: server.kubeconfig,
      controllers,
      core: kc.makeApiClient(k8s.CoreV1Api),
      apps: kc.makeApiClient(k8s.AppsV1Api),
      discovery: kc.makeApiClient(k8s.DiscoveryV1Api),
      custom: kc.makeApiClient(k8s.CustomObjectsApi),
    });
  } finally {
    await controllers?.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Polls `check` every 100 ms until it returns something truthy, or fails after `ms`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface FakeKubelet {
  stop(): Promise<void>;
}

/** Marks every pod Ready with an address, and removes deleted pods after `finalizeMs`. */
export function fakeKubelet(core: k8s.CoreV1Api, ipPrefix: string, finalizeMs = 200): FakeKubelet {
  let stopped = false;
  let n = 2;
  const ips = new Map<string, string>();
  const seenDeleting = new Map<string, number>();
  const tick = async (): Promise<void> => {
    const pods = (await core.listNamespacedPod({ namespace: 'default' })).items;
    for (const pod of pods) {
      const name = pod.metadata?.name ?? '';
      if (pod.metadata?.deletionTimestamp) {
        const since = seenDeleting.get(name) ?? Date.now();
        seenDeleting.set(name, since);
        if (Date.now() - since >= finalizeMs) await core.deleteNamespacedPod({ name, namespace: 'default', gracePeriodSeconds: 0 }).catch(() => undefined);
        continue;
      }
      if (!pod.spec?.nodeName) {
        const body = { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: 'fake-node' } };
        await core.createNamespacedPodBinding({ name, namespace: 'default', body });
      }
      if (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
      const ip = ips.get(name) ?? `${ipPrefix}${n++}`;
      ips.set(name, ip);
      const now = new Date().toISOString();
      const conditions = ['Ready', 'ContainersReady'].map((type) => ({ type, status: 'True', lastTransitionTime: now }));
      const body = { status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], hostIP: `${ipPrefix}1`, conditions } };
      await core.patchNamespacedPodStatus({ name, namespace: 'default', body }, merge);
    }
  };
  const done = (async () => {
    while (!stopped) {
      await tick().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 150));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await done;
    },
  };
}

export function webDeployment(version: number, replicas: number, strategy: k8s.V1DeploymentStrategy): k8s.V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      strategy,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web', version: `v${version}` } },
        spec: { containers: [{ name: 'web', image: `lab/web:${version}`, ports: [{ name: 'http', containerPort: 8080 }] }] },
      },
    },
  };
}

export const randomPrefix = (): string => `127.${20 + Math.floor(Math.random() * 230)}.${1 + Math.floor(Math.random() * 249)}.`;
