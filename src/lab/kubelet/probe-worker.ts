// One probe worker per container and probe type, as pkg/kubelet/prober/worker.go runs it: a ticker
// every periodSeconds from the worker's start (plus manual triggers), nothing within initialDelaySeconds
// of the container's start, startup gating the other two, thresholds on runs of equal results, and a
// liveness/startup worker on hold after a failure until it sees a new container.
import type { ProbePlan, ProbeType } from './pod-plan.js';
import { runProbe } from './probe.js';
import type { ProbeResult, ProbeTarget } from './probe.js';

export type ProbeState = 'success' | 'failure' | 'unknown';

/** What the worker reads of its container each round (the kubelet reads it from the status manager). */
export interface ProbedContainer {
  /** undefined until the container was created. */
  id?: string;
  running: boolean;
  startedAt: number;
  /** status.started: the startup probe passed (or there is none). */
  started: boolean;
  /** Terminated for good: not going to be restarted. */
  finished: boolean;
}

export interface ProbeWorkerSpec {
  type: ProbeType;
  plan: ProbePlan;
  target: ProbeTarget;
  view(): ProbedContainer;
  /** Every probe that ran, with its output (the kubelet's Unhealthy events come from here). */
  onProbe(result: ProbeResult): void;
  /** The results manager's value for container `id` (set again and again; the consumer keeps changes). */
  onResult(id: string, result: ProbeState): void;
}

export interface ProbeWorker {
  /** Probe now (the kubelet's manualTriggerCh), unless a probe is running; then once more after it. */
  trigger(): void;
  stop(): void;
}

// The value a new container starts with: not ready, alive, not known to have started.
const INITIAL: Record<ProbeType, ProbeState> = { Readiness: 'failure', Liveness: 'success', Startup: 'unknown' };

export function startProbeWorker(spec: ProbeWorkerSpec): ProbeWorker {
  const { type, plan } = spec;
  let containerId: string | undefined;
  let lastResult: ProbeState | undefined;
  let resultRun = 0;
  let onHold = false;
  let stopped = false;
  let busy = false;
  let again = false;

  const doProbe = async (): Promise<boolean> => {
    const c = spec.view();
    if (!c.id) return true;
    if (c.id !== containerId) {
      containerId = c.id;
      spec.onResult(c.id, INITIAL[type]);
      onHold = false;
    }
    if (onHold) return true;
    if (!c.running) {
      spec.onResult(c.id, 'failure');
      return !c.finished;
    }
    if (Date.now() - c.startedAt < plan.initialDelayMs) return true;
    // Startup runs until the container has started; the other two only after.
    if (c.started === (type === 'Startup')) return true;
    const result = await runProbe(plan.handler, spec.target, plan.timeoutMs);
    if (stopped) return false;
    spec.onProbe(result);
    // A probe that could not run is thrown away.
    if (result.outcome === 'error') return true;
    const r = result.outcome;
    resultRun = lastResult === r ? resultRun + 1 : 1;
    lastResult = r;
    if ((r === 'failure' && resultRun < plan.failureThreshold) || (r === 'success' && resultRun < plan.successThreshold)) return true;
    spec.onResult(c.id, r);
    if (type !== 'Readiness' && r === 'failure') {
      // The container is going to be killed: wait for the next one.
      onHold = true;
      resultRun = 0;
    }
    return true;
  };

  const round = async (): Promise<void> => {
    if (stopped) return;
    if (busy) return void (again = true);
    busy = true;
    do {
      again = false;
      if (!(await doProbe())) worker.stop();
    } while (again && !stopped);
    busy = false;
  };
  const ticker = setInterval(() => void round(), plan.periodMs);
  const worker: ProbeWorker = {
    trigger: () => void round(),
    stop() {
      stopped = true;
      clearInterval(ticker);
    },
  };
  void round();
  return worker;
}
