// bad-version: the new version's own pods answered 5xx: the app failed, not the rollout mechanics.
import type { ClusterEvent, Sample } from '../../types.js';
import type { PodCreated } from '../../watch/cluster-event.js';
import type { CauseRule } from './rule-input.js';
import { t } from './facts.js';

/** At least this share of the incident's failures are tagged 5xx answers of one version. */
export const VERSION_SHARE = 0.5;

const FIX = 'the new version itself answers errors: roll back (kubectl rollout undo) and fix it; catch it before it takes all traffic with a canary gated on the new version\'s error rate (Argo Rollouts or Kruise analysis, Flagger) and a readinessProbe that exercises the real request path';

/** Answers the app itself gave: a 5xx that carries the version tag (a proxy's own 502/503 carries none). */
const appError = (s: Sample): boolean => s.status !== undefined && s.status >= 500 && s.version !== undefined;

function byVersion(samples: Sample[]): Array<[string, Sample[]]> {
  const m = new Map<string, Sample[]>();
  for (const s of samples.filter(appError)) m.set(s.version!, [...(m.get(s.version!) ?? []), s]);
  return [...m.entries()].sort((a, b) => b[1].length - a[1].length);
}

function podsOf(events: ClusterEvent[], version: string, hits: Sample[]): string {
  const instances = [...new Set(hits.flatMap((s) => (s.instance ? [s.instance] : [])))];
  const created = events.filter((e): e is PodCreated => e.kind === 'pod' && e.type === 'created' && e.initial !== true && e.version === version);
  const pods = instances.length ? instances : created.map((e) => e.name);
  return pods.length ? `answered by pod(s) ${pods.slice(0, 4).join(', ')}${pods.length > 4 ? ` and ${pods.length - 4} more` : ''}` : 'answered by its own pods';
}

export const badVersion: CauseRule = (inc, events) => {
  const [top] = byVersion(inc.samples);
  if (!top || top[1].length < VERSION_SHARE * inc.samples.length) return undefined;
  const [version, hits] = top;
  const codes = [...new Set(hits.map((s) => s.status))].sort().join('/');
  return {
    id: 'bad-version',
    evidence: [
      `${hits.length} of ${inc.failed} failures were ${codes} answers tagged with version ${version}, ${podsOf(events, version, hits)}: the app answered, so the network and the rollout mechanics delivered the request`,
      `the first at ${t(hits[0]!.intended)}, the last at ${t(hits.at(-1)!.intended)}`,
    ],
    fix: FIX,
  };
};
