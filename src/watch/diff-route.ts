// Route changes (VirtualService, DestinationRule, Ingress, HTTPRoute) and rollout progress (Kruise, Argo).
import type { ClusterEvent, KubeObject } from '../types.js';
import type { EventFields, RolloutEvent, RouteEvent } from './cluster-event.js';
import { clusterEvent } from './event.js';
import {
  summarizeDestinationRule, summarizeHttpRoute, summarizeIngress, summarizeVirtualService,
} from './summarize-route.js';

type RouteSummary = Pick<RouteEvent, 'routeKind' | 'routes' | 'weights'>;
type Progress = Omit<EventFields<RolloutEvent>, 'kind' | 'type' | 'change' | 'flavor'>;

function percent(weights: Record<string, number>): Record<string, number> {
  const sum = Object.values(weights).reduce((a, b) => a + b, 0);
  const out: Record<string, number> = {};
  for (const [k, w] of Object.entries(weights)) out[k] = sum > 0 ? Math.round((w / sum) * 1000) / 10 : 0;
  return out;
}

/** kind-specific summary; `weights` holds the declared percent of each destination of the catch-all route. */
export function routeSummary(obj: KubeObject): RouteSummary {
  const routeKind = obj.kind ?? null;
  if (obj.kind === 'VirtualService') return { routeKind, ...summarizeVirtualService(obj) };
  if (obj.kind === 'HTTPRoute') {
    const s = summarizeHttpRoute(obj);
    return { routeKind, routes: s.routes, weights: percent(s.weights) };
  }
  if (obj.kind === 'DestinationRule') return { routeKind, routes: summarizeDestinationRule(obj), weights: {} };
  return { routeKind, routes: summarizeIngress(obj), weights: {} };
}

export function diffRoute(old: KubeObject | undefined, cur: KubeObject | undefined, at: number): ClusterEvent[] {
  const obj = cur ?? old;
  if (!obj) return [];
  const after = routeSummary(obj);
  if (old && cur && JSON.stringify(routeSummary(old)) === JSON.stringify(after)) return [];
  const change = !old ? 'created' : !cur ? 'deleted' : 'updated';
  const generation = (obj.metadata?.generation as number | undefined) ?? null;
  return [clusterEvent(at, obj, { kind: 'route', type: 'changed', ...after, change, generation })];
}

const pct = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : parseFloat(String(v ?? ''));
  return Number.isFinite(n) ? n : null;
};

type KruiseStep = { traffic?: string | number; replicas?: number | string };
type ArgoStep = { setWeight?: number };

function kruiseProgress(r: KubeObject): Progress {
  const s = r.status ?? {};
  const step: number | null = s.canaryStatus?.currentStepIndex ?? s.currentStepIndex ?? null;
  const steps: KruiseStep[] = r.spec?.strategy?.canary?.steps ?? [];
  // Kruise steps are numbered from 1.
  const cur = typeof step === 'number' && step >= 1 ? steps[step - 1] : undefined;
  return {
    step, steps: steps.length, weight: pct(cur?.traffic), replicas: cur?.replicas ?? null,
    state: s.canaryStatus?.currentStepState ?? s.currentStepState ?? null,
    phase: s.phase ?? null, message: s.message ?? null,
  };
}

function argoProgress(r: KubeObject): Progress {
  const s = r.status ?? {};
  const step: number | null = s.currentStepIndex ?? null;
  const steps: ArgoStep[] = r.spec?.strategy?.canary?.steps ?? [];
  // The weight in force is the last setWeight at or before the current step (100 once past the end).
  let weight: number | null = s.canary?.weights?.canary?.weight ?? null;
  if (weight === null && typeof step === 'number') {
    weight = 0;
    for (const st of steps.slice(0, step + 1)) if (st.setWeight !== undefined) weight = st.setWeight;
    if (step >= steps.length) weight = 100;
  }
  return {
    step, steps: steps.length, weight, state: s.pauseConditions?.[0]?.reason ?? null,
    phase: s.phase ?? null, message: s.message ?? null,
  };
}

export function diffRollout(old: KubeObject | undefined, cur: KubeObject | undefined, at: number): ClusterEvent[] {
  const obj = cur ?? old;
  if (!obj) return [];
  const flavor = obj.apiVersion?.startsWith('argoproj.io') ? 'argo' : 'kruise';
  const progress = flavor === 'argo' ? argoProgress : kruiseProgress;
  const after = progress(obj);
  if (!cur) return [clusterEvent(at, obj, { kind: 'rollout', type: 'changed', flavor, ...after, change: 'deleted' })];
  const before = old ? progress(old) : undefined;
  if (before && JSON.stringify(before) === JSON.stringify(after)) return [];
  const type = before && before.step !== after.step ? 'step' : 'changed';
  return [clusterEvent(at, obj, { kind: 'rollout', type, flavor, ...after, change: old ? 'updated' : 'created' })];
}
