// Builds the pod status the kubelet reports, from its own view of the container, as plain JSON.
// Conditions keep their lastTransitionTime unless their status flips, as the real kubelet does.
// qosClass is left alone: the API server sets it at creation and a real one rejects changes.

export type Phase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

export interface Termination {
  exitCode: number;
  signal: string | null;
  startedAt: number;
  finishedAt: number;
  containerID: string;
}

export type ContainerState =
  | { kind: 'creating' }
  | { kind: 'running'; startedAt: number; containerID: string }
  | { kind: 'terminated'; last: Termination }
  | { kind: 'backoff'; message: string };

export interface PodRuntime {
  phase: Phase;
  hostIP: string;
  podIP?: string;
  startTime: number;
  /** The container passed readiness (or has no probe) and the pod is not terminating. */
  ready: boolean;
  state: ContainerState;
  lastTerminated?: Termination;
  restartCount: number;
}

export interface Condition {
  type: string;
  status: 'True' | 'False';
  lastProbeTime: null;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

/** Kubernetes serialises metav1.Time in whole seconds. */
export function k8sTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function buildPodStatus(
  container: { name: string; image: string },
  rt: PodRuntime,
  previous: readonly Condition[],
  now: number,
): Record<string, unknown> {
  return {
    phase: rt.phase,
    hostIP: rt.hostIP,
    hostIPs: [{ ip: rt.hostIP }],
    ...(rt.podIP ? { podIP: rt.podIP, podIPs: [{ ip: rt.podIP }] } : {}),
    startTime: k8sTime(rt.startTime),
    conditions: conditionsOf(container.name, rt, previous, now),
    containerStatuses: [containerStatus(container, rt)],
  };
}

function conditionsOf(name: string, rt: PodRuntime, previous: readonly Condition[], now: number): Condition[] {
  const terminal = rt.phase === 'Succeeded' || rt.phase === 'Failed';
  const notReady = terminal
    ? { reason: 'PodCompleted' }
    : { reason: 'ContainersNotReady', message: `containers with unready status: [${name}]` };
  const make = (type: string, ok: boolean, why: { reason?: string; message?: string } = {}): Condition => {
    const status = ok ? 'True' : 'False';
    const before = previous.find((c) => c.type === type);
    const since = before && before.status === status ? before.lastTransitionTime : k8sTime(now);
    return { type, status, lastProbeTime: null, lastTransitionTime: since, ...(ok ? {} : why) };
  };
  return [
    make('PodReadyToStartContainers', rt.podIP !== undefined && !terminal),
    make('Initialized', true),
    make('Ready', rt.ready, notReady),
    make('ContainersReady', rt.ready, notReady),
    make('PodScheduled', true),
  ];
}

function containerStatus(container: { name: string; image: string }, rt: PodRuntime): Record<string, unknown> {
  const running = rt.state.kind === 'running';
  const containerID = rt.state.kind === 'running' ? rt.state.containerID : rt.state.kind === 'terminated' ? rt.state.last.containerID : undefined;
  return {
    name: container.name,
    image: container.image,
    imageID: `lab.local/${container.image}`,
    ...(containerID ? { containerID } : {}),
    ready: rt.ready && running,
    started: running,
    restartCount: rt.restartCount,
    state: stateOf(rt.state),
    lastState: rt.lastTerminated ? { terminated: terminated(rt.lastTerminated) } : {},
  };
}

function stateOf(state: ContainerState): Record<string, unknown> {
  switch (state.kind) {
    case 'creating':
      return { waiting: { reason: 'ContainerCreating' } };
    case 'running':
      return { running: { startedAt: k8sTime(state.startedAt) } };
    case 'terminated':
      return { terminated: terminated(state.last) };
    case 'backoff':
      return { waiting: { reason: 'CrashLoopBackOff', message: state.message } };
  }
}

function terminated(t: Termination): Record<string, unknown> {
  return {
    exitCode: t.exitCode,
    reason: t.exitCode === 0 ? 'Completed' : 'Error',
    startedAt: k8sTime(t.startedAt),
    finishedAt: k8sTime(t.finishedAt),
    containerID: t.containerID,
  };
}
