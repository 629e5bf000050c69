// terminating-endpoint: traffic reached a pod after its app began to stop, before proxies dropped its endpoint.
import type { ClusterEvent, Sample } from '../../types.js';
import type { EndpointEvent } from '../../watch/cluster-event.js';
import type { CauseRule, IncidentInput } from './rule-input.js';
import {
  PROPAGATION_MS, SLACK_MS, countOf, deletions, endpointDrop, failuresIn, failuresText, ms, notOthers, t, toAddress, type Deletion,
} from './facts.js';

/** Pods described in full; more are counted. */
const MAX_PODS = 3;

const FIX_NO_PRESTOP = 'add a preStop hook that sleeps longer than your endpoint propagation (≥ 5 s, e.g. `lifecycle.preStop.sleep.seconds: 5`) so proxies drop the pod before it gets SIGTERM, and drain in-flight requests on SIGTERM';
const fixShortPreStop = (d: Deletion): string => `lengthen the preStop sleep (now ${d.preStopS} s) beyond the time your proxies take to drop an endpoint (${Math.max(5, d.preStopS * 2)} s or more), and drain in-flight requests on SIGTERM`;

function dropText(d: Deletion, drop: EndpointEvent | undefined): string {
  if (!drop) return 'no endpoint change for it was recorded, so proxies were never told to stop in time';
  const what = `its endpoint ${drop.address} was marked ${drop.type} at ${t(drop.at)}`.replace('  ', ' ');
  if (drop.at >= d.sigtermAt) return `${what} — ${ms(d.sigtermAt, drop.at)} during which traffic could still reach it while it was stopping`;
  return `${what}, only ${ms(drop.at, d.sigtermAt)} before SIGTERM: less than the ${PROPAGATION_MS / 1000} s proxies may take to act on it`;
}

interface Hit { d: Deletion; drop: EndpointEvent | undefined; hits: Sample[] | number; from: number; to: number }

function hookText(d: Deletion): string {
  if (d.preStop === null) return 'it had no preStop hook, so its app got SIGTERM at once';
  if (d.preStopFailedAt !== undefined) return `its preStop hook (${d.preStop}) failed (FailedPreStopHook at ${t(d.preStopFailedAt)}), so its app got SIGTERM then`;
  if (d.preStopS === 0) return `its preStop hook (${d.preStop}) has no duration zdprobe can read, so SIGTERM is taken to follow at once`;
  return `its preStop hook (${d.preStop}) delayed SIGTERM until ${t(d.sigtermAt)}`;
}

function podEvidence(inc: IncidentInput, h: Hit): string[] {
  const { d } = h;
  const out = [
    `pod ${d.pod} got its delete at ${t(d.at)} (grace period ${d.graceS} s); ${hookText(d)}`,
    dropText(d, h.drop),
    `${failuresText(h.hits, inc)} of ${inc.failed} were sent between ${t(h.from)} and ${t(h.to)}, after the pod began stopping and before its endpoint removal had reached the proxies`,
  ];
  const direct = toAddress(h.hits, d.ip);
  if (direct) out.push(`${direct} of them went to its address ${d.ip}`);
  return out;
}

function check(inc: IncidentInput, d: Deletion, events: ClusterEvent[]): Hit | undefined {
  if (d.at > inc.end + SLACK_MS || d.at + d.graceS * 1000 < inc.start) return undefined;
  const drop = endpointDrop(events, d.pod, d.at - 1000);
  // The endpoint was gone from proxies before the app stopped: the preStop hook did its job.
  if (drop && drop.at + PROPAGATION_MS <= d.sigtermAt) return undefined;
  const from = d.sigtermAt - SLACK_MS;
  const to = (drop ? Math.max(drop.at, d.sigtermAt) : d.sigtermAt) + PROPAGATION_MS;
  const hits = notOthers(failuresIn(inc, from, to), d.pod);
  return countOf(hits) > 0 ? { d, drop, hits, from, to } : undefined;
}

/** Every pod of the incident that fits (a rollout stops several), the first few in words. */
export const terminatingEndpoint: CauseRule = (inc, events) => {
  const found = deletions(events).map((d) => check(inc, d, events)).filter((h): h is Hit => h !== undefined);
  if (found.length === 0) return undefined;
  const evidence = found.slice(0, MAX_PODS).flatMap((h) => podEvidence(inc, h));
  if (found.length > MAX_PODS) evidence.push(`${found.length - MAX_PODS} more pod(s) stopped the same way`);
  const noHook = found.some((h) => h.d.preStop === null);
  return { id: 'terminating-endpoint', evidence, fix: noHook ? FIX_NO_PRESTOP : fixShortPreStop(found[0]!.d) };
};
