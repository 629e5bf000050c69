// proxy-lag: measured per pod, traffic kept reaching a stopping pod after its endpoint change for longer than its preStop covered.
import type { ClusterEvent, InstanceCount } from '../../types.js';
import type { CauseRule, IncidentInput } from './rule-input.js';
import { PROPAGATION_MS, SLACK_MS, countOf, deletions, endpointDrop, failuresIn, failuresText, ms, notOthers, t, type Deletion } from './facts.js';

/** A last answer this close to SIGTERM means the proxy was still sending when the app began to stop. */
export const STILL_SENDING_MS = 1000;

interface Lag { d: Deletion; dropAt: number; dropType: string; last: number; hits: ReturnType<typeof failuresIn> }

/** The measured lag is cut off at SIGTERM (the pod stopped answering then), so the preStop needs a margin above it. */
const fix = (lagMs: number): string =>
  `lengthen the preStop sleep well beyond the lag measured here (at least ${Math.max(5, Math.ceil(lagMs / 1000) * 2)} s, e.g. \`lifecycle.preStop.sleep.seconds\`), keep terminationGracePeriodSeconds above it, and drain in-flight requests on SIGTERM; or make the proxy act on endpoint changes sooner (ingress-nginx syncs every few seconds, Traefik throttles provider updates by 2 s)`;

function measure(inc: IncidentInput, d: Deletion, events: ClusterEvent[], seen: InstanceCount | undefined): Lag | undefined {
  if (d.preStop === null || !seen) return undefined;
  const drop = endpointDrop(events, d.pod, d.at - 1000);
  // An endpoint change after SIGTERM is terminating-endpoint's case: the control plane, not the proxy, was late.
  if (!drop || drop.at >= d.sigtermAt || seen.last < d.sigtermAt - STILL_SENDING_MS) return undefined;
  const hits = notOthers(failuresIn(inc, d.sigtermAt - SLACK_MS, Math.max(seen.last, d.sigtermAt) + PROPAGATION_MS), d.pod);
  return countOf(hits) > 0 ? { d, dropAt: drop.at, dropType: drop.type, last: seen.last, hits } : undefined;
}

export const proxyLag: CauseRule = (inc, events) => {
  const found = deletions(events).map((d) => measure(inc, d, events, inc.instances?.[d.pod])).filter((x): x is Lag => x !== undefined);
  if (found.length === 0) return undefined;
  const evidence = found.slice(0, 3).flatMap((l) => [
    `pod ${l.d.pod} got its delete at ${t(l.d.at)}; its preStop hook (${l.d.preStop}) held SIGTERM until ${t(l.d.sigtermAt)}, ${ms(l.dropAt, l.d.sigtermAt)} after its endpoint was marked ${l.dropType} at ${t(l.dropAt)}`,
    `measured: it still answered at ${t(l.last)}, ${ms(l.dropAt, l.last)} after its endpoint change${l.last < l.d.sigtermAt ? ` and only ${ms(l.last, l.d.sigtermAt)} before its SIGTERM` : ', after its SIGTERM'}: the proxy was still sending to it when the preStop ended, so its lag was at least that long and the preStop too short`,
    `${failuresText(l.hits, inc)} of ${inc.failed} were sent from its SIGTERM until ${t(Math.max(l.last, l.d.sigtermAt) + PROPAGATION_MS)}`,
  ]);
  const worst = Math.max(...found.map((l) => l.last - l.dropAt));
  return { id: 'proxy-lag', evidence, fix: fix(worst) };
};
