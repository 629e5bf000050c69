// The mutable record one pod worker keeps, and the two things every step does with it:
// write a line to the pod log and publish the pod status (patches go out in order, coalesced).
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CoreV1Api } from '@kubernetes/client-node';
import type { AddressPool } from './address-pool.js';
import type { PodNetwork } from './pod-network.js';
import { MERGE, messageOf } from './events.js';
import type { EventSpec, Recorder } from './events.js';
import type { Backoff } from './backoff.js';
import type { ContainerPlan, PodPlan, ProbeType } from './pod-plan.js';
import { buildPodStatus } from './pod-status.js';
import type { Condition, ContainerState, ContainerView, Phase, Termination } from './pod-status.js';
import type { ProbeState, ProbeWorker } from './probe-worker.js';
import type { ContainerProcess, ExitInfo } from './supervisor.js';

export interface WorkerDeps {
  core: CoreV1Api;
  recorder: Recorder;
  pool: AddressPool;
  nodeName: string;
  hostIP: string;
  /** The address the API is told for a pod bound to `address` (see KubeletOptions.advertisePrefix). */
  advertise: (address: string) => string;
  /** Where a pod's container port really listens (its own alias, or a port of 127.0.0.1). */
  network: PodNetwork;
  /** Pod logs go to `${podDir}/<name>.log`. */
  podDir: string;
  log: (line: string) => void;
}

/** When SIGKILL is due (epoch ms); a shorter grace override moves it closer and wakes the waiters. */
export interface Grace {
  deadline: number;
  moved: Set<() => void>;
}

/** One container of the pod: its process, its probes' results, its restarts. */
export interface ContainerRuntime {
  plan: ContainerPlan;
  state: ContainerState;
  lastTerminated?: Termination;
  restartCount: number;
  proc?: ContainerProcess;
  /** The probe results manager's values, for the container `resultsFor`. */
  results: Partial<Record<ProbeType, ProbeState>>;
  resultsFor?: string;
  probes: Partial<Record<ProbeType, ProbeWorker>>;
  backoff: Backoff;
  restartTimer?: NodeJS.Timeout;
  /** A liveness/startup kill is under way (its exit is not a crash); resolves with that exit. */
  killing?: Promise<ExitInfo>;
  /** The pod's deletion has stopped this container: it is not started again. */
  stopped: boolean;
}

export interface WorkerState {
  deps: WorkerDeps;
  plan: PodPlan;
  phase: Phase;
  podIP?: string;
  startTime: number;
  containers: ContainerRuntime[];
  conditions: Condition[];
  terminating: boolean;
  grace: Grace;
  /** Set by kill/vanish: the worker must not touch the API or start anything again. */
  stopped: boolean;
  queue: Promise<void>;
  pending: boolean;
  /** Aborts running exec hooks when the worker is killed. */
  abort: AbortController;
  hooks: Set<Promise<unknown>>;
}

export function logPathOf(w: WorkerState): string {
  return join(w.deps.podDir, `${w.plan.name}.log`);
}

/** The pod's own working directory: exec probes and hooks run there (the stand-in has no container filesystem). */
export function workDirOf(w: WorkerState): string {
  return join(w.deps.podDir, `${w.plan.name}.d`);
}

/** Kubelet-side lines in the pod log, so one file tells the whole story of the pod. */
export function podLog(w: WorkerState, line: string): void {
  appendLine(logPathOf(w), `${new Date().toISOString()} [kubelet] ${line}\n`);
}

/** Appends to a log file (its directory made at kubelet start); a log removed at teardown is not worth a crash. */
export function appendLine(path: string, text: string): void {
  try {
    appendFileSync(path, text);
  } catch {
    // Nothing to report to: the log itself is the reporting channel.
  }
}

export function podRef(w: WorkerState): string {
  return `${w.plan.name}_${w.plan.namespace}(${w.plan.uid})`;
}

export function containerIdOf(w: WorkerState, c: ContainerRuntime, proc: ContainerProcess): string {
  return `lab://${w.plan.uid.slice(0, 8)}-${c.plan.name}-${c.restartCount}-${proc.pid}`;
}

export function terminationOf(w: WorkerState, c: ContainerRuntime, proc: ContainerProcess, exit: ExitInfo): Termination {
  return { exitCode: exit.exitCode, signal: exit.signal, startedAt: proc.startedAt, finishedAt: exit.finishedAt, containerID: containerIdOf(w, c, proc) };
}

export function containerEvent(w: WorkerState, c: ContainerRuntime, spec: EventSpec): void {
  const target = { kind: 'Pod' as const, namespace: w.plan.namespace, name: w.plan.name, uid: w.plan.uid };
  const list = c.plan.sidecar ? 'initContainers' : 'containers';
  void w.deps.recorder.record({ ...target, fieldPath: `spec.${list}{${c.plan.name}}` }, spec);
}

/** How the status shows container `c`: ready and started follow the probe results of the running one. */
export function viewOf(c: ContainerRuntime): ContainerView {
  const running = c.state.kind === 'running';
  const current = c.state.kind === 'running' && c.resultsFor === c.state.containerID;
  const started = running && (!c.plan.startup || (current && c.results.Startup === 'success'));
  const ready = started && (!c.plan.readiness || (current && c.results.Readiness === 'success'));
  return {
    name: c.plan.name, image: c.plan.image, sidecar: c.plan.sidecar, state: c.state, restartCount: c.restartCount, ready, started,
    ...(c.lastTerminated ? { lastTerminated: c.lastTerminated } : {}),
  };
}

export function podEvent(w: WorkerState, spec: EventSpec): void {
  void w.deps.recorder.record({ kind: 'Pod', namespace: w.plan.namespace, name: w.plan.name, uid: w.plan.uid }, spec);
}

/** Queues a status patch built from the state at sending time; bursts collapse into one patch. */
export function publish(w: WorkerState): Promise<void> {
  if (w.pending || w.stopped) return w.queue;
  w.pending = true;
  w.queue = w.queue.then(async () => {
    w.pending = false;
    if (w.stopped) return;
    await sendStatus(w);
  });
  return w.queue;
}

async function sendStatus(w: WorkerState): Promise<void> {
  const rt = {
    phase: w.phase, hostIP: w.deps.hostIP, startTime: w.startTime, containers: w.containers.map(viewOf),
    ...(w.podIP ? { podIP: w.deps.advertise(w.podIP) } : {}),
  };
  const status = buildPodStatus(rt, w.conditions, Date.now());
  try {
    await w.deps.core.patchNamespacedPodStatus({ name: w.plan.name, namespace: w.plan.namespace, body: { status } }, MERGE);
    w.conditions = status['conditions'] as Condition[];
  } catch (err) {
    w.deps.log(`status of ${w.plan.namespace}/${w.plan.name} not written: ${messageOf(err)}`);
  }
}

export function stopProbes(c: ContainerRuntime, types: readonly ProbeType[] = ['Startup', 'Liveness', 'Readiness']): void {
  for (const type of types) c.probes[type]?.stop();
}

/** Every main container ended and none restarts: Succeeded when all exited 0, else Failed. */
export function podPhaseOf(w: WorkerState): 'Succeeded' | 'Failed' {
  const codes = w.containers.filter((c) => !c.plan.sidecar).map((c) => (c.state.kind === 'terminated' ? c.state.last.exitCode : (c.lastTerminated?.exitCode ?? 0)));
  return codes.every((code) => code === 0) ? 'Succeeded' : 'Failed';
}
