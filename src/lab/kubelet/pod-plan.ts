// What the kubelet needs from a pod spec, read once into plain data: which app to run, where, how to
// probe it and how to stop it. Only the first container runs; the lab app is the only image there is.
import type { V1Container, V1EnvVar, V1LifecycleHandler, V1Pod, V1Probe } from '@kubernetes/client-node';
import { versionOfImage } from '../app/config.js';

export interface ProbePlan {
  path: string;
  port: number;
  initialDelayMs: number;
  periodMs: number;
  timeoutMs: number;
  successThreshold: number;
  failureThreshold: number;
}

export type HookPlan =
  | { kind: 'exec'; command: string[] }
  | { kind: 'sleep'; seconds: number }
  | { kind: 'httpGet'; path: string; port: number };

export interface PodPlan {
  namespace: string;
  name: string;
  uid: string;
  container: string;
  image: string;
  port: number;
  /** Container env with literal values and pod field references resolved (podIP filled in at start). */
  env: Record<string, string>;
  readiness?: ProbePlan;
  preStop?: HookPlan;
  graceSeconds: number;
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
}

export const DEFAULT_PORT = 8080;
export const DEFAULT_GRACE_SECONDS = 30;

export function planPod(pod: V1Pod): PodPlan {
  const container: V1Container = pod.spec?.containers[0] ?? { name: 'app' };
  const port = container.ports?.[0]?.containerPort ?? DEFAULT_PORT;
  const image = container.image ?? 'lab/app:latest';
  const readiness = container.readinessProbe ? probePlan(container.readinessProbe, container) : undefined;
  const preStop = container.lifecycle?.preStop ? hookPlan(container.lifecycle.preStop, container) : undefined;
  const policy = pod.spec?.restartPolicy;
  return {
    namespace: pod.metadata?.namespace ?? 'default',
    name: pod.metadata?.name ?? '',
    uid: pod.metadata?.uid ?? '',
    container: container.name,
    image,
    port,
    env: envOf(pod, container, image),
    ...(readiness ? { readiness } : {}),
    ...(preStop ? { preStop } : {}),
    graceSeconds: pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS,
    restartPolicy: policy === 'Never' || policy === 'OnFailure' ? policy : 'Always',
  };
}

// Probe defaults are Kubernetes' own: period 10 s, timeout 1 s, success 1, failure 3.
function probePlan(probe: V1Probe, container: V1Container): ProbePlan | undefined {
  if (!probe.httpGet) return undefined;
  return {
    path: probe.httpGet.path ?? '/',
    port: portOf(probe.httpGet.port, container),
    initialDelayMs: (probe.initialDelaySeconds ?? 0) * 1000,
    periodMs: (probe.periodSeconds ?? 10) * 1000,
    timeoutMs: (probe.timeoutSeconds ?? 1) * 1000,
    successThreshold: probe.successThreshold ?? 1,
    failureThreshold: probe.failureThreshold ?? 3,
  };
}

function hookPlan(hook: V1LifecycleHandler, container: V1Container): HookPlan | undefined {
  if (hook.exec?.command?.length) return { kind: 'exec', command: hook.exec.command };
  if (hook.sleep) return { kind: 'sleep', seconds: hook.sleep.seconds };
  if (hook.httpGet) return { kind: 'httpGet', path: hook.httpGet.path ?? '/', port: portOf(hook.httpGet.port, container) };
  return undefined;
}

/** A named port ("http") is looked up among the container's ports. */
export function portOf(port: number | string, container: V1Container): number {
  if (typeof port === 'number') return port;
  const named = container.ports?.find((p) => p.name === port)?.containerPort;
  return named ?? (Number(port) || DEFAULT_PORT);
}

function envOf(pod: V1Pod, container: V1Container, image: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const item of container.env ?? []) {
    const value = envValue(pod, item);
    if (value !== undefined) env[item.name] = value;
  }
  env['POD_NAME'] = pod.metadata?.name ?? '';
  env['VERSION'] ??= versionOfImage(image);
  env['IMAGE'] = image;
  return env;
}

function envValue(pod: V1Pod, item: V1EnvVar): string | undefined {
  if (item.value !== undefined) return item.value;
  const field = item.valueFrom?.fieldRef?.fieldPath;
  if (field === 'metadata.name') return pod.metadata?.name;
  if (field === 'metadata.namespace') return pod.metadata?.namespace;
  if (field === 'spec.nodeName') return pod.spec?.nodeName;
  return undefined;
}
