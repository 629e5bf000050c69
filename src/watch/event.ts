// Small factories shared by the diff functions: one ClusterEvent shape, one time parser.
import type { ClusterEvent, ClusterKind, KubeObject } from '../types.js';

export type Detail = ClusterEvent['detail'];

/** Epoch ms of a Kubernetes timestamp (RFC 3339 or MicroTime); undefined when absent or invalid. */
export function serverTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

export function nameOf(obj: KubeObject | undefined): string {
  return obj?.metadata?.name ?? '';
}

export function clusterEvent(
  at: number, kind: ClusterKind, type: string, obj: KubeObject | undefined,
  detail: Detail, serverAt?: number,
): ClusterEvent {
  const e: ClusterEvent = { at, kind, type, name: nameOf(obj), detail };
  const ns = obj?.metadata?.namespace;
  if (ns !== undefined) e.namespace = ns;
  if (serverAt !== undefined) e.serverAt = serverAt;
  return e;
}

/** Every diff function has this shape: the object before and after one change. */
export type DiffFn = (old: KubeObject | undefined, cur: KubeObject | undefined, at: number) => ClusterEvent[];
