// One pass over the input that sorts objects into what the rules look at: workloads
// (anything with a pod template), Services, Istio routing, and rollout controllers.
import type { KubeObject, Severity, SourcedObject } from '../../types.js';
import { lower } from './rule.js';

export interface Workload {
  src: SourcedObject;
  kind: string;
  ns: string;
  labels: Record<string, string>;
  /** The pod template's spec. */
  pod: PodSpec;
}

/** The parts of a pod template the rules read. */
export interface PodSpec {
  containers?: unknown;
  terminationGracePeriodSeconds?: number | string;
  [k: string]: unknown;
}

export interface Container {
  readinessProbe?: unknown;
  lifecycle?: { preStop?: { sleep?: { seconds?: unknown }; exec?: { command?: unknown } } };
  [k: string]: unknown;
}

export interface Index {
  workloads: Workload[];
  services: SourcedObject[];
  virtualServices: SourcedObject[];
  destinationRules: SourcedObject[];
  rollouts: SourcedObject[];
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'CloneSet']);

export const groupOf = (o: KubeObject): string => {
  const av = o.apiVersion ?? '';
  return av.includes('/') ? av.slice(0, av.indexOf('/')) : '';
};

export const isArgoRollout = (o: KubeObject): boolean => o.kind === 'Rollout' && groupOf(o) === 'argoproj.io';
export const isKruiseRollout = (o: KubeObject): boolean =>
  o.kind === 'Rollout' && groupOf(o) === 'rollouts.kruise.io';
const isIstio = (o: KubeObject, kind: string): boolean =>
  o.kind === kind && groupOf(o).startsWith('networking.istio.io');
// Knative and others also call things "Service"; only the core one selects pods.
const isCoreService = (o: KubeObject): boolean => o.kind === 'Service' && groupOf(o) === '';

export const nsOf = (o: KubeObject): string => o.metadata?.namespace ?? '';

/** Objects without a namespace (plain files) may land in any namespace, so they match all. */
export const sameNs = (a: string, b: string): boolean => a === '' || b === '' || a === b;

function toWorkload(src: SourcedObject): Workload | null {
  const o = src.obj;
  if (!WORKLOAD_KINDS.has(o.kind ?? '') && !isArgoRollout(o)) return null;
  const template = o.spec?.template;
  if (!template || typeof template !== 'object') return null;
  return { src, kind: o.kind ?? '', ns: nsOf(o), labels: template.metadata?.labels ?? {}, pod: template.spec ?? {} };
}

export function buildIndex(objects: SourcedObject[]): Index {
  const ix: Index = { workloads: [], services: [], virtualServices: [], destinationRules: [], rollouts: [] };
  for (const src of objects) {
    const o = src.obj;
    const w = toWorkload(src);
    if (w) ix.workloads.push(w);
    if (isCoreService(o)) ix.services.push(src);
    else if (isIstio(o, 'VirtualService')) ix.virtualServices.push(src);
    else if (isIstio(o, 'DestinationRule')) ix.destinationRules.push(src);
    if (isArgoRollout(o) || isKruiseRollout(o)) ix.rollouts.push(src);
  }
  return ix;
}

/** True when every key=value of a non-empty selector is among the labels. */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  if (!selector || typeof selector !== 'object') return false;
  const entries = Object.entries(selector as Record<string, unknown>);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

export function serviceSelects(svc: KubeObject, w: Workload): boolean {
  return svc.spec?.type !== 'ExternalName' && sameNs(nsOf(svc), w.ns) && selectorMatches(svc.spec?.selector, w.labels);
}

/**
 * Severity for a rule about a workload that only matters when the workload takes traffic:
 * the rule's own when a Service selects it, one level lower when the input has no Service
 * at all (it may live in another file), none when Services exist and none selects it.
 */
export function servedSeverity(ix: Index, w: Workload, base: Severity): Severity | null {
  if (ix.services.length === 0) return lower(base);
  return ix.services.some((s) => serviceSelects(s.obj, w)) ? base : null;
}

export function containersOf(w: Workload): Array<Container | undefined> {
  return Array.isArray(w.pod.containers) ? w.pod.containers : [];
}
