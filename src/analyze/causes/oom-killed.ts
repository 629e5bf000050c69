// oom-killed: a container went over its memory limit and the kernel killed it, with traffic on it.
import type { ClusterEvent, ConfigSnapshot } from '../../types.js';
import type { PodTerminated } from '../../watch/cluster-event.js';
import type { CauseRule } from './rule-input.js';
import { countOf, failedAt, failuresIn, failuresText, lastFailedAt, podCreated, podEvents, refOf, snapshotAt, t, terminations, workloadOf } from './facts.js';

/** Failures this long after the kill (or the restart) still belong to it: new connections refused, the restart. */
const AFTER_MS = 5000;

const FIX = 'keep the app below its memory limit: measure its peak under load and set resources.limits.memory above it, or bound what grows (caches, queues, heap: Node --max-old-space-size, JVM -XX:MaxRAMPercentage); with more than one replica and a readinessProbe a restarting pod is out of rotation instead of taking traffic';

/** "memory limit 64Mi" from the Deployment in force, when the snapshot has it. */
function limitText(snapshots: ConfigSnapshot[], events: ClusterEvent[], term: PodTerminated): string | undefined {
  const w = workloadOf(snapshotAt(snapshots, term.at), term.name, podCreated(events, term.name)?.owner);
  const containers: Array<{ name?: string; resources?: { limits?: { memory?: string } } }> = w?.spec?.template?.spec?.containers ?? [];
  const limit = containers.find((c) => c.name === term.container)?.resources?.limits?.memory;
  return limit && w ? `its memory limit was ${limit} (${refOf(w)})` : undefined;
}

export const oomKilled: CauseRule = (inc, events, snapshots) => {
  for (const term of terminations(events)) {
    if (term.reason !== 'OOMKilled' || term.at < inc.start - 2000 || term.at > lastFailedAt(inc) + 2000) continue;
    const back = podEvents(events, term.name, 'started').find((s) => s.at > term.at && s.container === term.container);
    const hits = failuresIn(inc, term.at - 2000, (back?.at ?? term.at) + AFTER_MS, failedAt);
    if (countOf(hits) === 0) continue;
    const limit = limitText(snapshots, events, term);
    return {
      id: 'oom-killed',
      evidence: [
        `container ${term.container} of pod ${term.name} was killed by the kernel's OOM killer at ${t(term.at)} (exit code ${term.exitCode ?? '?'}, reason OOMKilled): it used more memory than its limit`,
        ...(limit ? [limit] : []),
        back ? `the kubelet restarted it at ${t(back.at)} (restart count ${back.restartCount})` : 'no restart of it was recorded before the end of the run',
        `${failuresText(hits, inc)} of ${inc.failed} ended between ${t(term.at - 2000)} and ${t((back?.at ?? term.at) + AFTER_MS)}, while it died and came back`,
      ],
      fix: FIX,
    };
  }
  return undefined;
};
