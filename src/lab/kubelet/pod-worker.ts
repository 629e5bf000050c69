// One worker per pod bound to this node: start its containers (native sidecars first, each once it
// has started, then the main ones), report status, and hand over to pod-stop when the pod is deleted.
// Each container's probes, restarts and probe kills are container.ts's.
import { mkdirSync } from 'node:fs';
import type { V1Pod } from '@kubernetes/client-node';
import { newBackoff } from './backoff.js';
import { startContainer, startProbes } from './container.js';
import { planPod } from './pod-plan.js';
import { killNow, shortenGrace, terminate } from './pod-stop.js';
import { publish, viewOf, workDirOf } from './worker-state.js';
import type { ContainerRuntime, WorkerDeps, WorkerState } from './worker-state.js';

export interface PodWorker {
  /** Every newer version of the pod from the watch. */
  update(pod: V1Pod): void;
  /** The pod is gone from the API (force deletion): SIGKILL, free the address, stop. */
  vanish(): Promise<void>;
  /** Kubelet shutdown: SIGKILL and wait; the pod object is left as it is. */
  kill(): Promise<void>;
  /** Resolves once the pod was finalised or the worker was stopped. */
  done: Promise<void>;
}

// How often a sidecar's start is checked before the next container starts (the kubelet waits for
// `started`, i.e. its startup probe, before it moves on).
const SIDECAR_POLL_MS = 100;

export function startPodWorker(deps: WorkerDeps, pod: V1Pod): PodWorker {
  const plan = planPod(pod);
  const w: WorkerState = {
    deps,
    plan,
    phase: 'Pending',
    startTime: Date.now(),
    containers: plan.containers.map((p): ContainerRuntime => ({
      plan: p, state: { kind: 'creating' }, restartCount: 0, results: {}, probes: {}, backoff: newBackoff(), stopped: false,
    })),
    conditions: [],
    terminating: false,
    grace: { deadline: Infinity, moved: new Set() },
    stopped: false,
    queue: Promise.resolve(),
    pending: false,
    abort: new AbortController(),
    hooks: new Set(),
  };
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const stop = async (): Promise<void> => {
    await killNow(w);
    finished();
  };
  void publish(w);
  w.podIP = deps.pool.take();
  mkdirSync(workDirOf(w), { recursive: true });
  for (const c of w.containers) startProbes(w, c);
  void startAll(w);
  return {
    update(next) {
      if (w.stopped || !next.metadata?.deletionTimestamp) return;
      const grace = next.metadata.deletionGracePeriodSeconds ?? w.plan.graceSeconds;
      if (w.terminating) return shortenGrace(w, grace);
      void terminate(w, grace).finally(finished);
    },
    vanish: stop,
    kill: stop,
    done,
  };
}

async function startAll(w: WorkerState): Promise<void> {
  for (const c of w.containers.filter((x) => x.plan.sidecar)) {
    startContainer(w, c);
    while (!viewOf(c).started && !w.stopped && !w.terminating) await new Promise((r) => setTimeout(r, SIDECAR_POLL_MS));
  }
  for (const c of w.containers.filter((x) => !x.plan.sidecar)) startContainer(w, c);
}
