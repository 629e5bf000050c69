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
import { oomKilled } from './oom-killed.js';
import { livenessRestart } from './liveness-restart.js';
import { eviction } from './eviction.js';
import { scaleDown } from './scale-down.js';
import { badVersion } from './bad-version.js';
import { proxyLag } from './proxy-lag.js';
import { upstreamKeepaliveRace } from './upstream-keepalive-race.js';
import { unknownCause } from './unknown.js';

export type { CauseRule, IncidentInput } from './rule-input.js';

export const CAUSE_RULES: ReadonlyArray<{ id: Cause['id']; rule: CauseRule }> = [
  { id: 'route-config', rule: routeConfig },
  { id: 'oom-killed', rule: oomKilled },
  { id: 'liveness-restart', rule: livenessRestart },
  { id: 'eviction', rule: eviction },
  { id: 'scale-down', rule: scaleDown },
  { id: 'bad-version', rule: badVersion },
  { id: 'no-ready-endpoints', rule: noReadyEndpoints },
  { id: 'grace-period-exceeded', rule: gracePeriodExceeded },
  { id: 'keepalive-reuse', rule: keepaliveReuse },
  { id: 'proxy-lag', rule: proxyLag },
  { id: 'abrupt-shutdown', rule: abruptShutdown },
  { id: 'terminating-endpoint', rule: terminatingEndpoint },
  { id: 'not-ready-traffic', rule: notReadyTraffic },
  { id: 'upstream-keepalive-race', rule: upstreamKeepaliveRace },
];

/**
 * Where two rules see the same failures, the one whose fix removes them is the cause and the other
 * is context: a preStop sleep plus a drain on SIGTERM (terminating-endpoint's fix) also ends what an
 * abrupt exit cut. Measured on a real node: that fix removed every failure of such a rollout, and
 * the refused new dials abrupt-shutdown called "in-flight work" had never been in flight.
 */
const SUBSUMES: ReadonlyArray<[Cause['id'], Cause['id']]> = [
  // What started the stop (a scale-down, an eviction) is the cause; how the pod stopped, and which
  // connections its stop broke, is context (CI: an eviction with 24 of 25 failures on reused ones).
  ...(['scale-down', 'eviction'] as const).flatMap((main) =>
    (['proxy-lag', 'terminating-endpoint', 'abrupt-shutdown', 'grace-period-exceeded', 'no-ready-endpoints', 'keepalive-reuse'] as const).map((c): [Cause['id'], Cause['id']] => [main, c])),
  // A container killed under traffic: the kill, not the capacity it left or how the restart rejoined.
  ...(['oom-killed', 'liveness-restart'] as const).flatMap((main) =>
    (['no-ready-endpoints', 'abrupt-shutdown', 'not-ready-traffic', 'keepalive-reuse'] as const).map((c): [Cause['id'], Cause['id']] => [main, c])),
  // An app still running at the grace deadline was serving during propagation: the kill cut its requests.
  ['grace-period-exceeded', 'terminating-endpoint'],
  // Requests cut by the kill fail on whatever connection carried them (real node: mostly reused ones).
  ['grace-period-exceeded', 'keepalive-reuse'],
  // Without a preStop hook the pod got traffic while stopping on every kind of connection; behind an L7
  // proxy the client's reuse/new split says little (real node: 49 of 52 on reused ones). The preStop fix
  // ends both. Applied before keepalive-reuse takes proxy-lag: otherwise the three form a cycle and the
  // order of the evidence decides (CI, proxy-lag on the real node: 62 of 67 failures on reused connections).
  ['terminating-endpoint', 'keepalive-reuse'],
  // With no ready endpoint at all the proxy had nowhere else to send: capacity, not lag, is what to fix.
  ['no-ready-endpoints', 'proxy-lag'],
  // Kept-alive connections reach a stopping pod whatever the proxy does: the pod's late answers are not proxy lag.
  ['keepalive-reuse', 'proxy-lag'], ['keepalive-reuse', 'abrupt-shutdown'],
  // Measured lag beyond a preStop that exists: lengthening it is the fix.
  ['proxy-lag', 'terminating-endpoint'], ['proxy-lag', 'abrupt-shutdown'],
  ['terminating-endpoint', 'abrupt-shutdown'],
];

function oneCausePerFailure(found: Cause[]): Cause[] {
  let causes = found;
  for (const [main, context] of SUBSUMES) {
    const m = causes.find((c) => c.id === main);
    const c = causes.find((x) => x.id === context);
    if (!m || !c) continue;
    const merged: Cause = { ...m, evidence: [...m.evidence, ...c.evidence.map((e) => (e.startsWith('context (') ? e : `context (${context}): ${e}`))] };
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
