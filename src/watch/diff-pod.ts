// Pod lifecycle transitions, as a pure function of two observations of one pod.
import type { ClusterEvent, KubeObject } from '../types.js';
import { clusterEvent, serverTime } from './event.js';

type Cond = { type?: string; status?: string; lastTransitionTime?: string; reason?: string; message?: string };
type Terminated = { exitCode?: number; reason?: string; signal?: number; finishedAt?: string };
type ContainerState = { running?: { startedAt?: string }; terminated?: Terminated };
type ContainerStatus = { name?: string; restartCount?: number; state?: ContainerState; lastState?: ContainerState };
type Hook = { sleep?: { seconds?: number }; exec?: { command?: string | string[] }; httpGet?: { path?: string } };
type Container = { lifecycle?: { preStop?: Hook } };

function condition(pod: KubeObject | undefined, type: string): Cond | undefined {
  const list: Cond[] = pod?.status?.conditions ?? [];
  return list.find((c) => c.type === type);
}

const isTrue = (pod: KubeObject | undefined, type: string): boolean => condition(pod, type)?.status === 'True';

function statuses(pod: KubeObject | undefined): Map<string, ContainerStatus> {
  const list: ContainerStatus[] = pod?.status?.containerStatuses ?? [];
  return new Map(list.map((s) => [s.name ?? '', s]));
}

/** "sleep 5s", "exec: /bin/drain", "httpGet /shutdown", or null: how the preStop hook runs. */
export function describePreStop(pod: KubeObject | undefined): string | null {
  const containers: Container[] = pod?.spec?.containers ?? pod?.spec?.template?.spec?.containers ?? [];
  for (const c of containers) {
    const hook = c?.lifecycle?.preStop;
    if (!hook) continue;
    if (hook.sleep?.seconds !== undefined) return `sleep ${hook.sleep.seconds}s`;
    if (hook.exec?.command) return `exec: ${([] as string[]).concat(hook.exec.command).join(' ')}`;
    if (hook.httpGet) return `httpGet ${hook.httpGet.path ?? '/'}`;
    return 'unknown';
  }
  return null;
}

/** Fields of every pod event: where it runs. */
function place(pod: KubeObject): { ip: string | null; node: string | null } {
  return { ip: pod.status?.podIP ?? null, node: pod.spec?.nodeName ?? null };
}

function created(cur: KubeObject, at: number): ClusterEvent {
  const owner = cur.metadata?.ownerReferences as Array<{ kind?: string; name?: string }> | undefined;
  return clusterEvent(at, cur, {
    kind: 'pod', type: 'created', ...place(cur),
    owner: owner?.[0] ? `${owner[0].kind}/${owner[0].name}` : null,
    version: cur.metadata?.labels?.['version'] ?? null,
    phase: cur.status?.phase ?? null,
    readinessProbe: ((cur.spec?.containers ?? []) as Array<{ readinessProbe?: unknown }>).some((c) => !!c?.readinessProbe),
  }, serverTime(cur.metadata?.creationTimestamp));
}

function scheduling(old: KubeObject | undefined, cur: KubeObject, at: number): ClusterEvent[] {
  const was = isTrue(old, 'PodScheduled') || !!old?.spec?.nodeName;
  const now = isTrue(cur, 'PodScheduled') || !!cur.spec?.nodeName;
  if (was || !now) return [];
  const when = serverTime(condition(cur, 'PodScheduled')?.lastTransitionTime);
  return [clusterEvent(at, cur, { kind: 'pod', type: 'scheduled', ...place(cur) }, when)];
}

function address(old: KubeObject | undefined, cur: KubeObject, at: number): ClusterEvent[] {
  const ip = cur.status?.podIP;
  if (!ip || ip === old?.status?.podIP) return [];
  return [clusterEvent(at, cur, { kind: 'pod', type: 'ip', ...place(cur) })];
}

function readiness(old: KubeObject | undefined, cur: KubeObject, at: number): ClusterEvent[] {
  const out: ClusterEvent[] = [];
  for (const type of ['ContainersReady', 'Ready']) {
    const now = isTrue(cur, type);
    if (now === isTrue(old, type)) continue;
    const when = serverTime(condition(cur, type)?.lastTransitionTime);
    out.push(clusterEvent(at, cur, { kind: 'pod', type: now ? 'ready' : 'not-ready', ...place(cur), condition: type }, when));
  }
  return out;
}

/** DisruptionTarget (Kubernetes 1.26+) says why a pod is about to go: the Eviction API, preemption, a taint. */
function disruption(old: KubeObject | undefined, cur: KubeObject, at: number): ClusterEvent[] {
  if (!isTrue(cur, 'DisruptionTarget') || isTrue(old, 'DisruptionTarget')) return [];
  const c = condition(cur, 'DisruptionTarget');
  return [clusterEvent(at, cur, { kind: 'pod', type: 'disruption', ...place(cur), reason: c?.reason ?? null, message: c?.message ?? null }, serverTime(c?.lastTransitionTime))];
}

function containers(old: KubeObject | undefined, cur: KubeObject, at: number): ClusterEvent[] {
  const before = statuses(old);
  const out: ClusterEvent[] = [];
  for (const [name, s] of statuses(cur)) {
    const prev = before.get(name);
    const restarts = s.restartCount ?? 0;
    // A restart between two observations leaves its exit only in lastState.
    const ended = s.state?.terminated ?? (restarts > (prev?.restartCount ?? 0) ? s.lastState?.terminated : undefined);
    if (ended && !sameEnd(ended, prev?.state?.terminated) && !sameEnd(ended, prev?.lastState?.terminated)) {
      out.push(terminated(cur, name, ended, at));
    }
    const started = s.state?.running?.startedAt;
    if (started && started !== prev?.state?.running?.startedAt) {
      out.push(clusterEvent(at, cur, { kind: 'pod', type: 'started', ...place(cur), container: name, restartCount: restarts }, serverTime(started)));
    }
  }
  return out;
}

const sameEnd = (a: Terminated, b: Terminated | undefined): boolean => !!b && a.finishedAt === b.finishedAt && a.exitCode === b.exitCode;

function terminated(cur: KubeObject, name: string, t: Terminated, at: number): ClusterEvent {
  return clusterEvent(at, cur, {
    kind: 'pod', type: 'terminated', ...place(cur),
    container: name, exitCode: t.exitCode ?? null, reason: t.reason ?? null, signal: t.signal ?? null,
  }, serverTime(t.finishedAt));
}

function deleting(old: KubeObject | undefined, cur: KubeObject, at: number): ClusterEvent[] {
  const deadline = serverTime(cur.metadata?.deletionTimestamp);
  if (deadline === undefined || old?.metadata?.deletionTimestamp) return [];
  const grace = Number(cur.metadata?.deletionGracePeriodSeconds ?? cur.spec?.terminationGracePeriodSeconds ?? 30);
  const fields = { kind: 'pod', type: 'deleting', ...place(cur), gracePeriodSeconds: grace, preStop: describePreStop(cur), deadline } as const;
  // The API server sets deletionTimestamp = start of deletion + grace period.
  return [clusterEvent(at, cur, fields, deadline - grace * 1000)];
}

export function diffPod(old: KubeObject | undefined, cur: KubeObject | undefined, at: number): ClusterEvent[] {
  if (!cur) return old ? [clusterEvent(at, old, { kind: 'pod', type: 'deleted', ...place(old) })] : [];
  return [
    ...(old ? [] : [created(cur, at)]),
    ...scheduling(old, cur, at),
    ...disruption(old, cur, at),
    ...address(old, cur, at),
    ...deleting(old, cur, at),
    ...containers(old, cur, at),
    ...readiness(old, cur, at),
  ];
}
