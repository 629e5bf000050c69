// The mutable record one pod worker keeps, and the two things every step does with it:
// write a line to the pod log and publish the pod status (patches go out in order, coalesced).
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CoreV1Api } from '@kubernetes/client-node';
import type { AddressPool } from './address-pool.js';
import type { PodNetwork } from './pod-network.js';
import { MERGE, messageOf } from './events.js';
import type { EventSpec, Recorder } from './events.js';
import type { PodPlan } from './pod-plan.js';
import { buildPodStatus } from './pod-status.js';
import type { Condition, PodRuntime, Termination } from './pod-status.js';
import type { Prober } from './probe.js';
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

export interface WorkerState {
  deps: WorkerDeps;
  plan: PodPlan;
  rt: PodRuntime;
  conditions: Condition[];
  proc?: ContainerProcess;
  prober?: Prober;
  restartTimer?: NodeJS.Timeout;
  terminating: boolean;
  /** When SIGKILL is due (epoch ms), once terminating; a shorter grace override moves it closer. */
  deadline: number;
  deadlineMoved?: () => void;
  /** Set by kill/vanish: the worker must not touch the API or start anything again. */
  stopped: boolean;
  queue: Promise<void>;
  pending: boolean;
  /** Aborts a running exec hook when the worker is killed. */
  abort: AbortController;
  hook?: Promise<unknown>;
}

export function logPathOf(w: WorkerState): string {
  return join(w.deps.podDir, `${w.plan.name}.log`);
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

export function containerIdOf(w: WorkerState, proc: ContainerProcess): string {
  return `lab://${w.plan.uid.slice(0, 8)}-${w.rt.restartCount}-${proc.pid}`;
}

export function terminationOf(w: WorkerState, proc: ContainerProcess, exit: ExitInfo): Termination {
  return { exitCode: exit.exitCode, signal: exit.signal, startedAt: proc.startedAt, finishedAt: exit.finishedAt, containerID: containerIdOf(w, proc) };
}

export function containerEvent(w: WorkerState, spec: EventSpec): void {
  const target = { kind: 'Pod' as const, namespace: w.plan.namespace, name: w.plan.name, uid: w.plan.uid };
  void w.deps.recorder.record({ ...target, fieldPath: `spec.containers{${w.plan.container}}` }, spec);
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
  const rt = w.rt.podIP ? { ...w.rt, podIP: w.deps.advertise(w.rt.podIP) } : w.rt;
  const status = buildPodStatus({ name: w.plan.container, image: w.plan.image }, rt, w.conditions, Date.now());
  try {
    await w.deps.core.patchNamespacedPodStatus({ name: w.plan.name, namespace: w.plan.namespace, body: { status } }, MERGE);
    w.conditions = status['conditions'] as Condition[];
  } catch (err) {
    w.deps.log(`status of ${w.plan.namespace}/${w.plan.name} not written: ${messageOf(err)}`);
  }
}
