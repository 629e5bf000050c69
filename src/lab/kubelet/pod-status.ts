// Builds the pod status the kubelet reports, from its own view of each container, as plain JSON.
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

/** One container as the status shows it. */
export interface ContainerView {
  name: string;
  image: string;
  /** A native sidecar: reported under initContainerStatuses. */
  sidecar: boolean;
  state: ContainerState;
  lastTerminated?: Termination;
  restartCount: number;
  /** Running and passed readiness (or has no readiness probe), once started. */
  ready: boolean;
  /** Running and passed its startup probe (or has none). */
  started: boolean;
}

export interface PodRuntime {
  phase: Phase;
  hostIP: string;
  podIP?: string;
  startTime: number;
  containers: ContainerView[];
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

export function buildPodStatus(rt: PodRuntime, previous: readonly Condition[], now: number): Record<string, unknown> {
  const sidecars = rt.containers.filter((c) => c.sidecar);
  return {
    phase: rt.phase,
    hostIP: rt.hostIP,
    hostIPs: [{ ip: rt.hostIP }],
    ...(rt.podIP ? { podIP: rt.podIP, podIPs: [{ ip: rt.podIP }] } : {}),
    startTime: k8sTime(rt.startTime),
    conditions: conditionsOf(rt, previous, now),
    ...(sidecars.length ? { initContainerStatuses: sidecars.map(containerStatus) } : {}),
    containerStatuses: rt.containers.filter((c) => !c.sidecar).map(containerStatus),
  };
}

function conditionsOf(rt: PodRuntime, previous: readonly Condition[], now: number): Condition[] {
  const terminal = rt.phase === 'Succeeded' || rt.phase === 'Failed';
  const unready = rt.containers.filter((c) => !c.ready).map((c) => c.name);
  const ready = unready.length === 0;
  const notReady = terminal
    ? { reason: 'PodCompleted' }
    : { reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` };
  const sidecarsUp = rt.containers.every((c) => !c.sidecar || c.started || terminal);
  const make = (type: string, ok: boolean, why: { reason?: string; message?: string } = {}): Condition => {
    const status = ok ? 'True' : 'False';
    const before = previous.find((c) => c.type === type);
    const since = before && before.status === status ? before.lastTransitionTime : k8sTime(now);
    return { type, status, lastProbeTime: null, lastTransitionTime: since, ...(ok ? {} : why) };
  };
  return [
    make('PodReadyToStartContainers', rt.podIP !== undefined && !terminal),
    make('Initialized', sidecarsUp, { reason: 'ContainersNotInitialized' }),
    make('Ready', ready, notReady),
    make('ContainersReady', ready, notReady),
    make('PodScheduled', true),
  ];
}

function containerStatus(c: ContainerView): Record<string, unknown> {
  const running = c.state.kind === 'running';
  const containerID = c.state.kind === 'running' ? c.state.containerID : c.state.kind === 'terminated' ? c.state.last.containerID : undefined;
  return {
    name: c.name,
    image: c.image,
    imageID: `lab.local/${c.image}`,
    ...(containerID ? { containerID } : {}),
    ready: c.ready && running,
    started: c.started && running,
    restartCount: c.restartCount,
    state: stateOf(c.state),
    lastState: c.lastTerminated ? { terminated: terminated(c.lastTerminated) } : {},
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

// OOMKilled never appears here: the stand-in puts no memory limit on a process, so no kernel OOM kill.
function terminated(t: Termination): Record<string, unknown> {
  return {
    exitCode: t.exitCode,
    reason: t.exitCode === 0 ? 'Completed' : 'Error',
    startedAt: k8sTime(t.startedAt),
    finishedAt: k8sTime(t.finishedAt),
    containerID: t.containerID,
  };
}
