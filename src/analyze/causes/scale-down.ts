// scale-down: replicas were lowered without a template change (kubectl scale, an HPA) and the pods it removed dropped requests.
import type { ClusterEvent } from '../../types.js';
import type { KubeEvent, WorkloadSpec } from '../../watch/cluster-event.js';
import type { CauseRule } from './rule-input.js';
import { SLACK_MS, countOf, deletions, failuresText, hookWords, t, whileStopping } from './facts.js';

/** A scale-down picks its pods within this long. */
const PICK_MS = 30_000;

const FIX = 'pods removed by a scale-down (kubectl scale, an HPA, KEDA) stop like any other: give them a preStop sleep longer than your endpoint propagation (≥ 5 s) and drain in-flight requests on SIGTERM; for an HPA, slow its scale-down with behavior.scaleDown (stabilizationWindowSeconds, policies)';

interface ScaleDown { at: number; name: string; from: number; to: number; images: string }

/** Deployment spec changes that lowered replicas and kept the pod template (same images, same version label). */
export function scaleDowns(events: ClusterEvent[]): ScaleDown[] {
  const last = new Map<string, WorkloadSpec>();
  const out: ScaleDown[] = [];
  for (const e of events) {
    if (e.kind !== 'deployment' || e.type !== 'spec') continue;
    const prev = last.get(e.name);
    last.set(e.name, e);
    if (!prev || prev.replicas === null || e.replicas === null || e.replicas >= prev.replicas) continue;
    if (prev.images !== e.images || prev.version !== e.version) continue;
    out.push({ at: e.at, name: e.name, from: prev.replicas, to: e.replicas, images: e.images });
  }
  return out;
}

/** "by HorizontalPodAutoscaler/web: New size: 2; reason: ..." when an HPA said it did this. */
function byHpa(events: ClusterEvent[], s: ScaleDown): string {
  const e = events.find((x): x is KubeEvent => x.kind === 'event' && x.type === 'SuccessfulRescale' && Math.abs(x.at - s.at) <= 5000);
  return e ? ` by ${e.involvedKind ?? 'HorizontalPodAutoscaler'}/${e.name} (${e.message.slice(0, 120)})` : '';
}

export const scaleDown: CauseRule = (inc, events) => {
  for (const s of scaleDowns(events)) {
    if (s.at > inc.end + SLACK_MS || s.at < inc.start - PICK_MS - 60_000) continue;
    const picked = deletions(events).filter((d) => d.pod.startsWith(`${s.name}-`) && d.at >= s.at - 1000 && d.at <= s.at + PICK_MS);
    const hit = picked.map((d) => ({ d, hits: whileStopping(inc, d) })).filter((x) => countOf(x.hits) > 0);
    if (hit.length === 0) continue;
    return {
      id: 'scale-down',
      evidence: [
        `Deployment ${s.name} was scaled from ${s.from} to ${s.to} replicas at ${t(s.at)}${byHpa(events, s)}, its pod template unchanged (${s.images}): not a rollout`,
        ...hit.slice(0, 3).map(({ d, hits }) => `pod ${d.pod} was removed: delete at ${t(d.at)} (${hookWords(d)}, grace period ${d.graceS} s); ${failuresText(hits, inc)} were sent while it stopped`),
      ],
      fix: FIX,
    };
  }
  return undefined;
};
