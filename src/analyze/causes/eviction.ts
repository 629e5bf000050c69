// eviction: a pod was evicted (Eviction API, a drain, preemption, the kubelet) and dropped requests as it went.
import type { ClusterEvent } from '../../types.js';
import type { KubeEvent, PodDisruption } from '../../watch/cluster-event.js';
import type { CauseRule } from './rule-input.js';
import { SLACK_MS, countOf, deletionOf, failuresIn, failuresText, hookWords, t, whileStopping } from './facts.js';

const EVICTED = new Set(['Evicted', 'Preempted', 'Preempting', 'TaintManagerEviction']);
/** Without a recorded delete, failures this long after the mark count. */
const AFTER_MS = 30_000;

const FIX = 'evictions (kubectl drain, node upgrades, cluster autoscaler) wait only for a PodDisruptionBudget: give the workload one (maxUnavailable: 1 with ≥ 2 replicas, or minAvailable) so a replacement is ready first, and make every pod stop cleanly (preStop sleep longer than endpoint propagation, drain on SIGTERM), since an evicted pod goes like a deleted one';

interface Mark { at: number; pod: string; why: string }

/** DisruptionTarget conditions, and the kubelet's or scheduler's Evicted/Preempted events. */
function marks(events: ClusterEvent[]): Mark[] {
  const out: Mark[] = [];
  for (const e of events) {
    if (e.kind === 'pod' && e.type === 'disruption') {
      const d = e as PodDisruption;
      out.push({ at: d.at, pod: d.name, why: `its DisruptionTarget condition turned True (reason ${d.reason ?? '?'}${d.message ? `: ${d.message.slice(0, 120)}` : ''})` });
    } else if (e.kind === 'event' && EVICTED.has(e.type) && (e as KubeEvent).involvedKind !== 'Node') {
      out.push({ at: e.at, pod: e.name, why: `the ${e.type} event said: ${(e as KubeEvent).message.slice(0, 160)}` });
    }
  }
  return out;
}

export const eviction: CauseRule = (inc, events) => {
  for (const m of marks(events)) {
    if (m.at > inc.end + SLACK_MS) continue;
    const d = deletionOf(events, m.pod);
    const hits = d ? whileStopping(inc, d) : failuresIn(inc, m.at - SLACK_MS, m.at + AFTER_MS);
    if (countOf(hits) === 0) continue;
    return {
      id: 'eviction',
      evidence: [
        `pod ${m.pod} was evicted, not rolled: at ${t(m.at)} ${m.why}`,
        d ? `its delete came at ${t(d.at)} (${hookWords(d)}, grace period ${d.graceS} s)` : 'no delete of it was recorded',
        `${failuresText(hits, inc)} of ${inc.failed} were sent while it stopped`,
      ],
      fix: FIX,
    };
  }
  return undefined;
};
