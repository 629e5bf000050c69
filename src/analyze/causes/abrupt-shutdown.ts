// abrupt-shutdown: the app died on SIGTERM (or crashed) with requests in flight.
import type { Sample } from '../../types.js';
import type { PodTerminated } from '../../watch/cluster-event.js';
import type { CauseRule } from './rule-input.js';
import { killKind } from './kills.js';
import { SLACK_MS, countOf, deletionOf, failuresIn, failuresText, inFlightAt, lastFailedAt, ms, sentAt, t } from './facts.js';
import { isCut } from './kinds.js';
import { resultOf as kindOf } from '../../classify/classify.js';

/** An exit this soon after SIGTERM cannot have drained anything. */
export const QUICK_EXIT_MS = 1000;
// Kinds that mean work in flight was cut (kinds.ts): the connection or stream broke, or the proxy saw it
// break (Envoy answers an upstream connection termination, UC, with 503). A GOAWAY counts only for a
// stream sent before SIGTERM: one sent later was a new stream the stopping server no longer took.
const cutKind = (k: string): boolean => isCut(k) || k === 'goaway';
const takenBefore = (x: Sample[] | number, sigtermAt: number): Sample[] | number =>
  typeof x === 'number' ? x : x.filter((s) => kindOf(s) !== 'goaway' || sentAt(s) < sigtermAt - SLACK_MS);

const FIX = 'handle SIGTERM: stop accepting new connections, let in-flight requests finish (with a deadline shorter than terminationGracePeriodSeconds), then exit 0; a preStop sleep lets endpoints drop before SIGTERM arrives';

const exitText = (e: PodTerminated, unknownKill: boolean): string =>
  `exit code ${e.exitCode ?? '?'}${e.reason ? ` (${e.reason})` : ''}${unknownKill ? ': SIGKILL before the grace period ended, neither OOMKilled nor a liveness kill' : ''}`;

export const abruptShutdown: CauseRule = (inc, events) => {
  for (const term of events.filter((e): e is PodTerminated => e.kind === 'pod' && e.type === 'terminated')) {
    if (term.at < inc.start - 2000 || term.at > lastFailedAt(inc) + 2000) continue;
    const code = term.exitCode;
    // OOMKilled, the grace deadline and liveness kills have their own causes; an unexplained SIGKILL stays here.
    const kill = killKind(events, term);
    if (kill !== undefined && kill !== 'unknown') continue;
    const d = deletionOf(events, term.name);
    const quick = d !== undefined && term.at - d.sigtermAt < QUICK_EXIT_MS;
    if (code === 0 && !quick) continue;
    const from = (d ? d.sigtermAt : term.at - 2000) - SLACK_MS;
    // A clean exit cannot explain failures that were already happening before SIGTERM (measured on a real
    // node: new pods without readinessProbe failing while an old one drained and exited 0).
    if (code === 0 && countOf(failuresIn(inc, inc.start, from - QUICK_EXIT_MS)) > 0) continue;
    const cut = takenBefore(inFlightAt(inc, term.at, from, term.at + 1500, cutKind), d ? d.sigtermAt : term.at);
    if (countOf(cut) === 0) continue;
    const start = d
      ? `pod ${term.name} got SIGTERM at ${t(d.sigtermAt)} (delete at ${t(d.at)}, ${d.preStop ? `preStop ${d.preStop}` : 'no preStop hook'})`
      : `pod ${term.name} was not being deleted: its container crashed`;
    const exit = d
      ? `its container ${term.container} exited ${ms(d.sigtermAt, term.at)} later at ${t(term.at)} with ${exitText(term, kill === 'unknown')}`.replace('  ', ' ')
      : `its container ${term.container} exited at ${t(term.at)} with ${exitText(term, kill === 'unknown')}`.replace('  ', ' ');
    return {
      id: 'abrupt-shutdown',
      evidence: [start, exit, `${failuresText(cut, inc)} ended as broken in-flight work between ${t(from)} and ${t(term.at + 1500)}`],
      fix: FIX,
    };
  }
  return undefined;
};
