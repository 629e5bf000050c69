// Graceful pod deletion as the kubelet does it (SyncTerminatingPod, killContainer): every container
// at once gets Killing -> its own preStop -> (a sidecar: waits for the main containers and for later
// sidecars) -> SIGTERM -> SIGKILL at the grace deadline (preStop and waiting count against it, at
// least 2 s remain). Only when all have stopped is the status with their terminated states written,
// then the pod is deleted with grace 0.
import { messageOf } from './events.js';
import { runPreStop } from './pre-stop.js';
import type { ContainerProcess, ExitInfo } from './supervisor.js';
import { containerEvent, podLog, podPhaseOf, publish, stopProbes, terminationOf } from './worker-state.js';
import type { ContainerRuntime, Grace, WorkerState } from './worker-state.js';

// The kubelet never gives SIGTERM less than 2 s, even when preStop used up the grace period.
const MIN_GRACE_MS = 2000;

export async function terminate(w: WorkerState, graceSeconds: number): Promise<void> {
  w.grace.deadline = Date.now() + graceSeconds * 1000;
  w.terminating = true;
  // Liveness and startup stop here; readiness keeps being probed while the pod terminates (prober
  // worker.go): Ready, and so the endpoint's `serving`, stays true until the app stops answering.
  for (const c of w.containers) {
    clearTimeout(c.restartTimer);
    stopProbes(c, ['Liveness', 'Startup']);
  }
  podLog(w, `deletion seen: grace ${graceSeconds}s`);
  void publish(w);
  const mains = w.containers.filter((c) => !c.plan.sidecar);
  const mainsDone = Promise.all(mains.map((c) => stopForDeletion(w, c, Promise.resolve())));
  // Sidecars stop in reverse order of their start, each after the main containers and the later sidecars.
  let turn: Promise<unknown> = mainsDone;
  const sidecars = w.containers.filter((c) => c.plan.sidecar).reverse().map((c) => {
    const done = stopForDeletion(w, c, turn);
    turn = Promise.all([turn, done]);
    return done;
  });
  await Promise.all([mainsDone, ...sidecars]);
  if (w.stopped) return;
  for (const c of w.containers) stopProbes(c);
  await finalize(w);
}

async function stopForDeletion(w: WorkerState, c: ContainerRuntime, turn: Promise<unknown>): Promise<void> {
  c.stopped = true;
  const proc = c.proc;
  if (!proc?.running()) return void (await turn);
  // A probe kill under way finishes first (the kubelet's pod worker runs one sync at a time).
  const exit = await (c.killing ?? stopContainer(w, c, proc, { grace: w.grace, turn }));
  c.state = { kind: 'terminated', last: terminationOf(w, c, proc, exit) };
}

/** A second DELETE with a shorter grace period moves the deadline closer, as with the real kubelet. */
export function shortenGrace(w: WorkerState, graceSeconds: number): void {
  const deadline = Date.now() + graceSeconds * 1000;
  if (deadline >= w.grace.deadline) return;
  w.grace.deadline = deadline;
  podLog(w, `grace period shortened to ${graceSeconds}s`);
  for (const wake of w.grace.moved) wake();
}

export interface StopOptions {
  /** The Killing event's message (default "Stopping container <name>"). */
  message?: string;
  grace: Grace;
  /** A sidecar's turn: SIGTERM waits for it (termination ordering). */
  turn?: Promise<unknown>;
}

/** killContainer: Killing, preStop, the turn, SIGTERM, SIGKILL at the deadline; resolves with the exit. */
export async function stopContainer(w: WorkerState, c: ContainerRuntime, proc: ContainerProcess, opts: StopOptions): Promise<ExitInfo> {
  const { name } = c.plan;
  containerEvent(w, c, { type: 'Normal', reason: 'Killing', message: opts.message ?? `Stopping container ${name}` });
  if (c.plan.preStop && opts.grace.deadline > Date.now()) await runPreStop(w, c, c.plan.preStop, opts.grace.deadline);
  if (opts.turn) await settlesWithin(opts.turn, opts.grace.deadline - Date.now());
  if (w.stopped) return proc.exited;
  const floor = Date.now() + MIN_GRACE_MS;
  podLog(w, `SIGTERM to ${name} (pid ${proc.pid}), SIGKILL in ${Math.max(opts.grace.deadline, floor) - Date.now()}ms unless it exits`);
  proc.signal('SIGTERM');
  const inTime = await exitsBeforeDeadline(opts.grace, proc, floor);
  if (!inTime && !w.stopped) {
    // Silently, as on a normal delete: ExceededGracePeriod comes only from killPodNow (eviction).
    podLog(w, `grace period exceeded: SIGKILL to ${name} (pid ${proc.pid})`);
    proc.signal('SIGKILL');
  }
  const exit = await proc.exited;
  podLog(w, `container ${name} exited with ${exit.exitCode}${exit.signal ? ` (${exit.signal})` : ''}`);
  return exit;
}

async function finalize(w: WorkerState): Promise<void> {
  w.phase = podPhaseOf(w);
  await publish(w);
  await w.deps.recorder.flush();
  if (w.podIP) releaseAddress(w, w.podIP);
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
  w.abort.abort();
  for (const c of w.containers) {
    stopProbes(c);
    clearTimeout(c.restartTimer);
    c.proc?.signal('SIGKILL');
  }
  await Promise.all(w.containers.map((c) => c.proc?.exited));
  await Promise.all([...w.hooks]);
  if (w.podIP) releaseAddress(w, w.podIP);
}

function releaseAddress(w: WorkerState, address: string): void {
  w.deps.pool.release(address);
  w.deps.network.release(address);
}

async function exitsBeforeDeadline(grace: Grace, proc: ContainerProcess, floor: number): Promise<boolean> {
  for (;;) {
    let moved = false;
    let wake: () => void = () => undefined;
    const deadlineMoved = new Promise<void>((resolve) => (wake = resolve)).then(() => void (moved = true));
    grace.moved.add(wake);
    const settled = await settlesWithin(Promise.race([proc.exited, deadlineMoved]), Math.max(grace.deadline, floor) - Date.now());
    grace.moved.delete(wake);
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
