// Pod specials: status on create, binding (the scheduler's write), and two-phase graceful deletion.

import { qosClassOf } from './defaults.js';
import { ApiError, badRequest } from './status.js';
import { view, type Pod } from '../../kube/object.js';
import type { StoredObject } from './store.js';

export const nowIso = (offsetSeconds = 0): string =>
  new Date(Math.floor(Date.now() / 1000) * 1000 + offsetSeconds * 1000).toISOString().replace('.000Z', 'Z');

/** A new pod always starts Pending, whatever status the client sent. */
export function initialPodStatus(pod: StoredObject): Record<string, unknown> {
  return { phase: 'Pending', qosClass: qosClassOf(pod['spec']) };
}

/** POST pods/<name>/binding: sets spec.nodeName and the PodScheduled condition. */
export function bindPod(pod: StoredObject, binding: StoredObject): StoredObject {
  const node = (binding as { target?: { name?: unknown } }).target?.name;
  if (typeof node !== 'string' || node === '') throw badRequest('binding target name is required');
  const name = pod.metadata.name ?? '';
  const assigned = view<Pod>(pod).spec?.nodeName;
  if (assigned) {
    throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is already assigned to node "${assigned}"`, {
      name,
      kind: 'pods/binding',
    });
  }
  if (pod.metadata.deletionTimestamp) {
    throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is being deleted, cannot be assigned to a host`);
  }
  const conditions: unknown[] = (view<Pod>(pod).status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
  conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: nowIso() });
  return { ...pod, spec: { ...pod['spec'], nodeName: node }, status: { ...pod['status'], conditions } };
}

export type DeleteStep = { kind: 'remove' } | { kind: 'keep'; object: StoredObject } | { kind: 'noop' };

/**
 * What a DELETE does to a pod: a scheduled, running pod only gets deletionTimestamp = now + grace
 * (the kubelet finishes the job with grace 0); unscheduled or finished pods, or grace 0, go at once.
 */
export function podDeleteStep(pod: StoredObject, requested: number | undefined): DeleteStep {
  const spec = view<Pod>(pod).spec ?? {};
  const phase = view<Pod>(pod).status?.phase;
  let grace = requested ?? pod.metadata.deletionGracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
  if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') grace = 0;
  grace = Math.max(0, Math.floor(grace));
  const finalizers = pod.metadata.finalizers ?? [];
  if (grace === 0 && finalizers.length === 0) return { kind: 'remove' };
  const current = pod.metadata.deletionGracePeriodSeconds;
  if (pod.metadata.deletionTimestamp && current !== undefined && grace >= current) return { kind: 'noop' };
  const metadata = { ...pod.metadata, deletionTimestamp: nowIso(grace), deletionGracePeriodSeconds: grace };
  return { kind: 'keep', object: { ...pod, metadata } };
}
