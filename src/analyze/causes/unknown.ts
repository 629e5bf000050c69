// unknown: nothing recorded explains the incident; say what was (and was not) seen.
import type { Cause, ClusterEvent } from '../../types.js';
import type { WatchGap } from '../../watch/cluster-event.js';
import type { IncidentInput } from './rule-input.js';
import { t } from './facts.js';

const describe = (e: ClusterEvent): string => `${t(e.at)} ${e.kind} ${e.name} ${e.type}`;

export function unknownCause(inc: IncidentInput, nearby: ClusterEvent[], watched: boolean): Cause {
  const evidence: string[] = [];
  const gaps = nearby.filter((e): e is WatchGap => e.kind === 'watch' && e.type === 'gap');
  const changes = nearby.filter((e) => e.kind !== 'watch');
  if (!watched) evidence.push('the cluster was not watched during this run, so no pod or endpoint transition can be lined up with it');
  else if (changes.length === 0) evidence.push(`no cluster transition was recorded between ${t(inc.start - 10_000)} and ${t(inc.end + 2000)}`);
  else evidence.push(`${changes.length} cluster transition(s) nearby, none matching a known cause: ${changes.slice(0, 5).map(describe).join('; ')}`);
  for (const g of gaps) evidence.push(`the watch was down ${g.ms} ms here (${g.reason || 'unknown reason'}): transitions may be missing`);
  return {
    id: 'unknown',
    evidence,
    fix: watched
      ? 'check the proxy and application logs at these times; rerun with --connection both to tell keep-alive problems apart'
      : 'rerun with --deployment/--service (or --selector) and a kubeconfig so the watcher records pod and endpoint transitions',
  };
}
