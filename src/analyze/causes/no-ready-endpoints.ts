// no-ready-endpoints: a Service had no ready endpoint at all, so nothing could answer.
import type { ClusterEvent } from '../../types.js';
import type { EndpointEvent } from '../../watch/cluster-event.js';
import type { CauseRule } from './rule-input.js';
import { countOf, deletions, failuresIn, failuresText, t } from './facts.js';

export interface ZeroSpan {
  service: string;
  start: number;
  /** undefined while still at zero when the recording ends. */
  end?: number;
  /** The endpoint change that took the count to zero, and the one that ended it. */
  cause: EndpointEvent;
  recovery?: EndpointEvent;
  before: number;
  /** Addresses still serving while terminating when the span opened: kube-proxy falls back to these. */
  servingTerminating: string[];
}

/** Replays endpoint events per Service; a span opens when the ready count drops from >0 to 0. */
export function zeroReadySpans(events: ClusterEvent[]): ZeroSpan[] {
  const ready = new Map<string, Map<string, boolean>>();
  const fallback = new Map<string, Map<string, boolean>>();
  const open = new Map<string, ZeroSpan>();
  const spans: ZeroSpan[] = [];
  for (const e of events) {
    if (e.kind !== 'endpoint') continue;
    const service = e.service ?? e.slice;
    const book = ready.get(service) ?? new Map<string, boolean>();
    ready.set(service, book);
    const count = (): number => [...book.values()].filter(Boolean).length;
    const before = count();
    const address = e.address;
    const spare = fallback.get(service) ?? new Map<string, boolean>();
    fallback.set(service, spare);
    if (e.type === 'removed') book.delete(address);
    else book.set(address, e.ready);
    if (e.type === 'removed' || !(e.serving && e.terminating)) spare.delete(address);
    else spare.set(address, true);
    const after = count();
    if (before > 0 && after === 0) {
      const span: ZeroSpan = { service, start: e.at, cause: e, before, servingTerminating: [...spare.keys()] };
      open.set(service, span);
      spans.push(span);
    } else if (before === 0 && after > 0 && open.has(service)) {
      const span = open.get(service)!;
      span.end = e.at;
      span.recovery = e;
      open.delete(service);
    }
  }
  return spans;
}

const FIX = 'keep a ready pod at all times: RollingUpdate with maxUnavailable: 0 and maxSurge ≥ 1, more than one replica, a PodDisruptionBudget, and a readinessProbe so new pods are Ready before old ones go';
/** No pod was being deleted: every pod failed its readiness probe at once, which no rollout setting prevents. */
const FIX_CASCADE = 'every pod failed readiness at the same time while none was being deleted: make the readiness probe check only what this pod needs to answer (not a shared database or downstream service, which takes every replica out at once), give it a timeoutSeconds and failureThreshold that ride out a slow second, and add replicas or capacity if load made them all slow';

export const noReadyEndpoints: CauseRule = (inc, events) => {
  for (const span of zeroReadySpans(events)) {
    const end = span.end ?? Infinity;
    if (span.start > inc.end + 1000 || end < inc.start - 1000) continue;
    const hits = failuresIn(inc, span.start - 1000, end + 1000);
    if (countOf(hits) === 0) continue;
    const until = span.recovery
      ? `until ${t(end)} when ${span.recovery.name} became ready (${((end - span.start) / 1000).toFixed(1)} s with nothing to send traffic to)`
      : 'until the end of the recording';
    const deleting = deletions(events).some((d) => d.at <= span.start + 1000 && d.at + d.graceS * 1000 >= span.start - 1000);
    return {
      id: 'no-ready-endpoints',
      evidence: [
        `service ${span.service} had 0 ready endpoints from ${t(span.start)} (the endpoint of ${span.cause.name} was marked ${span.cause.type}) ${until}`,
        `before that it had ${span.before} ready endpoint${span.before === 1 ? '' : 's'}`,
        `${failuresText(hits, inc)} of ${inc.failed} fell in that span`,
        ...(span.servingTerminating.length ? [`${span.servingTerminating.join(', ')} stayed serving while terminating: kube-proxy falls back to such endpoints, so traffic through the Service could still reach them; a proxy that takes only ready endpoints (ingress, mesh) had none`] : []),
      ],
      fix: deleting || span.cause.type !== 'not-ready' ? FIX : FIX_CASCADE,
    };
  }
  return undefined;
};
