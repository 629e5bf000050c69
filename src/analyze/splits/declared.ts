// Declared traffic shares over time, per source: VirtualService, HTTPRoute, ingress-nginx canary, rollout steps.
import type { KubeObject } from '../../kube/object.js';
import type { HttpRoute, Ingress, Rollout, RolloutStep, VirtualService } from '../../kube/route-objects.js';
import { httpRouteRoutes } from '../../kube/routing/from-gateway-api.js';
import { ingressRoutes } from '../../kube/routing/from-ingress.js';
import { virtualServiceRoutes } from '../../kube/routing/from-istio.js';
import { stepMatches } from '../../kube/routing/from-rollout.js';
import type { Destination } from '../../kube/routing/model.js';
import { judgeMatch, matchHolds, selectRoute, shares } from '../../kube/routing/select.js';
import type { ClusterEvent, ConfigSnapshot } from '../../types.js';
import type { ProbeRequest } from './match.js';
import type { RolloutEvent } from '../../watch/cluster-event.js';

export type Weights = Record<string, number>;

/** One source's declaration from `at` on; weights null means "no longer declared". */
export interface Declaration {
  source: string;
  at: number;
  weights: Weights | null;
  /** The config in force, to map destinations to versions. */
  snapshot?: ConfigSnapshot;
  /** Found in force when watching began (no settle margin needed). */
  initial: boolean;
  /** Why the shares are only approximate (not judged), e.g. a replica ratio without a traffic router. */
  approximate?: string;
}

const ANN = 'nginx.ingress.kubernetes.io/';

const hostSubset = (d: Destination): string => `${d.host || '?'}${d.subset ? `/${d.subset}` : ''}`;

// The routing fields the declarations read; matches stay unknown until match.ts judges them.
type VsDest = { destination?: { host?: string; subset?: string }; weight?: number | string };
type VsHttp = { match?: unknown[]; route?: VsDest[] };
type RouteMatch = { headers?: unknown[]; path?: { value?: unknown } };
type RouteRule = { matches?: RouteMatch[]; backendRefs?: Array<{ name?: string; weight?: number | string }> };

/** The route the probe's request takes through a VirtualService, as shares; undefined when not a split. */
export function vsWeights(vs: VirtualService, req: ProbeRequest): Weights | undefined {
  for (const r of virtualServiceRoutes(vs).routes) {
    const results = r.matches.map((m) => judgeMatch(m, req));
    if (results.includes(undefined)) return undefined;
    if (r.matches.length && !results.includes(true)) continue;
    const dests = r.backends;
    // A single plain host says nothing about versions; a subset, a header route or several dests do.
    const meaningful = dests.length >= 2 || r.matches.length > 0 || !!dests[0]?.backend.subset;
    return meaningful && dests.length ? shares(dests, hostSubset) : undefined;
  }
  return undefined;
}

/** The most specific matching rule (more headers, then a longer path), as Gateway API ranks them. */
export function httpRouteWeights(route: HttpRoute, req: ProbeRequest): Weights | undefined {
  const rules = route.spec?.rules ?? [];
  const routes = httpRouteRoutes(route).routes;
  const score = (i: number): number => {
    const raw = rules[i]?.matches ?? [];
    if (!raw.length) return 0;
    const hits = raw.filter((_, j) => { const m = routes[i]?.matches[j]; return m !== undefined && matchHolds(m, req); });
    if (!hits.length) return -1;
    return Math.max(0, ...hits.map((m) => (m.headers?.length ?? 0) * 1000 + String(m.path?.value ?? '').length));
  };
  const best = routes.map((r, i) => ({ r, s: score(i) })).filter((x) => x.s >= 0).sort((a, b) => b.s - a.s)[0];
  const refs = best?.r.backends ?? [];
  if (!best || (refs.length < 2 && best.s < 1000)) return undefined;
  return shares(refs, (d) => d.host);
}

const firstBackend = (ing: Ingress): string | undefined =>
  ing.spec?.rules?.[0]?.http?.paths?.[0]?.backend?.service?.name ?? ing.spec?.defaultBackend?.service?.name;

/**
 * ingress-nginx canary: the shares the routing model (the lab gateway's) gives the probe's request
 * on the main Ingress's host with the canary applied (by header, else by weight).
 */
export function canaryWeights(canary: Ingress, all: KubeObject[], req: ProbeRequest): Weights | undefined {
  const host = canary.spec?.rules?.[0]?.host;
  const main = (all as Ingress[]).find((o) => o.kind === 'Ingress' && o.metadata?.annotations?.[`${ANN}canary`] !== 'true' && o.spec?.rules?.[0]?.host === host);
  const to = firstBackend(canary);
  const from = main && firstBackend(main);
  if (!main || !to || !from || to === from) return undefined;
  const routes = ingressRoutes([main, canary]).find((h) => h.host === (host ?? ''))?.routes ?? [];
  const route = selectRoute(routes, req);
  if (!route) return undefined;
  const s = shares(route.backends, (d) => d.host);
  // Both sides are named even at 0%, so a weight of 0 still declares "none to the canary".
  return { [from]: s[from] ?? 0, [to]: s[to] ?? 0 };
}

const keyOf = (o: KubeObject): string => `${o.kind}/${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? '?'}`;

/** Every weighted source in one snapshot. */
export function declaredIn(snap: ConfigSnapshot, req: ProbeRequest): Map<string, Weights> {
  const out = new Map<string, Weights>();
  for (const o of snap.objects) {
    let w: Weights | undefined;
    if (o.kind === 'VirtualService') w = vsWeights(o, req);
    else if (o.kind === 'HTTPRoute') w = httpRouteWeights(o, req);
    else if (o.kind === 'Ingress' && o.metadata?.annotations?.[`${ANN}canary`] === 'true') w = canaryWeights(o, snap.objects, req);
    if (w) out.set(keyOf(o), w);
  }
  return out;
}

const same = (a: Weights | null | undefined, b: Weights | null | undefined): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Route declarations from the config snapshots: a new entry whenever a source's shares change. */
export function routeDeclarations(snapshots: ConfigSnapshot[], req: ProbeRequest): Declaration[] {
  const sorted = [...snapshots].sort((a, b) => a.at - b.at);
  const last = new Map<string, Weights | null>();
  const out: Declaration[] = [];
  sorted.forEach((snap, i) => {
    const now = declaredIn(snap, req);
    for (const [source, w] of now) {
      if (!same(last.get(source), w)) out.push({ source, at: snap.at, weights: w, snapshot: snap, initial: i === 0 });
      last.set(source, w);
    }
    for (const [source, w] of last) {
      if (w !== null && !now.has(source)) {
        out.push({ source, at: snap.at, weights: null, snapshot: snap, initial: false });
        last.set(source, null);
      }
    }
  });
  return out;
}

/** An Argo canary without trafficRouting declares a replica ratio, not a request split. */
function replicaBased(snap: ConfigSnapshot | undefined, flavor: string, name: string): string | undefined {
  if (flavor !== 'argo') return undefined;
  const r: Rollout | undefined = snap?.objects.find((o) => o.kind === 'Rollout' && o.metadata?.name === name);
  if (!r || r.spec?.strategy?.canary?.trafficRouting) return undefined;
  return 'replica-based canary (no trafficRouting): the weight is a replica ratio, and kube-proxy balances connections, not requests, so kept-alive connections stay on one pod';
}

function kruiseStep(snap: ConfigSnapshot | undefined, name: string, step: unknown): RolloutStep | undefined {
  const r: Rollout | undefined = snap?.objects.find((o) => o.kind === 'Rollout' && o.metadata?.name === name);
  return typeof step === 'number' && step >= 1 ? r?.spec?.strategy?.canary?.steps?.[step - 1] : undefined;
}

/** Kruise is finalising: the stable Service is unpinned and the workload rolls, so no step's shares hold. */
export const kruiseFinalising = (e: ClusterEvent): boolean =>
  e.kind === 'rollout' && e.flavor === 'kruise' && e.state === 'Completed' && e.phase !== 'Healthy';

/** Rollout step declarations ('stable'/'canary' shares) from the rollout events. */
export function rolloutDeclarations(events: ClusterEvent[], snapshots: ConfigSnapshot[], req: ProbeRequest): Declaration[] {
  const out: Declaration[] = [];
  for (const e of events.filter((x): x is RolloutEvent => x.kind === 'rollout').sort((a, b) => a.at - b.at)) {
    const flavor = e.flavor;
    // A Kruise step scales its canary first (StepUpgrade); the previous step's routes hold until it routes traffic.
    if (flavor === 'kruise' && e.state === 'StepUpgrade') continue;
    const snap = [...snapshots].filter((s) => s.at <= e.at).sort((a, b) => a.at - b.at).at(-1) ?? snapshots[0];
    const step = flavor === 'kruise' ? kruiseStep(snap, e.name, e.step) : undefined;
    const weight = e.weight;
    let canary: number | null = weight;
    if (step?.matches?.length) canary = stepMatches(step).some((m) => matchHolds(m, req)) ? 100 : (weight ?? 0);
    const done = e.change === 'deleted' || e.phase === 'Healthy' || kruiseFinalising(e);
    const weights = canary === null || done ? null : { stable: 100 - canary, canary };
    const source = `Rollout ${flavor}/${e.name}`;
    const prev = out.filter((d) => d.source === source).at(-1);
    if (same(prev?.weights, weights) || (!prev && weights === null)) continue;
    const approximate = replicaBased(snap, flavor, e.name);
    out.push({ source, at: e.at, weights, ...(snap ? { snapshot: snap } : {}), initial: e.initial === true, ...(approximate ? { approximate } : {}) });
  }
  return out;
}
