// upstream-keepalive-race: a proxy reused a pooled upstream connection the app had just closed as idle.
import type { ClusterEvent } from '../../types.js';
import type { CauseRule, IncidentInput } from './rule-input.js';
import { deletions, kindsOf, t } from './facts.js';
import { isProxyUpstreamClose } from './kinds.js';

/** A race hits single requests; a burst has another cause. */
export const MAX_RACE_FAILURES = 3;
const QUIET_BEFORE_MS = 10_000;
const QUIET_AFTER_MS = 2000;

const FIX = 'make the app\'s keep-alive idle timeout longer than the proxy\'s upstream one (e.g. Node `server.keepAliveTimeout` 65 s behind ingress-nginx\'s upstream keepalive_timeout 60 s or an AWS ALB\'s 60 s idle timeout), or lower the proxy\'s upstream idle timeout below the app\'s; retries on the proxy hide it only for idempotent requests (POST is not retried)';

/** Anything in the window that could explain a failure: a change, a stopping pod, an exit or start. */
function changesNear(events: ClusterEvent[], inc: IncidentInput): boolean {
  const from = inc.start - QUIET_BEFORE_MS;
  const to = inc.end + QUIET_AFTER_MS;
  const stopping = deletions(events).some((d) => d.at <= to && d.at + d.graceS * 1000 + QUIET_AFTER_MS >= from);
  return stopping || events.some((e) => e.at >= from && e.at <= to && e.initial !== true && e.kind !== 'watch' && e.kind !== 'event');
}

export const upstreamKeepaliveRace: CauseRule = (inc, events) => {
  if (inc.failed > MAX_RACE_FAILURES || events.length === 0) return undefined;
  if (!Object.keys(inc.kinds).every(isProxyUpstreamClose)) return undefined;
  // A tagged 5xx is the app's own answer, not the proxy's.
  if (inc.samples.some((s) => s.version !== undefined)) return undefined;
  if (changesNear(events, inc)) return undefined;
  return {
    id: 'upstream-keepalive-race',
    evidence: [
      `${inc.failed} isolated failure(s) (${kindsOf(inc.failed, inc)}) at ${t(inc.start)}, answered by the proxy`,
      `no pod was stopping or starting and no endpoint, workload or route changed from ${t(inc.start - QUIET_BEFORE_MS)} to ${t(inc.end + QUIET_AFTER_MS)}`,
      'a lone 502/503 outside any rollout is what a proxy answers when it sends a request on a pooled keep-alive connection that the app closed as idle at the same moment: the app\'s idle timeout is shorter than the proxy\'s',
    ],
    fix: FIX,
  };
};
