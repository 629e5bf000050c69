// The plain, serialisable data that flows through the pipeline:
// schedule -> send -> classify -> record -> watch -> analyze -> report.
// All absolute times are epoch milliseconds (fractional allowed).
import type { ClusterEvent } from './watch/cluster-event.js';

export type ConnMode = 'reuse' | 'new';
/** `unfinished`: still in flight when the run was interrupted (Ctrl-C, SIGTERM); it has no outcome. */
/** HTTP/2: `goaway` the connection was going away (GOAWAY) before the stream got its response,
 * `refused-stream` the server refused the stream (REFUSED_STREAM: it was never processed), `stream-reset`
 * any other RST_STREAM before the response was complete. */
export type ErrorClass = 'timeout' | 'refused' | 'reset' | 'dns' | 'tls' | 'goaway' | 'refused-stream' | 'stream-reset' | 'unfinished' | 'other';
/** `auto`: ALPN (h2 or HTTP/1.1) over TLS, HTTP/1.1 in clear text; `h2c`: HTTP/2 in clear text (prior knowledge). */
export type HttpProtocol = 'auto' | 'h1' | 'h2' | 'h2c';
export type Outcome = 'ok' | 'failed' | 'late';

/** One scheduled request after it was sent (or not sent in time) and classified. */
export interface Sample {
  seq: number;
  /** When the schedule wanted it sent. Latency is measured from here (no coordinated omission). */
  intended: number;
  /** When it really left; null when it was never sent (late). */
  sent: number | null;
  mode: ConnMode;
  outcome: Outcome;
  /** From intended time to the end of the response (or the error). */
  latencyMs: number;
  status?: number;
  /** gRPC: the status code by name (OK, UNAVAILABLE, ...), or a health check's serving status when it is not SERVING. */
  code?: string;
  error?: ErrorClass;
  message?: string;
  version?: string;
  instance?: string;
  /** Remote address:port of the connection, when known. */
  remote?: string;
  /** The plan target it was sent to; absent in a run of one target. */
  target?: string;
}

/** Requests of one second that share version, result and connection mode. */
export interface Cell {
  /** Version tag of the response; absent when untagged or when there was no response. */
  version?: string;
  /** HTTP status code as a string ("200", "502"), a gRPC code by name ("OK", "UNAVAILABLE"), an error class ("reset"), or "late". */
  result: string;
  mode: ConnMode;
  ok: boolean;
  n: number;
}

/** One second of a run. */
export interface Bucket {
  /** Seconds from the start of the run (by intended time). */
  t: number;
  scheduled: number;
  cells: Cell[];
  /** HDR latency histograms (compressed base64, microseconds) keyed "<mode>|<version>". */
  hists: Record<string, string>;
  /** HDR histogram (compressed base64, microseconds) of send lag: actual minus intended send time. */
  lag: string;
  /** Exact first and last response time of each version answering in this second. */
  seen: Record<string, [number, number]>;
  /** Per instance (pod, from --instance-from): its answers in this second, and when they came. */
  instances?: Record<string, InstanceCount>;
}

/** What one instance (pod) answered: ok and failed responses, first and last response time. */
export interface InstanceCount {
  ok: number;
  failed: number;
  first: number;
  last: number;
}

/** A version seen for the first time, or seen again after another version answered. */
export interface VersionFlip {
  at: number;
  from: string | null;
  to: string;
  /** True when `to` had answered before and then been replaced: v2 then v1 again. */
  back: boolean;
  /** The plan target whose traffic flipped; absent in a run of one target. */
  target?: string;
}

/** One response's version and end time, as a worker hands it on for the run-wide flip tracker. */
export interface VersionPoint {
  version: string;
  at: number;
}

export interface GateConfig {
  /** Absent with maxFailureRate given: the rate alone decides. */
  maxFailures?: number;
  maxFailureRate?: number;
  maxP99Ms?: number;
  expectVersion?: string;
}

export type VersionSource =
  | { kind: 'auto' }
  | { kind: 'body'; regex: string }
  | { kind: 'header'; name: string }
  | { kind: 'json'; path: string };

/** The name of the one target of a single-URL run. */
export const DEFAULT_TARGET = 'default';

export interface ProbeConfig {
  /** The target's name in the run plan (DEFAULT_TARGET for a single URL). */
  name?: string;
  /** http(s):// or grpc(s)://host:port[/health service]. */
  url: string;
  /** HTTP version to speak (absent: auto); grpc targets always speak HTTP/2. */
  protocol?: HttpProtocol;
  /** gRPC: a unary method `pkg.Service/Method` sent with an empty request instead of grpc.health.v1.Health/Check. */
  grpcMethod?: string;
  rps: number;
  rampS: number;
  durationS?: number;
  timeoutMs: number;
  connection: 'reuse' | 'new' | 'both';
  method: string;
  /** Every value except Host, Accept, User-Agent, Content-Type and showHeaders is "<redacted>" before recording. */
  headers: Record<string, string>;
  /** Routing headers (e.g. end-user) whose values the user chose to show in recordings and reports. */
  showHeaders?: string[];
  data?: string;
  insecure: boolean;
  ca?: string;
  /** Client certificate and key (PEM) for mutual TLS; never recorded. */
  cert?: string;
  key?: string;
  versionFrom: VersionSource;
  instanceFrom?: VersionSource;
  okStatus: Array<[number, number]>;
  maxInFlight: number;
  bodyCapBytes: number;
  gate: GateConfig;
  /** Declared share (percent) of each version this target's traffic must show, e.g. {"1": 50, "2": 50}. */
  expectSplit?: Record<string, number>;
}

// One transition observed through the Kubernetes API: a discriminated union by kind and type,
// defined beside the watcher that emits it.
export type {
  ClusterEvent, ClusterKind, EndpointEvent, EventBase, KubeEvent, PodEvent, RolloutEvent, RouteEvent,
  ServiceEvent, WatchEvent, WorkloadEvent,
} from './watch/cluster-event.js';

import type { KubeObject } from './kube/object.js';
export type { KubeObject } from './kube/object.js';

/** A Kubernetes object with where it came from (for lint's file:line). */
export interface SourcedObject {
  obj: KubeObject;
  file?: string;
  line?: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** A risky setting, from lint or the report's config audit. Ids are a contract. */
export interface Finding {
  id: string;
  severity: Severity;
  /** "Kind/namespace/name" */
  object: string;
  file?: string;
  line?: number;
  message: string;
  fix: string;
}

/** Settings in force at one moment: the objects that decide whether a rollout drops requests. */
export interface ConfigSnapshot {
  at: number;
  objects: KubeObject[];
}

export type CauseId =
  | 'terminating-endpoint' | 'abrupt-shutdown' | 'keepalive-reuse' | 'not-ready-traffic'
  | 'no-ready-endpoints' | 'grace-period-exceeded' | 'route-config' | 'oom-killed' | 'liveness-restart'
  | 'scale-down' | 'bad-version' | 'eviction' | 'proxy-lag' | 'upstream-keepalive-race' | 'prober-stall' | 'unknown';

export interface Cause {
  id: CauseId;
  evidence: string[];
  fix: string;
}

/** A contiguous burst of failures. */
export interface FailureWindow {
  start: number;
  end: number;
  count: number;
  kinds: Record<string, number>;
  modes: Partial<Record<ConnMode, number>>;
}

export interface Incident extends FailureWindow {
  /** The plan target whose traffic failed. */
  target?: string;
  failed: number;
  causes: Cause[];
  /** What the failures alone cannot show: a proxy's answer the probe's timeout hid, a reuse split behind an L7 proxy. */
  notes?: string[];
  events: ClusterEvent[];
}

/** Declared vs observed traffic share (percent) over one step window. */
export interface Split {
  /** The plan target whose traffic was checked. */
  target?: string;
  source: string;
  start: number;
  end: number;
  declared: Record<string, number>;
  observed: Record<string, number>;
  /** Lower and upper bound of the confidence interval of each observed share, percent. */
  interval: Record<string, [number, number]>;
  n: number;
  passed: boolean;
  /** Set when the declared shares are not a request split (e.g. a replica-based canary): shown, not gated. */
  approximate?: string;
}

export interface LatencyMs {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface Totals {
  scheduled: number;
  sent: number;
  ok: number;
  failed: number;
  late: number;
}

export interface TimelinePoint {
  t: number;
  scheduled: number;
  sent: number;
  ok: number;
  failed: number;
  late: number;
  p99: number;
  versions: Record<string, number>;
  status: Record<string, number>;
  errors: Record<string, number>;
}

export interface VersionSpan {
  version: string;
  count: number;
  share: number;
  firstSeen: number;
  lastSeen: number;
}

export interface CommandResult {
  argv: string[];
  startedAt: number;
  endedAt: number | null;
  exitCode: number | null;
  signal: string | null;
  /** True when the run ended before the command's warm-up was over, so it never ran. */
  notStarted?: boolean;
}

export interface ClusterStatus {
  watched: boolean;
  /** Why watching was impossible or partial, in plain words. */
  problems: string[];
  gaps: Array<{ start: number; end: number; reason: string }>;
  /** What the cluster ran on, as its Node objects say (the lab fills it in; absent when not read). */
  nodes?: ClusterNode[];
}

/** One Node object's status.nodeInfo, e.g. kubeletVersion v1.34.4, containerRuntimeVersion containerd://1.6.20. */
export interface ClusterNode {
  name: string;
  kubeletVersion: string;
  containerRuntimeVersion: string;
  kubeProxyVersion?: string;
  osImage?: string;
}

export type GateCheckId = 'max-failures' | 'max-failure-rate' | 'max-p99' | 'expect-version' | 'command' | 'scheduled' | 'complete' | 'splits';

/** One configured gate check and its outcome (for JUnit: a testcase each). */
export interface GateCheck {
  id: GateCheckId;
  /** Set on checks of one plan target (its expected version or split). */
  target?: string;
  name: string;
  passed: boolean;
  /** What was allowed or expected, and what the run showed (numbers, a version, a mix). */
  limit?: number | string;
  actual?: number | string;
  /** Rendered from the check when it failed. */
  reason?: string;
}

/** The verdict: `reasons` are the failed checks' reasons, in check order. */
export interface Gate {
  passed: boolean;
  reasons: string[];
  checks: GateCheck[];
}

/** What the requests showed, rebuilt from the recording's traffic lines alone. */
export interface Traffic {
  tool: { name: 'zdprobe'; version: string };
  target: string;
  startedAt: number;
  endedAt: number;
  complete: boolean;
  totals: Totals;
  status: Record<string, number>;
  errors: Record<string, number>;
  versions: Record<string, number>;
  latencyMs: LatencyMs;
  /** How late requests left compared with their intended time (the pacer's own accuracy). */
  sendLagMs: LatencyMs;
  modes: Partial<Record<ConnMode, Totals & { latencyMs: LatencyMs }>>;
  versionSpans: VersionSpan[];
  flips: VersionFlip[];
  failureWindows: FailureWindow[];
  /** Failures kept individually (the first ones); all are in the recording. */
  failures: Sample[];
  /** How many failed or late requests are not listed in `failures`. */
  failuresOmitted: number;
  timeline: TimelinePoint[];
  command?: CommandResult;
  /** The prober's own event-loop delay and CPU; absent in recordings made before it was kept. */
  prober?: ProberHealth;
  /** Per instance (pod) that answered, when --instance-from names them: counts, first and last answer. */
  instances?: Record<string, InstanceCount>;
}

/** One second of the prober's own health. */
export interface ProberSecond {
  /** Seconds from the start of the run. */
  t: number;
  /** Longest and 99th-percentile event-loop delay in that second. */
  loopMaxMs: number;
  loopP99Ms: number;
  /** CPU used by the prober process, percent of one core. */
  cpuPct: number;
}

/** The prober's health over the run, and the seconds in which it stalled. */
export interface ProberHealth {
  seconds: number;
  loopDelayMs: { p99: number; max: number };
  cpuPct: { mean: number; max: number };
  stalls: Array<{ start: number; end: number; maxDelayMs: number }>;
}

/** One target of a plan: its own counts (the top-level fields are the sums over targets). */
export interface TargetSummary {
  url: string;
  /** What the target's connections negotiated ("h2", "h2c", "http/1.1"; several joined by ", "), "none" when none connected. */
  protocol: string;
  totals: Totals;
  status: Record<string, number>;
  errors: Record<string, number>;
  versions: Record<string, number>;
  latencyMs: LatencyMs;
  /** Requests sent per second over the run. */
  achievedRps: number;
  /** Latency and failed responses of each version that answered. */
  byVersion: Record<string, { latencyMs: LatencyMs; failed: number }>;
}

/** What the analysis adds: the cluster's side and the traffic checked against it. */
export interface Analysis {
  incidents: Incident[];
  cluster: ClusterStatus;
  findings: Finding[];
  splits: Split[];
  /** Cluster transitions during the run (not the state found at start; capped), for the report's timeline. */
  clusterEvents?: ClusterEvent[];
}

/** The `--json` contract. Fields may be added, never renamed; a change of shape raises `format`. */
export interface Summary extends Traffic, Analysis {
  /** Summary format version (docs/schema/summary.schema.json). */
  format: number;
  targets: Record<string, TargetSummary>;
  /** A merge of several recordings (`zdprobe merge`): each one's own totals. */
  sources?: Array<{ name: string; startedAt: number; endedAt: number; complete: boolean; totals: Totals }>;
  gate: Gate;
}

/** One line of an NDJSON recording. A report can be rebuilt from these alone. */
export type RecordLine =
  | { type: 'header'; /** Recording format version; absent (format 1) before typed cluster events. */ format: number; tool: string; version: string; startedAt: number; config: ProbeConfig; targets?: ProbeConfig[] }
  | { type: 'bucket'; bucket: Bucket; target?: string }
  | { type: 'failure'; sample: Sample }
  | { type: 'flip'; flip: VersionFlip }
  | { type: 'cluster'; event: ClusterEvent }
  | { type: 'config'; snapshot: ConfigSnapshot }
  | { type: 'command'; command: CommandResult }
  | { type: 'prober'; second: ProberSecond }
  /** The first time a target's connection negotiated this protocol (h2, h2c, http/1.1). */
  | { type: 'protocol'; protocol: string; at: number; target?: string }
  | { type: 'footer'; endedAt: number; summary: Summary };

/** Plan `env`: variables header values may use as ${NAME}; `zdprobe job` fills each from a Secret's key. */
export type PlanEnv = Record<string, { secret: string; key: string }>;
