// Every cause rule, most specific first; an incident no rule explains gets `unknown`.
import type { Cause, ClusterEvent, ConfigSnapshot } from '../../types.js';
import type { CauseRule, IncidentInput } from './rule-input.js';
import { routeConfig } from './route-config.js';
import { gracePeriodExceeded } from './grace-period-exceeded.js';
import { noReadyEndpoints } from './no-ready-endpoints.js';
import { notReadyTraffic } from './not-ready-traffic.js';
import { keepaliveReuse } from './keepalive-reuse.js';
import { abruptShutdown } from './abrupt-shutdown.js';
import { terminatingEndpoint } from './terminating-endpoint.js';
import { unknownCause } from './unknown.js';

export type { CauseRule, IncidentInput } from './rule-input.js';

export const CAUSE_RULES: ReadonlyArray<{ id: Cause['id']; rule: CauseRule }> = [
  { id: 'route-config', rule: routeConfig },
  { id: 'no-ready-endpoints', rule: noReadyEndpoints },
  { id: 'grace-period-exceeded', rule: gracePeriodExceeded },
  { id: 'keepalive-reuse', rule: keepaliveReuse },
  { id: 'abrupt-shutdown', rule: abruptShutdown },
  { id: 'terminating-endpoint', rule: terminatingEndpoint },
  { id: 'not-ready-traffic', rule: notReadyTraffic },
];

/**
 * Where two rules see the same failures, the one whose fix removes them is the cause and the other
 * is context: a preStop sleep plus a drain on SIGTERM (terminating-endpoint's fix) also ends what an
 * abrupt exit cut. Measured on a real node: that fix removed every failure of such a rollout, and
 * the refused new dials abrupt-shutdown called "in-flight work" had never been in flight.
 */
const SUBSUMES: ReadonlyArray<[Cause['id'], Cause['id']]> = [['terminating-endpoint', 'abrupt-shutdown']];

function oneCausePerFailure(found: Cause[]): Cause[] {
  let causes = found;
  for (const [main, context] of SUBSUMES) {
    const m = causes.find((c) => c.id === main);
    const c = causes.find((x) => x.id === context);
    if (!m || !c) continue;
    const merged: Cause = { ...m, evidence: [...m.evidence, ...c.evidence.map((e) => `context (${context}): ${e}`)] };
    causes = causes.filter((x) => x !== c).map((x) => (x === m ? merged : x));
  }
  return causes;
}

/** The causes of one incident, one per set of failures (others as context); `unknown` when none holds. */
export function diagnose(
  inc: IncidentInput, events: ClusterEvent[], snapshots: ConfigSnapshot[], nearby: ClusterEvent[], watched: boolean,
): Cause[] {
  const found = CAUSE_RULES.map(({ rule }) => rule(inc, events, snapshots)).filter((c): c is Cause => c !== undefined);
  return found.length ? oneCausePerFailure(found) : [unknownCause(inc, nearby, watched)];
}
