// Small factories shared by the diff functions: one way to build a ClusterEvent, one time parser.
import type { KubeObject } from '../types.js';
import type { ClusterEvent, EventFields } from './cluster-event.js';

/** Epoch ms of a Kubernetes timestamp (RFC 3339 or MicroTime); undefined when absent or invalid. */
export function serverTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

export function nameOf(obj: KubeObject | undefined): string {
  return obj?.metadata?.name ?? '';
}

/** The event `fields` describe, about `obj` (its name and namespace), received at `at`. */
export function clusterEvent(at: number, obj: KubeObject | undefined, fields: EventFields, serverAt?: number): ClusterEvent {
  const e: ClusterEvent = { at, name: nameOf(obj), ...fields };
  const ns = obj?.metadata?.namespace;
  if (ns !== undefined) e.namespace = ns;
  if (serverAt !== undefined) e.serverAt = serverAt;
  return e;
}

/** Every diff function has this shape: the object before and after one change. */
export type DiffFn = (old: KubeObject | undefined, cur: KubeObject | undefined, at: number) => ClusterEvent[];
