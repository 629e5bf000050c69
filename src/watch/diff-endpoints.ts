// EndpointSlice transitions per address: what each proxy is told about each pod.
import type { ClusterEvent, KubeObject } from '../types.js';
import type { EndpointSlice } from '../kube/object.js';
import type { EndpointChange, EventFields, EndpointEvent } from './cluster-event.js';
import { clusterEvent, serverTime } from './event.js';

interface EndpointState {
  address: string;
  pod: string | null;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** One entry of an EndpointSlice's `endpoints`, as the API sends it. */
interface EndpointJson {
  addresses?: unknown[];
  conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  targetRef?: { kind?: string; name?: string };
}

// API semantics: an absent ready/serving means ready; an absent terminating means not terminating.
function stateOf(ep: EndpointJson | undefined): EndpointState | undefined {
  const address = ep?.addresses?.[0];
  if (typeof address !== 'string') return undefined;
  const ready = ep?.conditions?.ready !== false;
  return {
    address,
    pod: ep?.targetRef?.kind === 'Pod' ? (ep.targetRef.name ?? null) : null,
    ready,
    serving: ep?.conditions?.serving ?? ready,
    terminating: ep?.conditions?.terminating === true,
  };
}

function endpoints(slice: KubeObject | undefined): Map<string, EndpointState> {
  const out = new Map<string, EndpointState>();
  const list: EndpointJson[] = (slice as EndpointSlice | undefined)?.endpoints ?? [];
  for (const ep of list) {
    const s = stateOf(ep);
    if (s) out.set(s.address, s);
  }
  return out;
}

function fieldsOf(slice: KubeObject, type: EndpointChange, s: EndpointState): EventFields<EndpointEvent> {
  const f: EventFields<EndpointEvent> = {
    kind: 'endpoint', type, address: s.address, pod: s.pod, slice: slice.metadata?.name ?? '',
    service: slice.metadata?.labels?.['kubernetes.io/service-name'] ?? null,
    ready: s.ready, serving: s.serving, terminating: s.terminating,
  };
  // When the pod change that caused this slice update happened (set by the endpointslice controller).
  const trigger = serverTime(slice.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']);
  if (trigger !== undefined) f.triggeredAt = trigger;
  return f;
}

function flips(prev: EndpointState, s: EndpointState): EndpointChange[] {
  const out: EndpointChange[] = [];
  if (prev.terminating !== s.terminating && s.terminating) out.push('terminating');
  if (prev.serving !== s.serving) out.push(s.serving ? 'serving' : 'not-serving');
  if (prev.ready !== s.ready) out.push(s.ready ? 'ready' : 'not-ready');
  return out;
}

/** Endpoint events keyed by address; the event's name is the address's pod (or the address). */
export function diffEndpointSlice(
  old: KubeObject | undefined, cur: KubeObject | undefined, at: number,
): ClusterEvent[] {
  const before = endpoints(old);
  const after = endpoints(cur);
  const out: ClusterEvent[] = [];
  const emit = (slice: KubeObject, type: EndpointChange, s: EndpointState): void => {
    const e = clusterEvent(at, slice, fieldsOf(slice, type, s));
    e.name = s.pod ?? s.address;
    out.push(e);
  };
  for (const [address, s] of after) {
    const prev = before.get(address);
    if (!prev) emit(cur!, 'added', s);
    else for (const type of flips(prev, s)) emit(cur!, type, s);
  }
  for (const [address, s] of before) if (!after.has(address)) emit(old!, 'removed', s);
  return out;
}
