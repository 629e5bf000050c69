// One container of a pod on the stand-in: start it as a lab app process, probe it (readiness,
// liveness, startup), kill and restart it when liveness or startup fails, restart it when it exits on
// its own, all under the kubelet's back-off (backoff.ts).
import { startDelay } from './backoff.js';
import type { ProbeType } from './pod-plan.js';
import { stopContainer } from './pod-stop.js';
import type { ProbeResult } from './probe.js';
import { startProbeWorker } from './probe-worker.js';
import type { ProbedContainer, ProbeState } from './probe-worker.js';
import { spawnApp } from './supervisor.js';
import type { ContainerProcess, ExitInfo } from './supervisor.js';
import { containerEvent, containerIdOf, logPathOf, podLog, podPhaseOf, podRef, publish, terminationOf, viewOf, workDirOf } from './worker-state.js';
import type { ContainerRuntime, WorkerState } from './worker-state.js';

// The kubelet's PLEG relists containers every second.
const RELIST_MS = 1000;
const TYPES: readonly ProbeType[] = ['Startup', 'Liveness', 'Readiness'];

/** Starts the container's process now; its status says running from the next relist on. */
export function startContainer(w: WorkerState, c: ContainerRuntime): void {
  if (w.stopped || w.terminating || c.stopped || !w.podIP) return;
  const { image, name, port } = c.plan;
  containerEvent(w, c, { type: 'Normal', reason: 'Pulled', message: `Container image "${image}" already present on machine` });
  containerEvent(w, c, { type: 'Normal', reason: 'Created', message: `Created container: ${name}` });
  const at = w.deps.network.claim(w.podIP, port);
  const proc = spawnApp(c.plan.env, at.host, at.port, logPathOf(w));
  c.proc = proc;
  podLog(w, `started container ${name} (pid ${proc.pid}) on ${at.host}:${at.port}${at.host === w.podIP ? '' : ` (pod ${w.podIP}:${port})`}`);
  containerEvent(w, c, { type: 'Normal', reason: 'Started', message: `Started container ${name}` });
  const running = { kind: 'running' as const, startedAt: proc.startedAt, containerID: containerIdOf(w, c, proc) };
  // The kubelet writes the new state once its 1 s relist (PLEG) has seen the start, and probes
  // readiness at once when it builds the status of a container not yet ready (UpdatePodStatus).
  const relist = setTimeout(() => {
    if (c.proc !== proc || w.stopped || w.terminating) return;
    w.phase = 'Running';
    c.state = running;
    void publish(w);
    c.probes.Readiness?.trigger();
  }, RELIST_MS - (Date.now() % RELIST_MS));
  void proc.exited.then((exit) => {
    clearTimeout(relist);
    onExit(w, c, proc, exit);
  });
}

/** The probe workers of one container; they run from the pod's start, as the kubelet adds them. */
export function startProbes(w: WorkerState, c: ContainerRuntime): void {
  for (const type of TYPES) {
    const plan = c.plan[type === 'Startup' ? 'startup' : type === 'Liveness' ? 'liveness' : 'readiness'];
    if (!plan) continue;
    c.probes[type] = startProbeWorker({
      type,
      plan,
      target: {
        socket: (port) => w.deps.network.socket(w.podIP ?? '127.0.0.1', port),
        ...(w.deps.network.probeFrom(w.deps.hostIP) ? { from: w.deps.network.probeFrom(w.deps.hostIP) } : {}),
        env: c.plan.env,
        cwd: workDirOf(w),
      },
      view: () => probedView(w, c),
      onProbe: (result) => onProbe(w, c, type, result),
      onResult: (id, result) => onResult(w, c, type, id, result),
    });
  }
}

function probedView(w: WorkerState, c: ContainerRuntime): ProbedContainer {
  const s = c.state;
  const id = s.kind === 'running' ? s.containerID : c.lastTerminated?.containerID;
  const finished = s.kind === 'terminated' || (w.terminating && s.kind !== 'running');
  return { ...(id ? { id } : {}), running: s.kind === 'running', startedAt: s.kind === 'running' ? s.startedAt : 0, started: viewOf(c).started, finished };
}

function onProbe(w: WorkerState, c: ContainerRuntime, type: ProbeType, result: ProbeResult): void {
  if (w.stopped || result.outcome === 'success') return;
  const message = result.outcome === 'error'
    ? `${type} probe errored and resulted in unknown state: ${result.message}`
    : `${type} probe failed: ${result.message}`;
  containerEvent(w, c, { type: 'Warning', reason: 'Unhealthy', message });
}

function onResult(w: WorkerState, c: ContainerRuntime, type: ProbeType, id: string, result: ProbeState): void {
  if (w.stopped) return;
  if (c.resultsFor !== id) {
    c.resultsFor = id;
    c.results = {};
  }
  if (c.results[type] === result) return;
  const before = viewOf(c);
  c.results[type] = result;
  if (type !== 'Readiness' && result === 'failure') return void killForProbe(w, c, type);
  const now = viewOf(c);
  if (now.ready !== before.ready || now.started !== before.started) {
    podLog(w, `${c.plan.name}: ${type.toLowerCase()} ${result === 'success' ? 'passed' : 'failed'}`);
    void publish(w);
  }
  if (type === 'Startup' && now.started) c.probes.Readiness?.trigger();
}

/** computePodActions: a container failing liveness or startup is killed, and started again unless restartPolicy is Never. */
async function killForProbe(w: WorkerState, c: ContainerRuntime, type: ProbeType): Promise<void> {
  const proc = c.proc;
  if (!proc?.running() || w.terminating || c.killing) return;
  const restart = c.plan.sidecar || w.plan.restartPolicy !== 'Never';
  const message = `Container ${c.plan.name} failed ${type.toLowerCase()} probe${restart ? ', will be restarted' : ''}`;
  const plan = type === 'Liveness' ? c.plan.liveness : c.plan.startup;
  const graceSeconds = plan?.graceSeconds ?? w.plan.graceSeconds;
  podLog(w, `${message} (grace ${graceSeconds}s)`);
  c.killing = stopContainer(w, c, proc, { message, grace: { deadline: Date.now() + graceSeconds * 1000, moved: new Set() } });
  await c.killing;
}

/** The process ended: by itself (a crash or a clean exit) or by a liveness/startup kill. */
function onExit(w: WorkerState, c: ContainerRuntime, proc: ContainerProcess, exit: ExitInfo): void {
  if (c.proc !== proc || w.terminating || w.stopped || c.stopped) return;
  const killed = c.killing !== undefined;
  delete c.killing;
  podLog(w, `container ${c.plan.name} ${killed ? 'was killed' : 'exited by itself'} with ${exit.exitCode}${exit.signal ? ` (${exit.signal})` : ''}`);
  // The start decision after a probe kill was taken from a status that still showed it running.
  const seenExit = killed ? c.lastTerminated?.finishedAt : exit.finishedAt;
  const last = terminationOf(w, c, proc, exit);
  const restart = c.plan.sidecar || w.plan.restartPolicy === 'Always' || (w.plan.restartPolicy === 'OnFailure' && exit.exitCode !== 0);
  if (!restart) {
    c.state = { kind: 'terminated', last };
    if (w.containers.every((x) => x.plan.sidecar || x.state.kind === 'terminated')) w.phase = podPhaseOf(w);
    void publish(w);
    return;
  }
  c.lastTerminated = last;
  tryRestart(w, c, seenExit);
}

function tryRestart(w: WorkerState, c: ContainerRuntime, lastExit: number | undefined): void {
  if (w.stopped || w.terminating || c.stopped) return;
  const delay = startDelay(c.backoff, lastExit, Date.now());
  if (delay === 0) {
    c.restartCount += 1;
    return startContainer(w, c);
  }
  const message = `back-off ${Math.round(c.backoff.backoffMs / 1000)}s restarting failed container=${c.plan.name} pod=${podRef(w)}`;
  c.state = { kind: 'backoff', message };
  containerEvent(w, c, { type: 'Warning', reason: 'BackOff', message: `Back-off restarting failed container ${c.plan.name} in pod ${podRef(w)}` });
  void publish(w);
  c.restartTimer = setTimeout(() => tryRestart(w, c, c.lastTerminated?.finishedAt), delay);
}
