// core/v1 Events (Killing, Unhealthy, FailedPreStopHook, ScalingReplicaSet...): one ClusterEvent per occurrence.
import type { ClusterEvent, KubeObject } from '../types.js';
import { clusterEvent, serverTime } from './event.js';

/** The fields of a core/v1 (or events.k8s.io/v1) Event this diff reads. */
interface EventJson {
  reason?: string;
  message?: string;
  note?: string;
  type?: string;
  count?: number;
  series?: { count?: number; lastObservedTime?: string };
  lastTimestamp?: string;
  eventTime?: string;
  firstTimestamp?: string;
  metadata?: { creationTimestamp?: string };
  involvedObject?: { kind?: string; name?: string };
  regarding?: { kind?: string; name?: string };
  source?: { component?: string };
  reportingComponent?: string;
  reportingController?: string;
}

const asEvent = (o: KubeObject | undefined): EventJson | undefined => o as EventJson | undefined;

const count = (e: EventJson | undefined): number => e?.series?.count ?? e?.count ?? 1;

/** The server time of the latest occurrence of an aggregated Event. */
export function occurredAt(e: EventJson | undefined): number | undefined {
  return serverTime(e?.series?.lastObservedTime) ?? serverTime(e?.lastTimestamp)
    ?? serverTime(e?.eventTime) ?? serverTime(e?.firstTimestamp) ?? serverTime(e?.metadata?.creationTimestamp);
}

export function diffCoreEvent(old: KubeObject | undefined, cur: KubeObject | undefined, at: number): ClusterEvent[] {
  const e = asEvent(cur);
  const was = asEvent(old);
  if (!e) return [];
  if (was && count(was) === count(e) && occurredAt(was) === occurredAt(e)) return [];
  const involved = e.involvedObject ?? e.regarding ?? {};
  const out = clusterEvent(at, cur, {
    kind: 'event', type: e.reason ?? 'Unknown',
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
