// terminating-endpoint: traffic reached a pod after its app began to stop, before proxies dropped its endpoint.
import type { Cause, ClusterEvent } from '../../types.js';
import type { CauseRule, IncidentInput } from './rule-input.js';
import {
  PROPAGATION_MS, SLACK_MS, countOf, deletions, endpointDrop, failuresIn, failuresText, ms, t, toAddress, type Deletion,
} from './facts.js';

const FIX_NO_PRESTOP = 'add a preStop hook that sleeps longer than your endpoint propagation (≥ 5 s, e.g. `lifecycle.preStop.sleep.seconds: 5`) so proxies drop the pod before it gets SIGTERM, and drain in-flight requests on SIGTERM';
const fixShortPreStop = (d: Deletion): string => `lengthen the preStop sleep (now ${d.preStopS} s) beyond the time your proxies take to drop an endpoint (${Math.max(5, d.preStopS * 2)} s or more), and drain in-flight requests on SIGTERM`;

function dropText(d: Deletion, drop: ClusterEvent | undefined): string {
  if (!drop) return 'no endpoint change for it was recorded, so proxies were never told to stop in time';
  const what = `its endpoint ${String(drop.detail['address'] ?? '')} was marked ${drop.type} at ${t(drop.at)}`.replace('  ', ' ');
  if (drop.at >= d.sigtermAt) return `${what} — ${ms(d.sigtermAt, drop.at)} during which traffic could still reach it while it was stopping`;
  return `${what}, only ${ms(drop.at, d.sigtermAt)} before SIGTERM: less than the ${PROPAGATION_MS / 1000} s proxies may take to act on it`;
}

function explain(inc: IncidentInput, d: Deletion, drop: ClusterEvent | undefined, hits: ReturnType<typeof failuresIn>, from: number, to: number): Cause {
  const hook = d.preStop === null
    ? 'it had no preStop hook, so its app got SIGTERM at once'
    : `its preStop hook (${d.preStop}) delayed SIGTERM until ${t(d.sigtermAt)}`;
  const evidence = [
    `pod ${d.pod} got its delete at ${t(d.at)} (grace period ${d.graceS} s); ${hook}`,
    dropText(d, drop),
    `${failuresText(hits, inc)} of ${inc.failed} were sent between ${t(from)} and ${t(to)}, after the pod began stopping and before its endpoint removal had reached the proxies`,
  ];
  const direct = toAddress(hits, d.ip);
  if (direct) evidence.push(`${direct} of them went to its address ${d.ip}`);
  return { id: 'terminating-endpoint', evidence, fix: d.preStop === null ? FIX_NO_PRESTOP : fixShortPreStop(d) };
}

export const terminatingEndpoint: CauseRule = (inc, events) => {
  for (const d of deletions(events)) {
    if (d.at > inc.end + SLACK_MS || d.at + d.graceS * 1000 < inc.start) continue;
    const drop = endpointDrop(events, d.pod, d.at - 1000);
    // The endpoint was gone from proxies before the app stopped: the preStop hook did its job.
    if (drop && drop.at + PROPAGATION_MS <= d.sigtermAt) continue;
    const from = d.sigtermAt - SLACK_MS;
    const to = (drop ? Math.max(drop.at, d.sigtermAt) : d.sigtermAt) + PROPAGATION_MS;
    const hits = failuresIn(inc, from, to);
    if (countOf(hits) > 0) return explain(inc, d, drop, hits, from, to);
  }
  return undefined;
};
