// core/v1 Events (Killing, Unhealthy, FailedPreStopHook, ScalingReplicaSet...): one ClusterEvent per occurrence.
import type { ClusterEvent, KubeObject } from '../types.js';
import { clusterEvent, serverTime } from './event.js';

const count = (e: any): number => e?.series?.count ?? e?.count ?? 1;

/** The server time of the latest occurrence of an aggregated Event. */
export function occurredAt(e: any): number | undefined {
  return serverTime(e?.series?.lastObservedTime) ?? serverTime(e?.lastTimestamp)
    ?? serverTime(e?.eventTime) ?? serverTime(e?.firstTimestamp) ?? serverTime(e?.metadata?.creationTimestamp);
}

export function diffCoreEvent(old: KubeObject | undefined, cur: KubeObject | undefined, at: number): ClusterEvent[] {
  const e = cur as any;
  if (!e) return [];
  if (old && count(old) === count(e) && occurredAt(old) === occurredAt(e)) return [];
  const involved = e.involvedObject ?? e.regarding ?? {};
  const out = clusterEvent(at, 'event', e.reason ?? 'Unknown', cur, {
    message: e.message ?? e.note ?? '',
    eventType: e.type ?? null,
    involvedKind: involved.kind ?? null,
    involvedName: involved.name ?? null,
    count: count(e),
    source: e.source?.component ?? e.reportingComponent ?? e.reportingController ?? null,
  }, occurredAt(e));
  // The event is about its involved object; name it so.
  out.name = involved.name ?? out.name;
  return [out];
}
