// One watch session: a list+watch loop per served resource, scope filtering, diffs, config snapshots.
import type { ClusterEvent, ConfigSnapshot, KubeObject } from '../types.js';
import type { ApiClient } from '../kube/api.js';
import type { Served } from './discover.js';
import { applySlice, type SliceView } from './endpoint-view.js';
import type { WatchNews } from './cluster-event.js';
import { inScope, serviceInScope, type Known } from './in-scope.js';
import { startLoop, type LoopHandle, type LoopHooks, type Tuning } from './list-watch.js';
import { apiVersionOf, collectionPath, type ResourceDef } from './resources.js';
import type { Scope } from './scope.js';
import { selectorString } from '../kube/selector.js';
import { snapshotObjects } from './snapshot.js';
import type { StatusBook } from './status.js';

export interface Sinks {
  onEvent(e: ClusterEvent): void;
  onConfig(s: ConfigSnapshot): void;
  now: () => number;
}

export interface Session {
  loops: Array<{ def: ResourceDef; loop: LoopHandle }>;
  /** Resolves once every loop has listed once or given up. */
  settled: Promise<void>;
  stop(): Promise<void>;
}

interface Ctx {
  api: ApiClient; scope: Scope; book: StatusBook; sinks: Sinks; tuning: Tuning;
  known: Known; pending: Set<string>; fingerprint?: string; loops: Session['loops'];
  slices: SliceView;
  onSettled: () => void;
}

export function fatalProblem(status: number, resource: string, ns: string, message: string, clusterScoped = false): string {
  if (status === 403 && clusterScoped) return `forbidden to watch ${resource} (cluster-scoped): add the ClusterRole in deploy/rbac.yaml`;
  if (status === 403) return `forbidden to watch ${resource} in ${ns}: add the rules in deploy/rbac.yaml`;
  if (status === 401) return `the API server rejected the kubeconfig's credentials (401) for ${resource}: check the user in the kubeconfig`;
  return `${resource} could not be watched in ${ns}: HTTP ${status} ${message}`;
}

function watchEvent(ctx: Ctx, def: ResourceDef, news: WatchNews): void {
  ctx.sinks.onEvent({ at: ctx.sinks.now(), namespace: ctx.scope.namespace, name: def.id, ...news });
}

function remember(ctx: Ctx, def: ResourceDef, obj: KubeObject): void {
  const name = obj.metadata?.name ?? '';
  if (def.role === 'pod') ctx.known.pods.add(name);
  if (def.role === 'pod' && obj.spec?.nodeName) ctx.known.nodes.add(obj.spec.nodeName);
  if (def.role === 'replicaset' && inScope('replicaset', ctx.scope, obj, ctx.known)) ctx.known.replicasets.add(name);
  if (def.role === 'service' && serviceInScope(ctx.scope, obj)) ctx.known.services.add(name);
}

function snapshot(ctx: Ctx): void {
  if ([...ctx.pending].some((id) => ctx.loops.find((l) => l.def.id === id)?.def.config)) return;
  const objects = ctx.loops.filter(({ def }) => def.config).flatMap(({ def, loop }) =>
    [...loop.cache.values()].filter((o) => inScope(def.role, ctx.scope, o, ctx.known)));
  const snap = snapshotObjects(objects);
  if (snap.fingerprint === ctx.fingerprint) return;
  ctx.fingerprint = snap.fingerprint;
  ctx.sinks.onConfig({ at: ctx.sinks.now(), objects: snap.objects });
}

function settle(ctx: Ctx, def: ResourceDef): void {
  if (!ctx.pending.delete(def.id)) return;
  if (def.config) snapshot(ctx);
  if (ctx.pending.size === 0) ctx.onSettled();
}

function hooksFor(ctx: Ctx, def: ResourceDef): LoopHooks {
  const ns = ctx.scope.namespace;
  const change = (old: KubeObject | undefined, cur: KubeObject | undefined, initial: boolean): void => {
    const obj = (cur ?? old)!;
    remember(ctx, def, obj);
    if (!inScope(def.role, ctx.scope, obj, ctx.known)) return;
    // Endpoints are judged per Service across its slices, not per slice.
    const [before, after] = def.role === 'endpoint' ? applySlice(ctx.slices, old, cur) : [old, cur];
    for (const e of def.diff(before, after, ctx.sinks.now())) {
      // Transitions from the first list describe the state found at start, not news.
      if (initial) e.initial = true;
      ctx.sinks.onEvent(e);
    }
    if (def.config && !ctx.pending.has(def.id)) snapshot(ctx);
  };
  return {
    change(old, cur, initial) {
      // A diff that throws on an odd object must not kill the process (it runs in a stream callback).
      try {
        change(old, cur, initial);
      } catch (err) {
        ctx.book.problems.set(`diff:${def.id}`, `could not interpret a change of ${def.id}: ${(err as Error)?.message ?? String(err)}`);
      }
    },
    watch: (news) => watchEvent(ctx, def, news),
    gap: (g) => ctx.book.gaps.push(g),
    fatal(status, message) {
      ctx.book.problems.set(`fatal:${def.id}`, fatalProblem(status, def.id, ns, message, def.clusterScoped));
      watchEvent(ctx, def, { kind: 'watch', type: status === 403 || status === 401 ? 'forbidden' : 'unavailable', resource: def.id, status, reason: message });
      settle(ctx, def);
    },
    health(ok, message) {
      if (ok) {
        ctx.book.listed.add(def.id);
        ctx.book.problems.delete(`down:${def.id}`);
        settle(ctx, def);
      } else if (!ctx.book.listed.has(def.id)) {
        ctx.book.problems.set(`down:${def.id}`, `could not list ${def.id} in ${ns}: ${message}; still trying`);
      }
    },
  };
}

export function startSession(api: ApiClient, scope: Scope, served: Served[], book: StatusBook, sinks: Sinks, tuning: Tuning): Session {
  let onSettled = (): void => {};
  const settled = new Promise<void>((resolve) => { onSettled = resolve; });
  const ctx: Ctx = {
    api, scope, book, sinks, tuning, loops: [], onSettled, slices: new Map(),
    known: { services: new Set(scope.services), pods: new Set(), replicasets: new Set(), nodes: new Set() },
    pending: new Set(served.map((s) => s.def.id)),
  };
  if (served.length === 0) onSettled();
  for (const { def, version } of served) {
    const query: Record<string, string> = {};
    if (def.role === 'pod' && scope.podSelector?.length) query['labelSelector'] = selectorString(scope.podSelector);
    const spec = {
      resource: def.id, kind: def.kind, apiVersion: apiVersionOf(def, version),
      path: collectionPath(def, version, scope.namespace), query,
    };
    ctx.loops.push({ def, loop: startLoop(api, spec, hooksFor(ctx, def), tuning, sinks.now) });
  }
  return { loops: ctx.loops, settled, stop: async () => { await Promise.all(ctx.loops.map((l) => l.loop.stop())); } };
}
