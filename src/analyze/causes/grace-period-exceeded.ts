// grace-period-exceeded: the pod was still busy when its grace period ended and got SIGKILL.
import type { ClusterEvent } from '../../types.js';
import { killKind } from './kills.js';
import { isNotTaken } from './kinds.js';
import type { CauseRule } from './rule-input.js';
import { countOf, deletionOf, failuresText, inFlightAt, lastFailedAt, t, type Deletion } from './facts.js';

const FIX = 'make the app exit promptly on SIGTERM (stop accepting, drain with a deadline shorter than the grace period), or raise terminationGracePeriodSeconds above preStop sleep + drain time; an app that never sees SIGTERM (PID 1 without a handler, a shell-form ENTRYPOINT that does not pass signals on) needs an init such as tini or `exec` in its entrypoint';


/**
 * A kill: ExceededGracePeriod (emitted only by killPodNow: eviction, preemption), or exit 137 once the
 * grace period had (nearly) run out, which is all a normal delete leaves. OOMKilled is not one.
 */
function kills(events: ClusterEvent[]): Array<{ at: number; pod: string; how: string; d: Deletion | undefined }> {
  const out: Array<{ at: number; pod: string; how: string; d: Deletion | undefined }> = [];
  for (const e of events) {
    if (e.kind === 'event' && e.type === 'ExceededGracePeriod') {
      out.push({ at: e.at, pod: e.name, how: `the kubelet reported ExceededGracePeriod at ${t(e.at)}: ${e.message.slice(0, 160)}`, d: deletionOf(events, e.name) });
    } else if (e.kind === 'pod' && e.type === 'terminated' && killKind(events, e) === 'grace-deadline') {
      const d = deletionOf(events, e.name);
      out.push({ at: e.at, pod: e.name, how: `it was still running when the grace period ended and was killed at ${t(e.at)} (exit code 137${e.reason ? `, reason ${e.reason}` : ''}: SIGKILL at the deadline, which a normal delete does silently)`, d });
    }
  }
  return out;
}

export const gracePeriodExceeded: CauseRule = (inc, events) => {
  for (const k of kills(events)) {
    if (k.at < inc.start - 2000 || k.at > lastFailedAt(inc) + 2000) continue;
    // A request the server never took (a refused connect or stream) was not in flight at the kill.
    const hits = inFlightAt(inc, k.at, k.at - 2000, k.at + 2000, (kind) => !isNotTaken(kind));
    if (countOf(hits) === 0) continue;
    const del = k.d
      ? `pod ${k.pod} got its delete at ${t(k.d.at)} with a ${k.d.graceS} s grace period${k.d.preStop ? ` (preStop ${k.d.preStop})` : ''}`
      : `pod ${k.pod} was being stopped`;
    return {
      id: 'grace-period-exceeded',
      evidence: [del, k.how, `${failuresText(hits, inc)} of ${inc.failed} were in flight and ended within 2 s of the kill`],
      fix: FIX,
    };
  }
  return undefined;
};
