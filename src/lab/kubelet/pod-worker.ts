// One worker per pod bound to this node: start the app process, probe readiness, report status,
// restart it when it dies on its own, and hand over to pod-stop when the pod is being deleted.
import type { V1Pod } from '@kubernetes/client-node';
import { planPod } from './pod-plan.js';
import { killNow, shortenGrace, terminate } from './pod-stop.js';
import { startProber } from './probe.js';
import { spawnApp } from './supervisor.js';
import type { ContainerProcess, ExitInfo } from './supervisor.js';
import { containerEvent, containerIdOf, logPathOf, podLog, podRef, publish, terminationOf } from './worker-state.js';
import type { WorkerDeps, WorkerState } from './worker-state.js';

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

// Restart back-off doubles from 1 s up to 30 s (the real kubelet: 10 s up to 5 min; the lab is impatient).
// The kubelet's crash back-off: the first restart at once, then 10 s doubling up to 5 min.
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;

export function startPodWorker(deps: WorkerDeps, pod: V1Pod): PodWorker {
  const w: WorkerState = {
    deps,
    plan: planPod(pod),
    rt: { phase: 'Pending', hostIP: deps.hostIP, startTime: Date.now(), ready: false, state: { kind: 'creating' }, restartCount: 0 },
    conditions: [],
    terminating: false,
    deadline: Infinity,
    stopped: false,
    queue: Promise.resolve(),
    pending: false,
    abort: new AbortController(),
  };
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const stop = async (): Promise<void> => {
    await killNow(w);
    finished();
  };
  void publish(w);
  w.rt.podIP = deps.pool.take();
  startContainer(w);
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

function startContainer(w: WorkerState): void {
  if (w.stopped || w.terminating || !w.rt.podIP) return;
  const { image, container, port } = w.plan;
  containerEvent(w, { type: 'Normal', reason: 'Pulled', message: `Container image "${image}" already present on machine` });
  containerEvent(w, { type: 'Normal', reason: 'Created', message: `Created container: ${container}` });
  const at = w.deps.network.claim(w.rt.podIP, port);
  const proc = spawnApp(w.plan.env, at.host, at.port, logPathOf(w));
  w.proc = proc;
  podLog(w, `started container ${container} (pid ${proc.pid}) on ${at.host}:${at.port}${at.host === w.rt.podIP ? '' : ` (pod ${w.rt.podIP}:${port})`}`);
  containerEvent(w, { type: 'Normal', reason: 'Started', message: `Started container ${container}` });
  w.rt.phase = 'Running';
  w.rt.state = { kind: 'running', startedAt: proc.startedAt, containerID: containerIdOf(w, proc) };
  // Without a readinessProbe the kubelet calls the container ready as soon as it runs, listening or not.
  w.rt.ready = w.plan.readiness === undefined;
  if (w.plan.readiness) startReadiness(w);
  void publish(w);
  void proc.exited.then((exit) => onExit(w, proc, exit));
}

function startReadiness(w: WorkerState): void {
  const plan = w.plan.readiness;
  if (!plan || !w.rt.podIP) return;
  const at = w.deps.network.socket(w.rt.podIP, plan.port);
  w.prober = startProber(at.host, w.deps.network.probeFrom(w.deps.hostIP), { ...plan, port: at.port }, (result, now, before) => {
    if (w.stopped) return;
    if (!result.ok) {
      containerEvent(w, { type: 'Warning', reason: 'Unhealthy', message: `Readiness probe failed: ${result.message}` });
    }
    if (now.ready === before.ready && now.ready === w.rt.ready) return;
    w.rt.ready = now.ready;
    podLog(w, `readiness ${now.ready ? 'passed' : 'failed'}`);
    void publish(w);
  });
}

/** The process ended by itself (not through deletion): record it and restart per restartPolicy. */
function onExit(w: WorkerState, proc: ContainerProcess, exit: ExitInfo): void {
  if (w.proc !== proc || w.terminating || w.stopped) return;
  podLog(w, `container exited by itself with ${exit.exitCode}${exit.signal ? ` (${exit.signal})` : ''}`);
  w.prober?.stop();
  w.rt.ready = false;
  const last = terminationOf(w, proc, exit);
  const restart = w.plan.restartPolicy === 'Always' || (w.plan.restartPolicy === 'OnFailure' && exit.exitCode !== 0);
  if (!restart) {
    w.rt.state = { kind: 'terminated', last };
    w.rt.phase = exit.exitCode === 0 ? 'Succeeded' : 'Failed';
    void publish(w);
    return;
  }
  const delay = w.rt.restartCount === 0 ? 0 : Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (w.rt.restartCount - 1));
  w.rt.lastTerminated = last;
  if (delay > 0) {
    const message = `back-off ${Math.round(delay / 1000)}s restarting failed container=${w.plan.container} pod=${podRef(w)}`;
    w.rt.state = { kind: 'backoff', message };
    containerEvent(w, { type: 'Warning', reason: 'BackOff', message: `Back-off restarting failed container ${w.plan.container} in pod ${podRef(w)}` });
    void publish(w);
  }
  w.restartTimer = setTimeout(() => {
    w.rt.restartCount += 1;
    startContainer(w);
  }, delay);
}
