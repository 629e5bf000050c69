// One generic list+watch loop for every resource: list, watch from the list's resourceVersion with
// bookmarks, resume after a drop, re-list (diffed against the cache) on 410 Gone, restart a silent
// watch, back off exponentially. Every gap is reported with when and why.
import type { KubeObject } from '../types.js';
import type { ApiClient, StreamEnd } from '../kube/api.js';
import { listObjects, listUrl, typedItem } from '../kube/list.js';
import { counts, keyOf, replaceCache, rvOf } from './cache-diff.js';
import type { WatchNews } from './cluster-event.js';

export interface LoopSpec {
  /** Plural resource name, for messages: "endpointslices". */
  resource: string;
  kind: string;
  apiVersion: string;
  /** Collection path, e.g. /apis/apps/v1/namespaces/shop/deployments. */
  path: string;
  query: Record<string, string>;
}

export interface Tuning {
  /** No event nor bookmark for this long: restart the watch. */
  watchdogMs: number;
  backoffMinMs: number;
  backoffMaxMs: number;
}

export interface Gap { start: number; end: number; resource: string; reason: string }

export interface LoopHooks {
  change(old: KubeObject | undefined, cur: KubeObject | undefined, initial: boolean): void;
  watch(news: WatchNews): void;
  gap(gap: Gap): void;
  /** A lasting failure (forbidden, not found); the loop stops for this resource. */
  fatal(status: number, message: string): void;
  /** Whether the resource is listed right now; false with the reason while it cannot be. */
  health(ok: boolean, message?: string): void;
}

interface Loop {
  spec: LoopSpec; api: ApiClient; hooks: LoopHooks; tuning: Tuning; now: () => number;
  cache: Map<string, KubeObject>;
  rv?: string;
  listed: boolean;
  down?: { start: number; reason: string; told?: boolean };
  /** After a watchdog restart: events replayed at once mean they were missed in [start, now]. */
  suspect?: { start: number; openedAt: number; reason: string };
  backoffMs: number;
  stop: AbortController;
  lastActivity: number;
}



function markDown(l: Loop, start: number, reason: string): void {
  if (!l.down) l.down = { start, reason };
  // Keep the first cause and the first different follow-up: "closed by the server; then unreachable".
  else if (!l.down.reason.includes(reason) && !l.down.reason.includes('; then')) l.down.reason += `; then ${reason}`;
}

function closeGap(l: Loop): void {
  if (!l.down) return;
  const end = l.now();
  const { start, reason } = l.down;
  l.down = undefined;
  l.hooks.gap({ start, end, resource: l.spec.resource, reason });
  l.hooks.watch({ kind: 'watch', type: 'gap', resource: l.spec.resource, reason, start, end, ms: Math.round(end - start) });
}

function sleep(l: Loop): Promise<void> {
  const ms = l.backoffMs;
  l.backoffMs = Math.min(l.tuning.backoffMaxMs, l.backoffMs * 2);
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void { clearTimeout(t); l.stop.signal.removeEventListener('abort', done); resolve(); }
    l.stop.signal.addEventListener('abort', done);
  });
}

function failedRequest(l: Loop, status: number, message: string, what: string): void {
  if (status === 401 || status === 403 || status === 404) {
    l.hooks.fatal(status, message);
    l.stop.abort();
    return;
  }
  const why = status === 0 ? `API server unreachable (${message})` : `${what} failed: HTTP ${status} ${message}`;
  markDown(l, l.now(), why);
  if (!l.down!.told) l.hooks.watch({ kind: 'watch', type: 'unavailable', resource: l.spec.resource, reason: why });
  l.down!.told = true;
  l.hooks.health(false, why);
}

async function list(l: Loop): Promise<void> {
  const res = await listObjects(l.api, l.spec, l.stop.signal);
  if (l.stop.signal.aborted) return;
  if (!res.ok) {
    failedRequest(l, res.status, res.message, 'list');
    if (!l.stop.signal.aborted) await sleep(l);
    return;
  }
  const relist = l.listed;
  const reason = l.down?.reason;
  closeGap(l);
  const changes = replaceCache(l.cache, res.items);
  // Tell the reader first that a re-list happened, then what it found changed.
  if (relist) l.hooks.watch({ kind: 'watch', type: 'relist', resource: l.spec.resource, reason: reason ?? 'watch restarted', ...counts(changes) });
  for (const [old, cur] of changes) l.hooks.change(old, cur, !relist);
  l.listed = true;
  l.rv = res.resourceVersion;
  l.backoffMs = l.tuning.backoffMinMs;
  l.hooks.health(true);
}

/** One line of a watch stream: an event, a BOOKMARK, or an ERROR carrying a Status. */
interface WatchLine {
  type?: string;
  object?: KubeObject & { code?: number; message?: string };
}

function onLine(l: Loop, line: WatchLine, abort: AbortController): void {
  const obj = line?.object;
  if (line?.type === 'ERROR') {
    const code = obj?.code ?? 0;
    if (code === 410) l.rv = undefined;
    markDown(l, l.now(), code === 410 ? 'resourceVersion expired (410 Gone), re-listing' : `watch error: ${obj?.message ?? code}`);
    abort.abort();
    return;
  }
  if (rvOf(obj)) l.rv = rvOf(obj);
  if (line?.type === 'BOOKMARK' || !obj?.metadata) return;
  if (l.suspect) {
    if (l.now() - l.suspect.openedAt < 1000) {
      l.down = { start: l.suspect.start, reason: l.suspect.reason };
      closeGap(l);
    }
    l.suspect = undefined;
  }
  const cur = typedItem(l.spec, obj);
  const old = l.cache.get(keyOf(cur));
  if (line?.type === 'DELETED') {
    l.cache.delete(keyOf(cur));
    if (old && rvOf(old) !== rvOf(cur)) l.hooks.change(old, cur, false);
    l.hooks.change(cur, undefined, false);
    return;
  }
  l.cache.set(keyOf(cur), cur);
  l.hooks.change(old, cur, false);
}

function opened(l: Loop): void {
  l.backoffMs = l.tuning.backoffMinMs;
  // Only a pure watchdog restart is a suspect; one that then met an outage is a real gap.
  const watchdog = !!l.down?.reason.startsWith('no event') && !l.down.reason.includes('; then');
  if (watchdog && l.down) l.suspect = { ...l.down, openedAt: l.now() };
  else closeGap(l);
  if (watchdog) l.down = undefined;
  l.hooks.watch({ kind: 'watch', type: 'resumed', resource: l.spec.resource, resourceVersion: l.rv ?? null, watchdog: !!watchdog });
}

async function watchOnce(l: Loop): Promise<{ end: StreamEnd; silent: boolean; events: number }> {
  const abort = new AbortController();
  const stopIt = (): void => abort.abort();
  l.stop.signal.addEventListener('abort', stopIt);
  let silent = false;
  let events = 0;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    l.lastActivity = l.now();
    clearTimeout(timer);
    timer = setTimeout(() => { silent = true; abort.abort(); }, l.tuning.watchdogMs);
  };
  const wasDown = !!l.down;
  arm();
  const path = listUrl(l.spec, { watch: 'true', resourceVersion: l.rv ?? '0', allowWatchBookmarks: 'true' });
  const end = await l.api.stream(path, (line) => { events += 1; arm(); onLine(l, line as WatchLine, abort); }, () => {
    arm();
    if (wasDown) opened(l);
  }, abort.signal);
  clearTimeout(timer);
  l.stop.signal.removeEventListener('abort', stopIt);
  return { end, silent, events };
}

async function afterWatch(l: Loop, r: { end: StreamEnd; silent: boolean; events: number }): Promise<void> {
  const { end } = r;
  if (l.stop.signal.aborted) return;
  if (r.silent) return markDown(l, l.lastActivity, `no event or bookmark for ${Math.round(l.tuning.watchdogMs / 1000)} s, watch restarted`);
  // An ERROR line already said why; only a 410 (rv cleared) re-lists at once.
  if (end.how === 'aborted') return l.rv === undefined ? undefined : sleep(l);
  if (end.how === 'status') {
    if (end.status === 410) {
      l.rv = undefined;
      return markDown(l, l.now(), 'resourceVersion expired (410 Gone), re-listing');
    }
    failedRequest(l, end.status, end.message, 'watch');
  } else if (end.how === 'unreachable') {
    failedRequest(l, 0, end.message, 'watch');
  } else if (end.how === 'error') {
    markDown(l, l.now(), `watch connection broke (${end.message})`);
  } else {
    markDown(l, l.now(), 'watch closed by the server');
    if (r.events > 0) return;
  }
  if (!l.stop.signal.aborted) await sleep(l);
}

async function run(l: Loop): Promise<void> {
  while (!l.stop.signal.aborted) {
    if (l.rv === undefined) await list(l);
    else await afterWatch(l, await watchOnce(l));
  }
  // A loop that ends while the watch is down still owes the reader that gap.
  closeGap(l);
}

export interface LoopHandle {
  cache: Map<string, KubeObject>;
  stop(): Promise<void>;
}

export function startLoop(api: ApiClient, spec: LoopSpec, hooks: LoopHooks, tuning: Tuning, now: () => number): LoopHandle {
  const l: Loop = {
    spec, api, hooks, tuning, now, cache: new Map(), listed: false,
    backoffMs: tuning.backoffMinMs, stop: new AbortController(), lastActivity: now(),
  };
  const done = run(l);
  return { cache: l.cache, stop: async () => { l.stop.abort(); await done; } };
}
