// Recording format 1 kept each event's fields in a string-keyed `detail` bag; this reads one such
// event into today's typed ClusterEvent. The only place that knows the old shape.
import type { ClusterEvent, EventBase, EventFields } from './cluster-event.js';

type Bag = Record<string, unknown>;

/** A format-1 event as it was written. */
export interface LegacyEvent {
  at: number;
  serverAt?: number;
  kind: string;
  type: string;
  namespace?: string;
  name: string;
  detail?: Bag;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const count = (v: unknown): number => num(v) ?? 0;

/** The `weight:<destination>` keys of an old route event. */
function weightsOf(d: Bag): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(d)) if (k.startsWith('weight:') && typeof v === 'number') out[k.slice(7)] = v;
  return out;
}

const place = (d: Bag): { ip: string | null; node: string | null } => ({ ip: str(d['ip']), node: str(d['node']) });

function podFields(type: string, d: Bag): EventFields {
  const kind = 'pod';
  switch (type) {
    case 'created': return { kind, type, ...place(d), owner: str(d['owner']), version: str(d['version']), phase: str(d['phase']) };
    case 'scheduled': case 'ip': case 'deleted': return { kind, type, ...place(d) };
    case 'started': return { kind, type, ...place(d), container: str(d['container']) ?? '', restartCount: count(d['restartCount']) };
    case 'ready': case 'not-ready': return { kind, type, ...place(d), condition: str(d['condition']) ?? 'Ready' };
    case 'deleting': {
      // An empty preStop said nothing; hasPreStop alone still told that a hook ran.
      const preStop = str(d['preStop']) || (d['hasPreStop'] === true ? 'unknown' : null);
      const grace = num(d['gracePeriodSeconds']) ?? 30;
      return { kind, type, ...place(d), gracePeriodSeconds: grace, preStop, deadline: num(d['deadline']) ?? 0 };
    }
    case 'terminated': return {
      kind, type, ...place(d), container: str(d['container']) ?? '',
      exitCode: num(d['exitCode']), reason: str(d['reason']), signal: num(d['signal']),
    };
  }
  throw new Error(`unknown pod event type "${type}"`);
}

function endpointFields(e: LegacyEvent, d: Bag): EventFields {
  const types = ['added', 'ready', 'not-ready', 'serving', 'not-serving', 'terminating', 'removed'] as const;
  const type = types.find((t) => t === e.type);
  if (!type) throw new Error(`unknown endpoint event type "${e.type}"`);
  const ready = d['ready'] === true;
  const f: EventFields = {
    kind: 'endpoint', type, address: str(d['address']) ?? e.name, pod: str(d['pod']), slice: str(d['slice']) ?? '?',
    service: str(d['service']), ready, serving: typeof d['serving'] === 'boolean' ? d['serving'] : ready, terminating: d['terminating'] === true,
  };
  const trigger = num(d['triggeredAt']);
  return trigger === null ? f : { ...f, triggeredAt: trigger };
}

function workloadFields(kind: 'deployment' | 'replicaset', type: string, d: Bag): EventFields {
  if (type === 'created') return { kind, type };
  if (type === 'spec') {
    return {
      kind, type, generation: num(d['generation']), replicas: num(d['replicas']), images: str(d['images']) ?? '',
      version: str(d['version']), paused: d['paused'] === true,
    };
  }
  if (type !== 'status' && type !== 'deleted') throw new Error(`unknown ${kind} event type "${type}"`);
  return {
    kind, type, replicas: count(d['replicas']), ready: count(d['ready']), available: count(d['available']),
    revision: str(d['revision']), observedGeneration: num(d['observedGeneration']),
    ...('updated' in d ? { updated: count(d['updated']), unavailable: count(d['unavailable']), progressing: str(d['progressing']) } : {}),
  };
}

function watchFields(e: LegacyEvent, d: Bag): EventFields {
  const kind = 'watch';
  const resource = str(d['resource']) ?? e.name;
  const reason = str(d['reason']) ?? '';
  switch (e.type) {
    case 'gap': {
      const start = num(d['start']) ?? e.at;
      const end = num(d['end']) ?? e.at;
      return { kind, type: 'gap', resource, reason, start, end, ms: num(d['ms']) ?? Math.round(end - start) };
    }
    case 'resumed': return { kind, type: 'resumed', resource, resourceVersion: str(d['resourceVersion']), watchdog: d['watchdog'] === true };
    case 'relist': return { kind, type: 'relist', resource, reason, added: count(d['added']), changed: count(d['changed']), removed: count(d['removed']) };
    case 'forbidden': case 'unavailable': case 'skipped': {
      const status = num(d['status']);
      return { kind, type: e.type, resource, reason, ...(status !== null ? { status } : {}) };
    }
  }
  throw new Error(`unknown watch event type "${e.type}"`);
}

const change = (v: unknown): 'created' | 'updated' | 'deleted' => (v === 'created' || v === 'deleted' ? v : 'updated');

function fieldsOf(e: LegacyEvent, d: Bag): EventFields {
  switch (e.kind) {
    case 'pod': return podFields(e.type, d);
    case 'endpoint': return endpointFields(e, d);
    case 'deployment': case 'replicaset': return workloadFields(e.kind, e.type, d);
    case 'service': {
      const type = e.type === 'created' || e.type === 'deleted' ? e.type : 'changed';
      return { kind: 'service', type, selector: str(d['selector']) ?? '', ports: str(d['ports']) ?? '', serviceType: str(d['type']) ?? 'ClusterIP' };
    }
    case 'event': return {
      kind: 'event', type: e.type, message: str(d['message']) ?? '', eventType: str(d['eventType']),
      involvedKind: str(d['involvedKind']), involvedName: str(d['involvedName']), count: num(d['count']) ?? 1, source: str(d['source']),
    };
    case 'route': return {
      kind: 'route', type: 'changed', routeKind: str(d['kind']), routes: str(d['routes']) ?? '', weights: weightsOf(d),
      change: change(d['change']), generation: num(d['generation']),
    };
    case 'rollout': return {
      kind: 'rollout', type: e.type === 'step' ? 'step' : 'changed', flavor: d['flavor'] === 'argo' ? 'argo' : 'kruise',
      step: num(d['step']), steps: count(d['steps']), weight: num(d['weight']),
      ...('replicas' in d ? { replicas: num(d['replicas']) ?? str(d['replicas']) } : {}),
      state: str(d['state']), phase: str(d['phase']), message: str(d['message']), change: change(d['change']),
    };
    case 'watch': return watchFields(e, d);
  }
  throw new Error(`unknown cluster event kind "${e.kind}"`);
}

/** The typed event a format-1 event describes; throws on a kind or type format 1 never wrote. */
export function upgradeEvent(e: LegacyEvent): ClusterEvent {
  const d = e.detail ?? {};
  const base: EventBase = { at: e.at, name: e.name };
  if (e.namespace !== undefined) base.namespace = e.namespace;
  if (e.serverAt !== undefined) base.serverAt = e.serverAt;
  if (d['initial'] === true) base.initial = true;
  return { ...base, ...fieldsOf(e, d) };
}
