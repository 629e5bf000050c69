// Route changes (VirtualService, DestinationRule, Ingress, HTTPRoute) and rollout progress (Kruise, Argo).
import type { ClusterEvent, KubeObject } from '../types.js';
import { clusterEvent, type Detail } from './event.js';
import {
  summarizeDestinationRule, summarizeHttpRoute, summarizeIngress, summarizeVirtualService,
} from './summarize-route.js';

function percent(weights: Record<string, number>): Record<string, number> {
  const sum = Object.values(weights).reduce((a, b) => a + b, 0);
  const out: Record<string, number> = {};
  for (const [k, w] of Object.entries(weights)) out[k] = sum > 0 ? Math.round((w / sum) * 1000) / 10 : 0;
  return out;
}

/** kind-specific summary; "weight:<dest>" keys hold the declared percent of the catch-all route. */
export function routeDetail(obj: KubeObject): Detail {
  const d: Detail = { kind: obj.kind ?? null };
  let weights: Record<string, number> = {};
  if (obj.kind === 'VirtualService') {
    const s = summarizeVirtualService(obj);
    d['routes'] = s.routes;
    weights = s.weights;
  } else if (obj.kind === 'HTTPRoute') {
    const s = summarizeHttpRoute(obj);
    d['routes'] = s.routes;
    weights = percent(s.weights);
  } else if (obj.kind === 'DestinationRule') d['routes'] = summarizeDestinationRule(obj);
  else d['routes'] = summarizeIngress(obj);
  for (const [dest, w] of Object.entries(weights)) d[`weight:${dest}`] = w;
  return d;
}

export function diffRoute(old: KubeObject | undefined, cur: KubeObject | undefined, at: number): ClusterEvent[] {
  const obj = cur ?? old;
  if (!obj) return [];
  const after = routeDetail(obj);
  if (old && cur && JSON.stringify(routeDetail(old)) === JSON.stringify(after)) return [];
  const change = !old ? 'created' : !cur ? 'deleted' : 'updated';
  return [clusterEvent(at, 'route', 'changed', obj, { ...after, change, generation: (obj.metadata?.generation as number | undefined) ?? null })];
}

const pct = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : parseFloat(String(v ?? ''));
  return Number.isFinite(n) ? n : null;
};

function kruiseProgress(r: KubeObject): Detail {
  const s = r.status ?? {};
  const step = s.canaryStatus?.currentStepIndex ?? s.currentStepIndex ?? null;
  const steps: any[] = r.spec?.strategy?.canary?.steps ?? [];
  // Kruise steps are numbered from 1.
  const cur = typeof step === 'number' && step >= 1 ? steps[step - 1] : undefined;
  return {
    step, steps: steps.length, weight: pct(cur?.traffic), replicas: cur?.replicas ?? null,
    state: s.canaryStatus?.currentStepState ?? s.currentStepState ?? null,
    phase: s.phase ?? null, message: s.message ?? null,
  };
}

function argoProgress(r: KubeObject): Detail {
  const s = r.status ?? {};
  const step = s.currentStepIndex ?? null;
  const steps: any[] = r.spec?.strategy?.canary?.steps ?? [];
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
  const progress = obj.apiVersion?.startsWith('argoproj.io') ? argoProgress : kruiseProgress;
  const after: Detail = { flavor: obj.apiVersion?.startsWith('argoproj.io') ? 'argo' : 'kruise', ...progress(obj) };
  if (!cur) return [clusterEvent(at, 'rollout', 'changed', obj, { ...after, change: 'deleted' })];
  const before: Detail | undefined = old ? { flavor: after['flavor'] ?? null, ...progress(old) } : undefined;
  if (before && JSON.stringify(before) === JSON.stringify(after)) return [];
  const type = before && before['step'] !== after['step'] ? 'step' : 'changed';
  return [clusterEvent(at, 'rollout', type, obj, { ...after, change: old ? 'updated' : 'created' })];
}
