// Facts the cause rules share: pod deletions, endpoint drops, failures in a time range, in words.
import type { ClusterEvent, ConfigSnapshot, KubeObject, Sample } from '../../types.js';
import type { EndpointEvent, PodCreated, PodDeleting, PodEvent, PodTerminated } from '../../watch/cluster-event.js';
import { clockTime } from '../../format-time.js';
import { resultOf as kindOf } from '../../classify/classify.js';
import type { IncidentInput } from './rule-input.js';

/** Slack for clock rounding between the prober and the watcher (same host clock, different paths). */
export const SLACK_MS = 200;
/** How long proxies may take to act on an endpoint change (kube-proxy, ingress, sidecars). */
export const PROPAGATION_MS = 2000;

export const t = clockTime;
export const ms = (from: number, to: number): string => `${Math.round(to - from)} ms`;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export interface Deletion {
  pod: string;
  at: number;
  graceS: number;
  preStop: string | null;
  /** Seconds the preStop hook sleeps (0 when none or not a sleep). */
  preStopS: number;
  ip?: string;
  /** When the app got SIGTERM: after the preStop hook, or at once when the hook failed. */
  sigtermAt: number;
  /** When the kubelet reported FailedPreStopHook: the hook did not run its course and SIGTERM came then. */
  preStopFailedAt?: number;
}

export function preStopSeconds(preStop: string | null): number {
  const m = preStop?.match(/sleep\s+(\d+(?:\.\d+)?)/);
  return m ? Number(m[1]) : 0;
}

/** A failed hook (an exec `sleep` in an image without one, a refused httpGet) ends at once: SIGTERM follows. */
function preStopFailure(events: ClusterEvent[], pod: string, from: number, to: number): number | undefined {
  return events.find((e) => e.kind === 'event' && e.type === 'FailedPreStopHook' && e.name === pod && e.at >= from - SLACK_MS && e.at <= to)?.at;
}

export function deletions(events: ClusterEvent[]): Deletion[] {
  return events.filter((e): e is PodDeleting => e.kind === 'pod' && e.type === 'deleting').map((e) => {
    const preStop = str(e.preStop) ?? null;
    const preStopS = preStopSeconds(preStop);
    const ip = str(e.ip);
    const graceS = num(e.gracePeriodSeconds) ?? 30;
    const failedAt = preStop === null ? undefined : preStopFailure(events, e.name, e.at, e.at + graceS * 1000);
    const sigtermAt = failedAt !== undefined ? Math.min(failedAt, e.at + preStopS * 1000) : e.at + preStopS * 1000;
    return { pod: e.name, at: e.at, graceS, preStop, preStopS, ...(ip ? { ip } : {}), sigtermAt, ...(failedAt !== undefined ? { preStopFailedAt: failedAt } : {}) };
  });
}

export const deletionOf = (events: ClusterEvent[], pod: string): Deletion | undefined => deletions(events).find((d) => d.pod === pod);

const isPodEndpoint = (e: ClusterEvent, pod: string): e is EndpointEvent => e.kind === 'endpoint' && (e.name === pod || e.pod === pod);
const DROPS: ReadonlySet<string> = new Set(['terminating', 'not-ready', 'not-serving', 'removed']);

/** The first endpoint change after `after` that tells proxies to stop sending new work to the pod. */
export function endpointDrop(events: ClusterEvent[], pod: string, after: number): EndpointEvent | undefined {
  return events.find((e): e is EndpointEvent => e.at >= after && isPodEndpoint(e, pod) && DROPS.has(e.type));
}

export const terminations = (events: ClusterEvent[]): PodTerminated[] =>
  events.filter((e): e is PodTerminated => e.kind === 'pod' && e.type === 'terminated');

export const podEvents = <T extends PodEvent['type']>(events: ClusterEvent[], pod: string, type: T): Array<Extract<PodEvent, { type: T }>> =>
  events.filter((e): e is Extract<PodEvent, { type: T }> => e.kind === 'pod' && e.name === pod && e.type === type);

/** When a request left (routing was decided then). */
export const sentAt = (s: Sample): number => s.sent ?? s.intended;
/** When a request ended in failure. */
export const failedAt = (s: Sample): number => s.intended + s.latencyMs;

/** The incident's failures whose time falls in [from, to]; without kept samples, the whole window if it overlaps. */
export function failuresIn(inc: IncidentInput, from: number, to: number, at = sentAt, kinds?: (k: string) => boolean): Sample[] | number {
  if (inc.samples.length === 0) {
    if (inc.end < from || inc.start > to) return 0;
    const n = Object.entries(inc.kinds).filter(([k]) => !kinds || kinds(k)).reduce((a, [, c]) => a + c, 0);
    return n;
  }
  return inc.samples.filter((s) => at(s) >= from && at(s) <= to && (!kinds || kinds(kindOf(s))));
}

export const countOf = (x: Sample[] | number): number => (typeof x === 'number' ? x : x.length);

export function kindsOf(x: Sample[] | number, inc: IncidentInput): string {
  const kinds: Record<string, number> = {};
  if (typeof x === 'number') Object.assign(kinds, inc.kinds);
  else for (const s of x) kinds[kindOf(s)] = (kinds[kindOf(s)] ?? 0) + 1;
  return Object.entries(kinds).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n}× ${k}`).join(', ');
}

/** "3 failures (2× 502, 1× reset)" */
export function failuresText(x: Sample[] | number, inc: IncidentInput): string {
  const n = countOf(x);
  return `${n} failure${n === 1 ? '' : 's'} (${kindsOf(x, inc)})`;
}

/** Failed requests that went straight to this address (only visible without a proxy in between). */
export function toAddress(x: Sample[] | number, ip: string | undefined): number {
  if (!ip || typeof x === 'number') return 0;
  return x.filter((s) => s.remote !== undefined && s.remote.replace(/:\d+$/, '').replace(/^\[|\]$/g, '') === ip).length;
}

/** The snapshot in force at a moment (the last one taken at or before it; else the first). */
export function snapshotAt(snapshots: ConfigSnapshot[], at: number): ConfigSnapshot | undefined {
  let found: ConfigSnapshot | undefined;
  for (const s of snapshots) if (s.at <= at && (!found || s.at >= found.at)) found = s;
  return found ?? snapshots[0];
}

/** Workloads whose pod template a snapshot may hold (a Kruise Rollout has none: it points at a Deployment). */
const TEMPLATED: ReadonlySet<string> = new Set(['Deployment', 'Rollout', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'CloneSet']);

const longestPrefix = (objects: KubeObject[], name: string): KubeObject | undefined =>
  objects.filter((o) => name.startsWith(`${o.metadata?.name ?? '\0'}-`)).sort((a, b) => (b.metadata?.name?.length ?? 0) - (a.metadata?.name?.length ?? 0))[0];

/**
 * The workload in the snapshot a pod belongs to. `owner` is the pod's own ownerReference ("StatefulSet/db",
 * "DaemonSet/agent", "CloneSet/web", "ReplicaSet/web-7f9c"): a ReplicaSet's parent (Deployment, Argo Rollout)
 * is named by its prefix. Without it, pods are named "<deployment or rollout>-<hash>-<suffix>".
 */
export function workloadOf(snapshot: ConfigSnapshot | undefined, pod: string, owner?: string | null): KubeObject | undefined {
  const objects = (snapshot?.objects ?? []).filter((o) => TEMPLATED.has(o.kind ?? '') && o.spec?.template);
  const [kind, name] = (owner ?? '').split('/');
  if (kind && name) {
    const direct = objects.find((o) => o.kind === kind && o.metadata?.name === name);
    if (direct) return direct;
    if (kind === 'ReplicaSet') return longestPrefix(objects.filter((o) => o.kind === 'Deployment' || o.kind === 'Rollout'), name);
    return undefined;
  }
  return longestPrefix(objects.filter((o) => o.kind === 'Deployment' || o.kind === 'Rollout'), pod);
}

/** The pod's `created` event (from the first list or the watch), which names its owner. */
export const podCreated = (events: ClusterEvent[], pod: string): PodCreated | undefined =>
  events.find((e): e is PodCreated => e.kind === 'pod' && e.type === 'created' && e.name === pod);

export const refOf = (o: KubeObject): string => `${o.kind}/${o.metadata?.name ?? '?'}`;

/** When the incident's last failure ended (requests in flight fail after they were sent). */
export const lastFailedAt = (inc: IncidentInput): number =>
  inc.samples.length ? Math.max(inc.end, ...inc.samples.map(failedAt)) : inc.end;

/** Failures of requests already sent at `moment` that ended in [from, to]: work cut while in flight. */
export function inFlightAt(inc: IncidentInput, moment: number, from: number, to: number, kinds?: (k: string) => boolean): Sample[] | number {
  const ended = failuresIn(inc, from, to, failedAt, kinds);
  return typeof ended === 'number' ? ended : ended.filter((s) => sentAt(s) <= moment + SLACK_MS);
}

/** Failures of requests sent while a pod was stopping: from its delete to its grace deadline + propagation. */
export const whileStopping = (inc: IncidentInput, d: Deletion): Sample[] | number =>
  failuresIn(inc, d.at - SLACK_MS, d.at + d.graceS * 1000 + PROPAGATION_MS);

export const hookWords = (d: Deletion): string => (d.preStop ? `preStop ${d.preStop}` : 'no preStop hook');

/** Drops failures another pod answered itself (its --instance-from name is on them): they are not this pod's doing. */
export const notOthers = (x: Sample[] | number, pod: string): Sample[] | number =>
  typeof x === 'number' ? x : x.filter((s) => s.instance === undefined || s.instance === pod);
