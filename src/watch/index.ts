// startWatcher: watch what a release changes in the cluster, never failing the probe it runs beside.
import type { ClusterEvent, ClusterStatus, ConfigSnapshot } from '../types.js';
import type { WatchNews } from './cluster-event.js';
import type { ClusterNode } from '../types.js';
import { readNodes } from './nodes.js';
import { apiClient, type ApiClient } from '../kube/api.js';
import { discover, type Discovery } from './discover.js';
import { loadKubeConfig } from '../kube/kubeconfig.js';
import type { Tuning } from './list-watch.js';
import { RESOURCES } from './resources.js';
import { resolveScope, type Scope } from './scope.js';
import { startSession, type Session, type Sinks } from './session.js';
import { newStatusBook, statusOf, type StatusBook } from './status.js';

export interface WatchOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  deployment?: string;
  service?: string;
  selector?: string;
  /** "kruise/NAME" or "argo/NAME". */
  rollout?: string;
  onEvent(e: ClusterEvent): void;
  onConfig(s: ConfigSnapshot): void;
  now?: () => number;
  /** Watchdog and backoff; defaults suit a real cluster (bookmarks about once a minute). */
  tuning?: Partial<Tuning>;
  /** How long startWatcher waits for the first lists before returning anyway. */
  startTimeoutMs?: number;
  /** Environment for KUBECONFIG/HOME lookup (tests); defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface Watcher {
  status(): ClusterStatus;
  close(): Promise<void>;
}

// kube-apiserver sends each watch a bookmark every minute (cacher defaultBookmarkFrequency), so a
// healthy watch is never silent for 90 s; backoff is capped at a few seconds.
export const DEFAULT_TUNING: Tuning = { watchdogMs: 90_000, backoffMinMs: 250, backoffMaxMs: 4_000 };

interface Run {
  book: StatusBook;
  sinks: Sinks;
  tuning: Tuning;
  stop: AbortController;
  session?: Session;
  /** Resolves on the first bootstrap failure or once every resource listed. */
  firstAnswer: Promise<void>;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void { clearTimeout(t); signal.removeEventListener('abort', done); resolve(); }
    signal.addEventListener('abort', done);
  });
}

function emitWatch(run: Run, ns: string, news: WatchNews): void {
  const name = news.resource !== 'all' ? news.resource : 'apiserver';
  run.sinks.onEvent({ at: run.sinks.now(), namespace: ns, name, ...news });
}

function whyDown(status: number, message: string): string {
  if (status === 0) return `unreachable (${message})`;
  if (status === 401) return 'rejected the kubeconfig credentials (401 Unauthorized)';
  if (status === 403) return 'forbade API discovery (403): the user needs the system:discovery role';
  return `answered HTTP ${status} ${message}`;
}

/** Discovery and scope, retried with backoff while the API server cannot be reached. */
async function bootstrap(api: ApiClient, ns: string, opts: WatchOptions, run: Run, answered: () => void): Promise<void> {
  const started = run.sinks.now();
  let delay = run.tuning.backoffMinMs;
  let failure: string | undefined;
  while (!run.stop.signal.aborted) {
    const found = await discover(api, RESOURCES);
    const resolved = found.ok ? await resolveScope(api, ns, opts) : undefined;
    if (found.ok && resolved?.ok) {
      if (failure) {
        run.book.problems.delete('bootstrap');
        run.book.gaps.push({ start: started, end: run.sinks.now(), resource: 'all', reason: failure });
        emitWatch(run, ns, { kind: 'watch', type: 'gap', resource: 'all', reason: failure, start: started, end: run.sinks.now(), ms: run.sinks.now() - started });
      }
      return begin(api, found, resolved.scope, run, answered);
    }
    const why = !found.ok ? whyDown(found.status, found.message) : (resolved as { message: string }).message;
    if (!failure) emitWatch(run, ns, { kind: 'watch', type: 'unavailable', resource: 'all', reason: why });
    failure = `API server ${api.server} ${why} at start`;
    run.book.problems.set('bootstrap', `API server ${api.server} ${why}: the cluster is not watched yet; still trying`);
    answered();
    await pause(delay, run.stop.signal);
    delay = Math.min(run.tuning.backoffMaxMs, delay * 2);
  }
}

type Found = Extract<Discovery, { ok: true }>;

function begin(api: ApiClient, { served, skipped }: Found, scope: Scope, run: Run, answered: () => void): void {
  for (const p of scope.problems) run.book.problems.set(`scope:${p}`, p);
  for (const { def, reason } of skipped) {
    emitWatch(run, scope.namespace, { kind: 'watch', type: 'skipped', resource: def.id, reason });
    if (!def.optional) run.book.problems.set(`skip:${def.id}`, `${def.id} not watched: ${reason}`);
  }
  run.session = startSession(api, scope, served, run.book, run.sinks, run.tuning);
  void run.session.settled.then(answered);
}

/** A consumer that throws must not kill a watch loop; its failure is reported, not swallowed. */
function guarded<T>(book: StatusBook, what: string, fn: (x: T) => void): (x: T) => void {
  return (x) => {
    try {
      fn(x);
    } catch (err) {
      book.problems.set(`sink:${what}`, `the ${what} handler failed: ${(err as Error)?.message ?? String(err)}`);
    }
  };
}

function inert(problem: string): Watcher {
  return { status: () => ({ watched: false, problems: [problem], gaps: [] }), close: async () => {} };
}

export async function startWatcher(opts: WatchOptions): Promise<Watcher> {
  const loaded = loadKubeConfig(opts, opts.env);
  if (!loaded.ok) return inert(loaded.problem);
  const now = opts.now ?? Date.now;
  let answered = (): void => {};
  const book = newStatusBook();
  const run: Run = {
    book, sinks: { onEvent: guarded(book, 'onEvent', opts.onEvent), onConfig: guarded(book, 'onConfig', opts.onConfig), now },
    tuning: { ...DEFAULT_TUNING, ...opts.tuning }, stop: new AbortController(),
    firstAnswer: new Promise<void>((resolve) => { answered = resolve; }),
  };
  const api = apiClient(loaded.kc, run.stop.signal);
  const booted = bootstrap(api, loaded.namespace, opts, run, answered);
  const waited = new AbortController();
  await Promise.race([run.firstAnswer, pause(opts.startTimeoutMs ?? 5_000, waited.signal)]);
  waited.abort();
  let nodes: ClusterNode[] | undefined;
  const nodesRead = readNodes(api, run.stop.signal).then((n) => void (nodes = n), () => undefined);
  return {
    status: () => ({ ...statusOf(run.book), ...(nodes ? { nodes } : {}) }),
    close: async () => {
      await nodesRead;
      run.stop.abort();
      await booted;
      await run.session?.stop();
    },
  };
}
