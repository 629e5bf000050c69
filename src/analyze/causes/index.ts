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

/** All causes that hold for one incident (several may); `unknown` when none does. */
export function diagnose(
  inc: IncidentInput, events: ClusterEvent[], snapshots: ConfigSnapshot[], nearby: ClusterEvent[], watched: boolean,
): Cause[] {
  const found = CAUSE_RULES.map(({ rule }) => rule(inc, events, snapshots)).filter((c): c is Cause => c !== undefined);
  return found.length ? found : [unknownCause(inc, nearby, watched)];
}
