// preStop hooks as the kubelet runs them: exec (here a host process, see probe.ts), the native sleep,
// httpGet against the pod. A failure gives FailedPreStopHook with the kubelet's bare message, and
// SIGTERM follows at once; a hook still running at the deadline is cut without an event.
import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import type { HookPlan } from './pod-plan.js';
import { runExecHook } from './supervisor.js';
import { containerEvent, logPathOf, podLog, workDirOf } from './worker-state.js';
import type { ContainerRuntime, WorkerState } from './worker-state.js';

export async function runPreStop(w: WorkerState, c: ContainerRuntime, hook: HookPlan, deadline: number): Promise<void> {
  const budget = deadline - Date.now();
  podLog(w, `preStop ${describe(hook)} of ${c.plan.name} (budget ${budget}ms)`);
  const error = await hookError(w, c, hook, budget);
  if (error === undefined) {
    podLog(w, `preStop of ${c.plan.name} done`);
    return;
  }
  podLog(w, `preStop of ${c.plan.name} failed: ${error}`);
  // The kubelet keeps the hook's output out of the event (it may hold secrets): a bare message.
  containerEvent(w, c, { type: 'Warning', reason: 'FailedPreStopHook', message: 'PreStopHook failed' });
}

/** undefined when the hook succeeded or ran out of time. */
async function hookError(w: WorkerState, c: ContainerRuntime, hook: HookPlan, budgetMs: number): Promise<string | undefined> {
  if (hook.kind === 'sleep') {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(hook.seconds * 1000, budgetMs))));
    return undefined;
  }
  if (hook.kind === 'httpGet') {
    const at = w.deps.network.socket(w.podIP ?? '127.0.0.1', hook.port);
    return httpHook(at.host, at.port, hook.path, budgetMs);
  }
  const [command = '', ...args] = hook.command;
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...c.plan.env };
  const cwd = workDirOf(w);
  mkdirSync(cwd, { recursive: true });
  const run = runExecHook({ command, args, env, cwd, logPath: logPathOf(w), signal: w.abort.signal }, budgetMs);
  w.hooks.add(run);
  const outcome = await run;
  w.hooks.delete(run);
  return outcome.ok || outcome.timedOut ? undefined : outcome.error;
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
