// What the kubelet needs from a pod spec, read once into plain data: which containers to run (each
// the lab app, the only image there is), where, how to probe them and how to stop them. Native
// sidecars (initContainers with restartPolicy Always) come first, in order; other init containers are not run.
import type { V1Container, V1EnvVar, V1LifecycleHandler, V1Pod, V1Probe } from '@kubernetes/client-node';
import { versionOfImage } from '../app/config.js';

export type ProbeHandler =
  | { kind: 'httpGet'; path: string; port: number; scheme: 'http' | 'https' }
  | { kind: 'tcpSocket'; port: number }
  | { kind: 'exec'; command: string[] };

export type ProbeType = 'Readiness' | 'Liveness' | 'Startup';

export interface ProbePlan {
  handler: ProbeHandler;
  initialDelayMs: number;
  periodMs: number;
  timeoutMs: number;
  successThreshold: number;
  failureThreshold: number;
  /** probe.terminationGracePeriodSeconds: the grace of a liveness/startup kill, when set. */
  graceSeconds?: number;
}

export type HookPlan =
  | { kind: 'exec'; command: string[] }
  | { kind: 'sleep'; seconds: number }
  | { kind: 'httpGet'; path: string; port: number };

export interface ContainerPlan {
  name: string;
  image: string;
  port: number;
  /** Container env with literal values and pod field references resolved. */
  env: Record<string, string>;
  readiness?: ProbePlan;
  liveness?: ProbePlan;
  startup?: ProbePlan;
  preStop?: HookPlan;
  /** A native sidecar: an initContainer with restartPolicy Always (started first, stopped last). */
  sidecar: boolean;
}

export interface PodPlan {
  namespace: string;
  name: string;
  uid: string;
  /** Sidecars first, in spec order, then the main containers. */
  containers: ContainerPlan[];
  graceSeconds: number;
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
}

export const DEFAULT_PORT = 8080;
export const DEFAULT_GRACE_SECONDS = 30;

export function planPod(pod: V1Pod): PodPlan {
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  const main = pod.spec?.containers?.length ? pod.spec.containers : [{ name: 'app' }];
  const policy = pod.spec?.restartPolicy;
  return {
    namespace: pod.metadata?.namespace ?? 'default',
    name: pod.metadata?.name ?? '',
    uid: pod.metadata?.uid ?? '',
    containers: [...sidecars.map((c) => planContainer(pod, c, true)), ...main.map((c) => planContainer(pod, c, false))],
    graceSeconds: pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS,
    restartPolicy: policy === 'Never' || policy === 'OnFailure' ? policy : 'Always',
  };
}

function planContainer(pod: V1Pod, container: V1Container, sidecar: boolean): ContainerPlan {
  const image = container.image ?? 'lab/app:latest';
  const probe = (p: V1Probe | undefined): ProbePlan | undefined => (p ? probePlan(p, container) : undefined);
  const [readiness, liveness, startup] = [probe(container.readinessProbe), probe(container.livenessProbe), probe(container.startupProbe)];
  const preStop = container.lifecycle?.preStop ? hookPlan(container.lifecycle.preStop, container) : undefined;
  return {
    name: container.name,
    image,
    port: container.ports?.[0]?.containerPort ?? DEFAULT_PORT,
    env: envOf(pod, container, image),
    ...(readiness ? { readiness } : {}),
    ...(liveness ? { liveness } : {}),
    ...(startup ? { startup } : {}),
    ...(preStop ? { preStop } : {}),
    sidecar,
  };
}

// Probe defaults are Kubernetes' own: period 10 s, timeout 1 s, success 1, failure 3.
function probePlan(probe: V1Probe, container: V1Container): ProbePlan | undefined {
  const handler = probeHandler(probe, container);
  if (!handler) return undefined;
  return {
    handler,
    initialDelayMs: (probe.initialDelaySeconds ?? 0) * 1000,
    periodMs: (probe.periodSeconds ?? 10) * 1000,
    timeoutMs: (probe.timeoutSeconds ?? 1) * 1000,
    successThreshold: probe.successThreshold ?? 1,
    failureThreshold: probe.failureThreshold ?? 3,
    ...(probe.terminationGracePeriodSeconds !== undefined ? { graceSeconds: probe.terminationGracePeriodSeconds } : {}),
  };
}

function probeHandler(probe: V1Probe, container: V1Container): ProbeHandler | undefined {
  if (probe.httpGet) {
    const scheme = probe.httpGet.scheme?.toLowerCase() === 'https' ? 'https' : 'http';
    return { kind: 'httpGet', path: probe.httpGet.path ?? '/', port: portOf(probe.httpGet.port, container), scheme };
  }
  if (probe.tcpSocket) return { kind: 'tcpSocket', port: portOf(probe.tcpSocket.port, container) };
  if (probe.exec?.command?.length) return { kind: 'exec', command: probe.exec.command };
  return undefined;
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
