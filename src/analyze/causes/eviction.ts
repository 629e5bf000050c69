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

const isDisruption = (e: ClusterEvent): e is PodDisruption => e.kind === 'pod' && e.type === 'disruption';
const isEviction = (e: ClusterEvent): e is KubeEvent => e.kind === 'event' && EVICTED.has(e.type) && e.involvedKind !== 'Node';

/** DisruptionTarget conditions, and the kubelet's or scheduler's Evicted/Preempted events. */
function marks(events: ClusterEvent[]): Mark[] {
  const out: Mark[] = [];
  for (const e of events) {
    if (isDisruption(e)) {
      out.push({ at: e.at, pod: e.name, why: `its DisruptionTarget condition turned True (reason ${e.reason ?? '?'}${e.message ? `: ${e.message.slice(0, 120)}` : ''})` });
    } else if (isEviction(e)) {
      out.push({ at: e.at, pod: e.name, why: `the ${e.type} event said: ${e.message.slice(0, 160)}` });
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
