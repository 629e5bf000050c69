// keepalive-reuse: requests failed on reused connections to a stopping pod while new connections worked.
import type { ClusterEvent } from '../../types.js';
import type { CauseRule } from './rule-input.js';
import { deletions, t } from './facts.js';
import { pathOf } from './path.js';

/** "Overwhelmingly": at most this share of the failures may be on new connections. */
export const NEW_SHARE_MAX = 0.1;

const FIX = 'on SIGTERM close idle keep-alive connections and answer in-flight requests with `Connection: close` (keep serving during a preStop sleep); on the proxy, retry idempotent requests on connection reset (nginx `proxy_next_upstream error`, Istio `retryOn: reset,connect-failure`) and keep the upstream keep-alive idle timeout below the app\'s';

function stopping(events: ClusterEvent[], from: number, to: number): string | undefined {
  // A pod whose container had already exited (or that was gone) holds no connection to reuse.
  const gone = (pod: string): boolean => events.some((e) => e.kind === 'pod' && e.name === pod && (e.type === 'terminated' || e.type === 'deleted') && e.at < from - 2000);
  const d = deletions(events).find((x) => x.at <= to && x.at + x.graceS * 1000 + 2000 >= from && !gone(x.pod));
  if (d) return `pod ${d.pod} was stopping: delete at ${t(d.at)}${d.preStop ? ` (preStop ${d.preStop})` : ' (no preStop hook)'}`;
  const ep = events.find((e) => e.kind === 'endpoint' && ['terminating', 'removed'].includes(e.type) && e.at >= from - 10_000 && e.at <= to + 2000);
  return ep ? `the endpoint of ${ep.name} was marked ${ep.type} at ${t(ep.at)}` : undefined;
}

export const keepaliveReuse: CauseRule = (inc, events, snapshots) => {
  const reuse = inc.modes.reuse ?? 0;
  const fresh = inc.modes.new ?? 0;
  // Only a run that alternated modes shows what new connections did in the same window.
  if (inc.connection !== 'both' || reuse === 0 || fresh > NEW_SHARE_MAX * (reuse + fresh)) return undefined;
  // Behind an L7 proxy the client's connection ends at the proxy: its reuse says nothing about the pod
  // (the incident's notes say so instead).
  if (pathOf(inc, snapshots).layer === 'l7') return undefined;
  const pod = stopping(events, inc.start, inc.end);
  if (!pod) return undefined;
  return {
    id: 'keepalive-reuse',
    evidence: [
      `${reuse} of ${inc.failed} failures were on reused keep-alive connections, ${fresh ? `only ${fresh}` : 'none'} on new ones`,
      `the probe alternated reuse/new requests, so about as many new-connection requests were sent between ${t(inc.start)} and ${t(inc.end)} and ${fresh ? 'nearly all' : 'all'} of them succeeded`,
      pod,
    ],
    fix: FIX,
  };
};
