// abrupt-shutdown: the app died on SIGTERM (or crashed) with requests in flight.
import type { PodTerminated } from '../../watch/cluster-event.js';
import type { CauseRule } from './rule-input.js';
import { SLACK_MS, countOf, deletionOf, failuresText, inFlightAt, lastFailedAt, ms, t } from './facts.js';

/** An exit this soon after SIGTERM cannot have drained anything. */
export const QUICK_EXIT_MS = 1000;
// Kinds that mean work in flight was cut: the connection broke or the proxy saw it break.
const CUT = new Set(['reset', '502', 'other', 'timeout', '504']);

const FIX = 'handle SIGTERM: stop accepting new connections, let in-flight requests finish (with a deadline shorter than terminationGracePeriodSeconds), then exit 0; a preStop sleep lets endpoints drop before SIGTERM arrives';

const exitText = (e: PodTerminated): string => `exit code ${e.exitCode ?? '?'}${e.reason ? ` (${e.reason})` : ''}`;

export const abruptShutdown: CauseRule = (inc, events) => {
  for (const term of events.filter((e): e is PodTerminated => e.kind === 'pod' && e.type === 'terminated')) {
    if (term.at < inc.start - 2000 || term.at > lastFailedAt(inc) + 2000) continue;
    const code = term.exitCode;
    // 137 is SIGKILL: grace-period-exceeded explains that one.
    if (code === 137) continue;
    const d = deletionOf(events, term.name);
    const quick = d !== undefined && term.at - d.sigtermAt < QUICK_EXIT_MS;
    if (code === 0 && !quick) continue;
    const from = (d ? d.sigtermAt : term.at - 2000) - SLACK_MS;
    const cut = inFlightAt(inc, term.at, from, term.at + 1500, (k) => CUT.has(k));
    if (countOf(cut) === 0) continue;
    const start = d
      ? `pod ${term.name} got SIGTERM at ${t(d.sigtermAt)} (delete at ${t(d.at)}, ${d.preStop ? `preStop ${d.preStop}` : 'no preStop hook'})`
      : `pod ${term.name} was not being deleted: its container crashed`;
    const exit = d
      ? `its container ${term.container} exited ${ms(d.sigtermAt, term.at)} later at ${t(term.at)} with ${exitText(term)}`.replace('  ', ' ')
      : `its container ${term.container} exited at ${t(term.at)} with ${exitText(term)}`.replace('  ', ' ');
    return {
      id: 'abrupt-shutdown',
      evidence: [start, exit, `${failuresText(cut, inc)} ended as broken in-flight work between ${t(from)} and ${t(term.at + 1500)}`],
      fix: FIX,
    };
  }
  return undefined;
};
