// ClusterEvent: one transition observed through the Kubernetes API, as a discriminated union.
// `kind` names the resource and `type` the transition; each pair carries its own typed fields.
// Recording format 2 writes these fields flat; format 1 kept them in a `detail` bag (legacy-event.ts).
import type { NodeEvent, PdbEvent } from './disruption-events.js';

/** What every event carries. */
export interface EventBase {
  /** Local receipt time. */
  at: number;
  /** The server's own timestamp for the transition, when the object carries one. */
  serverAt?: number;
  namespace?: string;
  /** The object's name; for endpoints the pod's (or the address), for core Events the involved object's. */
  name: string;
  /** Set on transitions from the watch's first list: the state found at start, not news. */
  initial?: true;
}

/** Where a pod runs; null until scheduled / addressed. */
interface PodBase extends EventBase {
  kind: 'pod';
  ip: string | null;
  node: string | null;
}

export interface PodCreated extends PodBase {
  type: 'created';
  /** "ReplicaSet/web-7f9c" */
  owner: string | null;
  /** The pod's `version` label. */
  version: string | null;
  phase: string | null;
  /** Whether any of its containers has a readinessProbe (the pod's own spec, whatever owns it); absent in older recordings. */
  readinessProbe?: boolean;
}

export interface PodPlaced extends PodBase {
  type: 'scheduled' | 'ip' | 'deleted';
}

export interface PodStarted extends PodBase {
  type: 'started';
  container: string;
  restartCount: number;
}

export interface PodReadiness extends PodBase {
  type: 'ready' | 'not-ready';
  /** "Ready" or "ContainersReady". */
  condition: string;
}

export interface PodDeleting extends PodBase {
  type: 'deleting';
  gracePeriodSeconds: number;
  /** "sleep 5s", "exec: /bin/drain", "httpGet /shutdown", "unknown", or null without a hook. */
  preStop: string | null;
  /** The API server's deletionTimestamp: start of deletion + grace period. */
  deadline: number;
}

export interface PodTerminated extends PodBase {
  type: 'terminated';
  container: string;
  exitCode: number | null;
  reason: string | null;
  signal: number | null;
}

/** The pod's DisruptionTarget condition turned True: it is about to be stopped by eviction, preemption, a taint or the kubelet. */
export interface PodDisruption extends PodBase {
  type: 'disruption';
  /** EvictionByEvictionAPI, PreemptionByScheduler, DeletionByTaintManager, TerminationByKubelet... */
  reason: string | null;
  message: string | null;
}

export type PodEvent = PodCreated | PodPlaced | PodStarted | PodReadiness | PodDeleting | PodTerminated | PodDisruption;

export type EndpointChange = 'added' | 'ready' | 'not-ready' | 'serving' | 'not-serving' | 'terminating' | 'removed';

/** One address of an EndpointSlice changed; the conditions are those after the change. */
export interface EndpointEvent extends EventBase {
  kind: 'endpoint';
  type: EndpointChange;
  address: string;
  pod: string | null;
  slice: string;
  service: string | null;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  /** When the pod change behind this update happened (the slice's last-change-trigger-time). */
  triggeredAt?: number;
}

export type WorkloadKind = 'deployment' | 'replicaset';

export interface WorkloadCreated extends EventBase {
  kind: WorkloadKind;
  type: 'created';
}

export interface WorkloadSpec extends EventBase {
  kind: WorkloadKind;
  type: 'spec';
  generation: number | null;
  replicas: number | null;
  /** Container images, comma-separated. */
  images: string;
  /** The pod template's `version` label. */
  version: string | null;
  paused: boolean;
}

/** Replica counts; `deleted` carries the last ones seen. */
export interface WorkloadStatus extends EventBase {
  kind: WorkloadKind;
  type: 'status' | 'deleted';
  replicas: number;
  ready: number;
  available: number;
  revision: string | null;
  observedGeneration: number | null;
  /** Deployments only. */
  updated?: number;
  unavailable?: number;
  /** The Progressing condition's reason: NewReplicaSetAvailable, ProgressDeadlineExceeded... */
  progressing?: string | null;
}

export type WorkloadEvent = WorkloadCreated | WorkloadSpec | WorkloadStatus;

export interface ServiceEvent extends EventBase {
  kind: 'service';
  type: 'created' | 'changed' | 'deleted';
  /** "app=web,track=stable" */
  selector: string;
  /** "80->8080,443->8443" */
  ports: string;
  serviceType: string;
}

/** A core/v1 Event (Killing, Unhealthy, ExceededGracePeriod, ScalingReplicaSet...). */
export interface KubeEvent extends EventBase {
  kind: 'event';
  /** The Event's reason. */
  type: string;
  message: string;
  /** Normal or Warning. */
  eventType: string | null;
  involvedKind: string | null;
  involvedName: string | null;
  count: number;
  source: string | null;
}

export type ObjectChange = 'created' | 'updated' | 'deleted';

/** A VirtualService, DestinationRule, Ingress or HTTPRoute changed what it routes. */
export interface RouteEvent extends EventBase {
  kind: 'route';
  type: 'changed';
  /** The object's kind: VirtualService, HTTPRoute, DestinationRule, Ingress. */
  routeKind: string | null;
  /** One-line summary of the routes. */
  routes: string;
  /** Declared percent of the catch-all route per destination ("reviews/v2"); empty when none. */
  weights: Record<string, number>;
  change: ObjectChange;
  generation: number | null;
}

/** A Kruise or Argo Rollout moved; `step` when its current step changed. */
export interface RolloutEvent extends EventBase {
  kind: 'rollout';
  type: 'changed' | 'step';
  flavor: 'kruise' | 'argo';
  step: number | null;
  steps: number;
  /** Canary traffic percent in force, when known. */
  weight: number | null;
  /** Kruise: the step's replicas (a count or "50%"). */
  replicas?: number | string | null;
  state: string | null;
  phase: string | null;
  message: string | null;
  change: ObjectChange;
}

interface WatchBase extends EventBase {
  kind: 'watch';
  /** The watched resource ("pods", "endpointslices"), or "all" for the API server itself. */
  resource: string;
}

/** The watch of a resource was down from start to end: transitions in between may be missing. */
export interface WatchGap extends WatchBase {
  type: 'gap';
  reason: string;
  start: number;
  end: number;
  ms: number;
}

export interface WatchResumed extends WatchBase {
  type: 'resumed';
  resourceVersion: string | null;
  /** True when the watchdog restarted a silent watch. */
  watchdog: boolean;
}

/** A fresh list replaced the cache (e.g. after 410 Gone); the counts say what it changed. */
export interface WatchRelist extends WatchBase {
  type: 'relist';
  reason: string;
  added: number;
  changed: number;
  removed: number;
}

export interface WatchTrouble extends WatchBase {
  type: 'forbidden' | 'unavailable' | 'skipped';
  reason: string;
  /** HTTP status, when the API server answered. */
  status?: number;
}

export type WatchEvent = WatchGap | WatchResumed | WatchRelist | WatchTrouble;

export type { NodeEvent, PdbEvent } from './disruption-events.js';

export type ClusterEvent =
  | PodEvent | EndpointEvent | WorkloadEvent | ServiceEvent | KubeEvent | RouteEvent | RolloutEvent | NodeEvent | PdbEvent | WatchEvent;

export type ClusterKind = ClusterEvent['kind'];

/** An event's own fields, without the common ones: what a diff function decides. */
export type EventFields<E extends ClusterEvent = ClusterEvent> = E extends ClusterEvent ? Omit<E, keyof EventBase> : never;

/** What a watch loop reports about itself (session.ts adds time, namespace and name). */
export type WatchNews = EventFields<WatchEvent>;

type Narrow<E, K, T> = E extends { kind: infer EK; type: infer ET } ? (K extends EK ? (T extends ET ? E : never) : never) : never;
/** The event type of one kind and transition: EventOf<'pod', 'deleting'> is PodDeleting. */
export type EventOf<K extends ClusterKind, T extends string> = Narrow<ClusterEvent, K, T>;

/** Whether `e` is a `kind` event of transition `type`, narrowed to its fields. */
export const isEvent = <K extends ClusterKind, T extends string>(e: ClusterEvent | undefined, kind: K, type: T): e is EventOf<K, T> =>
  e?.kind === kind && e.type === type;
