// not-ready-traffic: a new pod was put in rotation before its app could answer.
import type { ClusterEvent, ConfigSnapshot, KubeObject } from '../../types.js';
import type { EndpointEvent, KubeEvent } from '../../watch/cluster-event.js';
import type { CauseRule, IncidentInput } from './rule-input.js';
import { isReadinessFailure } from './kills.js';
import { isServingFailure } from './kinds.js';
import { SLACK_MS, countOf, failuresIn, failuresText, ms, podCreated, podEvents, refOf, snapshotAt, t, toAddress, workloadOf } from './facts.js';

/** How long after a pod joins that its own failures still count as "before it could serve". */
export const FRESH_MS = 5000;

const FIX = 'add a readinessProbe that checks the app really answers (httpGet on a health path), so the pod joins the endpoints only when it can serve; for slow starters add a startupProbe (minReadySeconds does not keep a pod out of the endpoints), and make the app listen only once it is ready';

const joined = (e: ClusterEvent): e is EndpointEvent =>
  e.kind === 'endpoint' && e.initial !== true && (e.type === 'ready' || (e.type === 'added' && e.ready));

const hasReadiness = (w: KubeObject): boolean =>
  ((w.spec?.template?.spec?.containers ?? []) as Array<{ readinessProbe?: unknown }>).some((c) => c?.readinessProbe);

/**
 * The pod's own spec says whether it has a readinessProbe, whatever owns it (StatefulSet, DaemonSet, a bare
 * ReplicaSet, an Argo Rollout, a Kruise CloneSet); older recordings lack it: then the workload in the snapshot.
 */
function noReadiness(e: EndpointEvent, events: ClusterEvent[], snapshots: ConfigSnapshot[]): string[] {
  const created = podCreated(events, e.name);
  if (created?.readinessProbe === false) {
    return [`pod ${e.name}${created.owner ? ` (${created.owner})` : ''} has no readinessProbe: it counts as ready as soon as its container starts, before the app listens`];
  }
  if (created?.readinessProbe === true) return [];
  const w = workloadOf(snapshotAt(snapshots, e.at), e.name, created?.owner);
  return w && !hasReadiness(w) ? [`${refOf(w)} has no readinessProbe: its pods count as ready as soon as the container starts, before the app listens`] : [];
}

/** The facts that say this pod was not serving yet; empty when none does. */
function notServing(inc: IncidentInput, e: EndpointEvent, events: ClusterEvent[], snapshots: ConfigSnapshot[], hits: ReturnType<typeof failuresIn>): string[] {
  const out: string[] = [];
  out.push(...noReadiness(e, events, snapshots));
  // A probe failing before the pod joined is the readinessProbe doing its job; only one after counts.
  // Unhealthy covers liveness and startup probes too; only a readiness failure says "not serving yet".
  // Events arrive late and aggregated: judge by when the failure happened (the Event's own time) where known.
  const unhealthy = events.find((x): x is KubeEvent => isReadinessFailure(x) && x.name === e.name && (x.serverAt ?? x.at) >= e.at && x.at <= inc.end + 2000);
  if (unhealthy) out.push(`its readiness probe failed at ${t(unhealthy.at)}: ${unhealthy.message.slice(0, 160)}`);
  const direct = toAddress(hits, e.address);
  if (direct) out.push(`${direct} of the failures went to its fresh address ${e.address}`);
  return out;
}

export const notReadyTraffic: CauseRule = (inc, events, snapshots) => {
  for (const e of events.filter(joined)) {
    if (e.at < inc.start - FRESH_MS || e.at > inc.end + SLACK_MS) continue;
    const hits = failuresIn(inc, e.at - SLACK_MS, e.at + FRESH_MS, undefined, isServingFailure);
    if (countOf(hits) === 0) continue;
    const facts = notServing(inc, e, events, snapshots, hits);
    if (facts.length === 0) continue;
    const started = podEvents(events, e.name, 'started').filter((s) => s.at <= e.at).at(-1);
    const since = started ? `, ${ms(started.at, e.at)} after its container started` : '';
    return {
      id: 'not-ready-traffic',
      evidence: [
        `new pod ${e.name}: its endpoint ${e.address} was marked ready at ${t(e.at)}${since}`,
        ...facts,
        `${failuresText(hits, inc)} of ${inc.failed} were sent in the ${FRESH_MS / 1000} s after it joined`,
      ],
      fix: FIX,
    };
  }
  return undefined;
};
