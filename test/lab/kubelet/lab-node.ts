// Test harness: a real lab API server plus one kubelet on its own loopback /24, torn down after.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { startApiServer } from '../../../src/lab/apiserver/index.js';
import { startKubelet } from '../../../src/lab/kubelet/index.js';
import type { Kubelet } from '../../../src/lab/kubelet/index.js';

export interface LabNode {
  dir: string;
  ipPrefix: string;
  kubelet: Kubelet;
  core: k8s.CoreV1Api;
  coordination: k8s.CoordinationV1Api;
  /** Every pod watch event seen since the start, with the local time it arrived. */
  podEvents: Array<{ type: string; pod: k8s.V1Pod; at: number }>;
  podLog(name: string): Promise<string>;
}

export async function withLabNode(fn: (lab: LabNode) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'zdprobe-kubelet-'));
  const server = await startApiServer({ dir });
  const octet = (): number => 20 + Math.floor(Math.random() * 230);
  const ipPrefix = `127.${octet()}.${octet()}.`;
  let kubelet: Kubelet | undefined;
  let watch: AbortController | undefined;
  try {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(server.kubeconfig);
    const podEvents: LabNode['podEvents'] = [];
    watch = await new k8s.Watch(kc).watch('/api/v1/pods', {}, (type, pod: k8s.V1Pod) => podEvents.push({ type, pod, at: Date.now() }), () => undefined);
    kubelet = await startKubelet({ kubeconfig: server.kubeconfig, nodeName: 'lab-node-1', dir, ipPrefix });
    await fn({
      dir, ipPrefix, kubelet, podEvents,
      core: kc.makeApiClient(k8s.CoreV1Api),
      coordination: kc.makeApiClient(k8s.CoordinationV1Api),
      podLog: (name) => readFile(join(dir, 'pods', `${name}.log`), 'utf8'),
    });
  } finally {
    watch?.abort();
    await kubelet?.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export function labPod(name: string, container: Partial<k8s.V1Container>, spec: Partial<k8s.V1PodSpec> = {}): k8s.V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'web' } },
    spec: { containers: [{ name: 'web', image: 'lab/web:1', ports: [{ containerPort: 8080 }], ...container }], ...spec },
  };
}

/** Polls `check` every 100 ms until it returns a value other than undefined/false, or fails after `ms`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms}ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const isReady = (pod: k8s.V1Pod): boolean =>
  pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

export async function podEventsOf(core: k8s.CoreV1Api, name: string): Promise<k8s.CoreV1Event[]> {
  const list = await core.listNamespacedEvent({ namespace: 'default' });
  return list.items.filter((e) => e.involvedObject.name === name);
}

/** The epoch ms of the first log line containing `text` (lines start with an ISO timestamp). */
export function lineTime(log: string, text: string): number {
  const line = log.split('\n').find((l) => l.includes(text));
  if (line === undefined) throw new Error(`no log line with "${text}" in:\n${log}`);
  return Date.parse(line.slice(0, 24));
}
