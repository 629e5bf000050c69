// A real lab API server per test, clients built from the kubeconfig it wrote, and kubectl runs.

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { startApiServer, type ApiServerHandle, type ApiServerOptions } from '../../../src/lab/apiserver/index.js';

export interface Lab {
  server: ApiServerHandle;
  dir: string;
  kc: k8s.KubeConfig;
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  custom: k8s.CustomObjectsApi;
}

export async function withLab(fn: (lab: Lab) => Promise<void>, opts: Partial<ApiServerOptions> = {}): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'zdprobe-apiserver-'));
  const server = await startApiServer({ dir, ...opts });
  try {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(server.kubeconfig);
    await fn({
      server,
      dir,
      kc,
      core: kc.makeApiClient(k8s.CoreV1Api),
      apps: kc.makeApiClient(k8s.AppsV1Api),
      custom: kc.makeApiClient(k8s.CustomObjectsApi),
    });
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export const KUBECTL = '/usr/bin/kubectl';

/** Runs kubectl against the lab (own discovery cache dir); resolves with exit code and output. */
export function kubectl(lab: Lab, args: string[], timeoutMs = 30_000): Promise<{ code: number; stdout: string; stderr: string }> {
  const all = ['--kubeconfig', lab.server.kubeconfig, '--cache-dir', join(lab.dir, 'cache'), ...args];
  return new Promise((resolve) => {
    execFile(KUBECTL, all, { timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The HTTP status of a failed client-node call (ApiException.code), or a rethrow. */
export async function statusOf(p: Promise<unknown>): Promise<{ code: number; body: { reason?: string; code?: number } }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof k8s.ApiException) {
      const body = typeof err.body === 'string' ? JSON.parse(err.body) : err.body;
      return { code: err.code, body };
    }
    throw err;
  }
  throw new Error('expected the call to fail');
}

export function pod(name: string, labels: Record<string, string> = {}, extra: Partial<k8s.V1PodSpec> = {}): k8s.V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'web', image: 'lab/web:1', ports: [{ containerPort: 8080 }] }], ...extra },
  };
}

export function deployment(name: string, image = 'lab/web:1', replicas = 2): k8s.V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, version: 'v1' } },
        spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 8080 }] }] },
      },
    },
  };
}

/** Polls `check` every 20 ms until it returns true or `ms` pass. */
export async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
