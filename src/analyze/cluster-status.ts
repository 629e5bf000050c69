// Cluster status from the recording's 'watch' events, for reports rebuilt without the live status.
import type { ClusterEvent, ClusterStatus } from '../types.js';

const NOT_SCOPED = 'no cluster events were recorded: run probe with --deployment, --service, --selector or --rollout (and a kubeconfig) to watch the release';

const str = (v: unknown, fallback: string): string => (typeof v === 'string' && v !== '' ? v : fallback);

export function clusterFromEvents(events: ClusterEvent[]): ClusterStatus {
  const watched = events.some((e) => e.kind !== 'watch' || e.type === 'resumed' || e.type === 'relist');
  const problems = new Set<string>();
  const gaps: ClusterStatus['gaps'] = [];
  for (const e of events) {
    if (e.kind !== 'watch') continue;
    const resource = str(e.resource, e.name);
    if (e.type === 'forbidden') problems.add(`forbidden to watch ${resource}: ${str(e.reason, 'HTTP 403')} (add the rules in deploy/rbac.yaml)`);
    if (e.type === 'unavailable') problems.add(`${resource} could not be watched: ${str(e.reason, 'unavailable')}`);
    if (e.type === 'gap') gaps.push({ start: e.start, end: e.end, reason: `watch of ${resource}: ${str(e.reason, 'disconnected')}` });
  }
  if (events.length === 0) problems.add(NOT_SCOPED);
  return { watched, problems: [...problems], gaps: mergeGaps(gaps) };
}

/** Overlapping gaps (one API server restart seen by several watches) become one. */
export function mergeGaps(gaps: ClusterStatus['gaps']): ClusterStatus['gaps'] {
  const out: ClusterStatus['gaps'] = [];
  for (const g of [...gaps].sort((a, b) => a.start - b.start)) {
    const last = out.at(-1);
    if (last && g.start <= last.end) {
      last.end = Math.max(last.end, g.end);
      if (!last.reason.includes(g.reason)) last.reason += `; ${g.reason}`;
    } else out.push({ ...g });
  }
  return out;
}

const isEmpty = (c: ClusterStatus): boolean => !c.watched && c.problems.length === 0 && c.gaps.length === 0;

/** The live status when there is one; otherwise what the recorded watch events say. */
export function resolveCluster(live: ClusterStatus, events: ClusterEvent[]): ClusterStatus {
  return isEmpty(live) ? clusterFromEvents(events) : live;
}
