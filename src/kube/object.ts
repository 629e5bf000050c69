// The one Kubernetes object type of the program, and typed views of the fields we read.
// Objects arrive three ways: watch events and manifests (times are RFC 3339 strings) and
// @kubernetes/client-node lists (times are Dates); nothing here assumes either.
import type { Labels, LabelSelector } from './selector.js';

export type Time = string | Date;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: Time;
  deletionTimestamp?: Time;
  deletionGracePeriodSeconds?: number;
  labels?: Labels;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
}

/**
 * Any Kubernetes object. Code that reads spec or status names the view it reads
 * (`KubeObject<PodSpec, PodStatus>`, i.e. `Pod`). The untyped default is left for the
 * cluster-event producers until they move to the views (issue 9 item 4).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface KubeObject<Spec = any, Status = any> {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: Spec;
  status?: Status;
}

/** Reads an object whose shape is not known yet (a manifest, a watch line) through a view. */
export const view = <T extends KubeObject<unknown, unknown>>(o: KubeObject<unknown, unknown>): T => o as T;

export const nameOf = (o: KubeObject<unknown, unknown> | undefined): string => o?.metadata?.name ?? '';
/** The namespace, or `fallback` for a namespaced object written without one. */
export const namespaceOf = (o: KubeObject<unknown, unknown> | undefined, fallback = 'default'): string =>
  o?.metadata?.namespace ?? fallback;
export const annotationsOf = (o: KubeObject<unknown, unknown> | undefined): Record<string, string> =>
  o?.metadata?.annotations ?? {};

// ---- core/v1 Pod ----
export interface Probe {
  httpGet?: { path?: string; port?: number | string; scheme?: string };
  tcpSocket?: { port?: number | string };
  exec?: { command?: string[] };
  grpc?: { port?: number };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
  successThreshold?: number;
}

export interface LifecycleHandler {
  exec?: { command?: string[] };
  httpGet?: { path?: string; port?: number | string };
  sleep?: { seconds?: number };
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: Array<{ name?: string; containerPort?: number; protocol?: string }>;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: LifecycleHandler; postStart?: LifecycleHandler };
  restartPolicy?: string;
}

export interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  nodeName?: string;
  terminationGracePeriodSeconds?: number;
  readinessGates?: Array<{ conditionType: string }>;
}

export interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: Time;
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: Time };
  terminated?: { exitCode?: number; signal?: number; reason?: string; message?: string; startedAt?: Time; finishedAt?: Time };
}

export interface ContainerStatus {
  name: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface PodStatus {
  phase?: string;
  podIP?: string;
  hostIP?: string;
  conditions?: PodCondition[];
  containerStatuses?: ContainerStatus[];
}

export type Pod = KubeObject<PodSpec, PodStatus>;

export interface PodTemplate {
  metadata?: ObjectMeta;
  spec?: PodSpec;
}

// ---- workloads ----
export interface DeploymentSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplate;
  minReadySeconds?: number;
  paused?: boolean;
  progressDeadlineSeconds?: number;
  strategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
}

/** Deployment, and what ReplicaSet, StatefulSet, DaemonSet and CloneSet share with it. */
export type Deployment = KubeObject<DeploymentSpec, DeploymentStatus>;

// ---- discovery/v1 EndpointSlice (endpoints and ports sit beside metadata, not in spec) ----
export interface Endpoint {
  addresses?: string[];
  conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  targetRef?: { kind?: string; name?: string; namespace?: string; uid?: string };
  nodeName?: string;
}

export interface EndpointPort {
  name?: string;
  port?: number;
  protocol?: string;
}

export interface EndpointSlice extends KubeObject<never, never> {
  addressType?: string;
  endpoints?: Endpoint[];
  ports?: EndpointPort[];
}

// ---- core/v1 Service ----
export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
}

export interface ServiceSpec {
  type?: string;
  selector?: Labels;
  ports?: ServicePort[];
  clusterIP?: string;
  externalName?: string;
}

export type Service = KubeObject<ServiceSpec>;

// ---- core/v1 Event and events.k8s.io/v1 Event (fields beside metadata) ----
export interface ObjectReference {
  kind?: string;
  name?: string;
  namespace?: string;
  uid?: string;
}

export interface CoreEvent extends KubeObject<never, never> {
  involvedObject?: ObjectReference;
  regarding?: ObjectReference;
  reason?: string;
  message?: string;
  note?: string;
  type?: string;
  count?: number;
  series?: { count?: number; lastObservedTime?: Time };
  eventTime?: Time;
  firstTimestamp?: Time;
  lastTimestamp?: Time;
  source?: { component?: string };
  reportingComponent?: string;
  reportingController?: string;
}
