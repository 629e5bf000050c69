// Graceful pod deletion as the kubelet does it: not ready -> preStop -> SIGTERM -> SIGKILL at the
// grace deadline (preStop time counts against it) -> terminated status -> delete with grace 0.
import { request } from 'node:http';
import { messageOf } from './events.js';
import type { HookPlan } from './pod-plan.js';
import { runExecHook } from './supervisor.js';
import type { ContainerProcess } from './supervisor.js';
import { containerEvent, logPathOf, podLog, publish, terminationOf } from './worker-state.js';
import type { WorkerState } from './worker-state.js';

// The kubelet never gives SIGTERM less than 2 s, even when preStop used up the grace period.
const MIN_GRACE_MS = 2000;

export async function terminate(w: WorkerState, graceSeconds: number): Promise<void> {
  w.deadline = Date.now() + graceSeconds * 1000;
  w.terminating = true;
  // Readiness keeps being probed while the pod terminates (kubelet prober worker.go): Ready, and so
  // the endpoint's `serving`, stays true until the app stops answering.
  clearTimeout(w.restartTimer);
  podLog(w, `deletion seen: grace ${graceSeconds}s`);
  void publish(w);
  const proc = w.proc;
  if (proc?.running()) await stopProcess(w, proc);
  if (w.stopped) return;
  await finalize(w);
}

/** A second DELETE with a shorter grace period moves the deadline closer, as with the real kubelet. */
export function shortenGrace(w: WorkerState, graceSeconds: number): void {
  const deadline = Date.now() + graceSeconds * 1000;
  if (deadline >= w.deadline) return;
  w.deadline = deadline;
  podLog(w, `grace period shortened to ${graceSeconds}s`);
  w.deadlineMoved?.();
}

async function stopProcess(w: WorkerState, proc: ContainerProcess): Promise<void> {
  containerEvent(w, { type: 'Normal', reason: 'Killing', message: `Stopping container ${w.plan.container}` });
  if (w.plan.preStop) await runPreStop(w, w.plan.preStop, w.deadline);
  if (w.stopped) return;
  const floor = Date.now() + MIN_GRACE_MS;
  podLog(w, `SIGTERM to pid ${proc.pid}, SIGKILL in ${Math.max(w.deadline, floor) - Date.now()}ms unless it exits`);
  proc.signal('SIGTERM');
  const inTime = await exitsBeforeDeadline(w, proc, floor);
  if (!inTime && !w.stopped) {
    // Silently, as on a normal delete: ExceededGracePeriod comes only from killPodNow (eviction).
    podLog(w, `grace period exceeded: SIGKILL to pid ${proc.pid}`);
    proc.signal('SIGKILL');
  }
  const exit = await proc.exited;
  w.prober?.stop();
  w.rt.ready = false;
  podLog(w, `container exited with ${exit.exitCode}${exit.signal ? ` (${exit.signal})` : ''}`);
  w.rt.state = { kind: 'terminated', last: terminationOf(w, proc, exit) };
}

async function finalize(w: WorkerState): Promise<void> {
  const exitCode = w.rt.state.kind === 'terminated' ? w.rt.state.last.exitCode : (w.rt.lastTerminated?.exitCode ?? 0);
  w.rt.phase = exitCode === 0 ? 'Succeeded' : 'Failed';
  await publish(w);
  await w.deps.recorder.flush();
  if (w.rt.podIP) releaseAddress(w, w.rt.podIP);
  const { name, namespace, uid } = w.plan;
  try {
    await w.deps.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0, body: { gracePeriodSeconds: 0, preconditions: { uid } } });
    podLog(w, 'pod finalised (deleted with grace 0)');
  } catch (err) {
    if ((err as { code?: unknown }).code !== 404) w.deps.log(`finalising ${namespace}/${name} failed: ${messageOf(err)}`);
  }
}

/** Kubelet shutdown or force deletion: no hooks, no grace. */
export async function killNow(w: WorkerState): Promise<void> {
  w.stopped = true;
  w.prober?.stop();
  clearTimeout(w.restartTimer);
  w.abort.abort();
  const proc = w.proc;
  if (proc) {
    proc.signal('SIGKILL');
    await proc.exited;
  }
  await w.hook;
  if (w.rt.podIP) releaseAddress(w, w.rt.podIP);
}

async function runPreStop(w: WorkerState, hook: HookPlan, deadline: number): Promise<void> {
  const budget = deadline - Date.now();
  podLog(w, `preStop ${describe(hook)} (budget ${budget}ms)`);
  const error = await hookError(w, hook, budget);
  if (error === undefined) {
    podLog(w, 'preStop done');
    return;
  }
  podLog(w, `preStop failed: ${error}`);
  // The kubelet keeps the hook's output out of the event (it may hold secrets): a bare message.
  containerEvent(w, { type: 'Warning', reason: 'FailedPreStopHook', message: 'PreStopHook failed' });
}

/** undefined when the hook succeeded; a hook still running at the deadline is cut without an event. */
async function hookError(w: WorkerState, hook: HookPlan, budgetMs: number): Promise<string | undefined> {
  if (hook.kind === 'sleep') {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(hook.seconds * 1000, budgetMs))));
    return undefined;
  }
  if (hook.kind === 'httpGet') {
    const at = w.deps.network.socket(w.rt.podIP ?? '127.0.0.1', hook.port);
    return httpHook(at.host, at.port, hook.path, budgetMs);
  }
  const [command = '', ...args] = hook.command;
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...w.plan.env };
  const run = runExecHook({ command, args, env, logPath: logPathOf(w), signal: w.abort.signal }, budgetMs);
  w.hook = run;
  const outcome = await run;
  return outcome.ok || outcome.timedOut ? undefined : outcome.error;
}

function releaseAddress(w: WorkerState, address: string): void {
  w.deps.pool.release(address);
  w.deps.network.release(address);
}

function httpHook(host: string, port: number, path: string, budgetMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({ host, port, path, agent: false, timeout: Math.max(1, budgetMs) }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(status >= 200 && status < 400 ? undefined : `HTTP status ${status}`);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', (err) => resolve(err.message));
    req.end();
  });
}

function describe(hook: HookPlan): string {
  if (hook.kind === 'exec') return `[${hook.command.join(' ')}]`;
  if (hook.kind === 'sleep') return `sleep ${hook.seconds}s`;
  return `GET :${hook.port}${hook.path}`;
}

async function exitsBeforeDeadline(w: WorkerState, proc: ContainerProcess, floor: number): Promise<boolean> {
  for (;;) {
    let moved = false;
    const deadlineMoved = new Promise<void>((resolve) => (w.deadlineMoved = resolve)).then(() => void (moved = true));
    const settled = await settlesWithin(Promise.race([proc.exited, deadlineMoved]), Math.max(w.deadline, floor) - Date.now());
    if (!moved) return settled;
  }
}

/** True when `promise` settled within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, ms))));
  const result = await Promise.race([promise.then(() => true as const), late]);
  clearTimeout(timer);
  return result;
}
