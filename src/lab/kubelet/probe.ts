// Readiness probing as the kubelet does it: httpGet on a fresh connection, 200-399 is success,
// readiness flips only after successThreshold / failureThreshold consecutive results.
import { request } from 'node:http';
import type { ProbePlan } from './pod-plan.js';

export interface ProbeResult {
  ok: boolean;
  /** Kubelet-style probe output: `HTTP probe failed with statuscode: 503`, `Get "...": ...`. */
  message: string;
}

export interface Tally {
  ready: boolean;
  successes: number;
  failures: number;
}

export const initialTally: Tally = { ready: false, successes: 0, failures: 0 };

export function tally(previous: Tally, ok: boolean, plan: Pick<ProbePlan, 'successThreshold' | 'failureThreshold'>): Tally {
  const successes = ok ? previous.successes + 1 : 0;
  const failures = ok ? 0 : previous.failures + 1;
  let ready = previous.ready;
  if (ok && successes >= plan.successThreshold) ready = true;
  if (!ok && failures >= plan.failureThreshold) ready = false;
  return { ready, successes, failures };
}

/** `from`: the node address the probe connects from, as a real kubelet's probes come from the node. */
export function httpProbe(host: string, plan: Pick<ProbePlan, 'path' | 'port' | 'timeoutMs'>, from?: string): Promise<ProbeResult> {
  const url = `http://${host}:${plan.port}${plan.path.startsWith('/') ? '' : '/'}${plan.path}`;
  return new Promise((resolve) => {
    const req = request(url, { agent: false, ...(from ? { localAddress: from } : {}), headers: { 'User-Agent': 'kube-probe/1.33', Connection: 'close' } }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      const ok = status >= 200 && status < 400;
      resolve({ ok, message: ok ? '' : `HTTP probe failed with statuscode: ${status}` });
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ ok: false, message: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` });
    }, plan.timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ ok: false, message: `Get "${url}": ${dialError(err, host, plan.port)}` });
    });
    req.end();
  });
}

function dialError(err: NodeJS.ErrnoException, host: string, port: number): string {
  if (err.code === 'ECONNREFUSED') return `dial tcp ${host}:${port}: connect: connection refused`;
  if (err.code === 'ECONNRESET') return 'read: connection reset by peer';
  return err.message;
}

export interface Prober {
  stop(): void;
}

/**
 * Probes every periodMs after initialDelayMs; `onResult` gets each result with the new tally.
 * One probe at a time: a slow probe delays the next one, as in the kubelet's worker loop.
 */
export function startProber(
  host: string,
  from: string | undefined,
  plan: ProbePlan,
  onResult: (result: ProbeResult, now: Tally, before: Tally) => void,
): Prober {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current = initialTally;
  const round = async (): Promise<void> => {
    const started = Date.now();
    const result = await httpProbe(host, plan, from);
    if (stopped) return;
    const before = current;
    current = tally(current, result.ok, plan);
    onResult(result, current, before);
    timer = setTimeout(() => void round(), Math.max(0, plan.periodMs - (Date.now() - started)));
  };
  timer = setTimeout(() => void round(), plan.initialDelayMs);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
