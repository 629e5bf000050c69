// Small helpers over Kubernetes objects as they arrive from the API: list results are typed
// (Date fields) while watch events are raw JSON (string times), so nothing here assumes either.
import type { V1OwnerReference, V1Pod } from '@kubernetes/client-node';
import type { KubeObject } from '../../kube/object.js';

export type { KubeObject } from '../../kube/object.js';

/** Epoch milliseconds of a Kubernetes time (Date or RFC 3339 string); NaN when absent. */
export function ms(t: unknown): number {
  if (t instanceof Date) return t.getTime();
  if (typeof t === 'string') return Date.parse(t);
  return Number.NaN;
}

export const iso = (now: number): string => new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function keyOf(obj: KubeObject): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

export function splitKey(key: string): { namespace: string; name: string } {
  const at = key.indexOf('/');
  return { namespace: key.slice(0, at), name: key.slice(at + 1) };
}

export function controllerOf(obj: KubeObject): V1OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  const ref = controllerOf(obj);
  return ref !== undefined && ref.uid === owner.metadata?.uid;
}

export function controllerRef(owner: KubeObject, apiVersion: string, kind: string): V1OwnerReference {
  return {
    apiVersion,
    kind,
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export const isTerminating = (obj: KubeObject): boolean => obj.metadata?.deletionTimestamp != null;

export function isTerminal(pod: V1Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

function readyCondition(pod: V1Pod) {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

export const isPodReady = (pod: V1Pod): boolean => readyCondition(pod)?.status === 'True';

/** Ready for at least minReadySeconds, judged by the Ready condition's lastTransitionTime (as upstream). */
export function isPodAvailable(pod: V1Pod, minReadySeconds: number, now: number): boolean {
  const cond = readyCondition(pod);
  if (cond?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  const since = ms(cond.lastTransitionTime);
  return Number.isFinite(since) && since + minReadySeconds * 1000 <= now;
}

/** Milliseconds until a Ready pod becomes available, or undefined when nothing is pending. */
export function msUntilAvailable(pod: V1Pod, minReadySeconds: number, now: number): number | undefined {
  const cond = readyCondition(pod);
  if (cond?.status !== 'True' || minReadySeconds <= 0) return undefined;
  const due = ms(cond.lastTransitionTime) + minReadySeconds * 1000;
  return Number.isFinite(due) && due > now ? due - now : undefined;
}

/** Active as upstream's FilterActivePods: not terminal and not being deleted. */
export const isActivePod = (pod: V1Pod): boolean => !isTerminal(pod) && !isTerminating(pod);

/** JSON with sorted keys and without null/undefined members: a stable basis for hashes and equality. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortDeep(value));
}

function sortDeep(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== null && v !== undefined) out[k] = sortDeep(v);
  }
  return out;
}

export function int(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
