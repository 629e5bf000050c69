// liveness-restart: the kubelet killed a container whose liveness probe failed, and restarted it under traffic.
import type { ClusterEvent } from '../../types.js';
import type { KubeEvent } from '../../watch/cluster-event.js';
import type { CauseRule } from './rule-input.js';
import { countOf, failedAt, failuresIn, failuresText, lastFailedAt, podEvents, t, terminations } from './facts.js';
import { isLivenessFailure, livenessKills } from './kills.js';

/** Failures this long after the restart still belong to it (the app starting up again). */
const AFTER_MS = 5000;
/** The liveness failures that led to a kill: failureThreshold × periodSeconds, generously. */
const PROBING_MS = 60_000;

const FIX = 'make the liveness probe check only that the process can still work (not its dependencies or load), with a timeoutSeconds and failureThreshold well above the readiness probe\'s, and a startupProbe for slow starts; a failing readinessProbe takes a struggling pod out of rotation without restarting it';

function failuresBefore(events: ClusterEvent[], kill: KubeEvent): KubeEvent[] {
  return events.filter((e): e is KubeEvent => isLivenessFailure(e) && e.name === kill.name && e.at <= kill.at + 1000 && e.at >= kill.at - PROBING_MS);
}

export const livenessRestart: CauseRule = (inc, events) => {
  for (const kill of livenessKills(events)) {
    if (kill.at < inc.start - PROBING_MS || kill.at > lastFailedAt(inc) + 2000) continue;
    const exit = terminations(events).find((e) => e.name === kill.name && e.at >= kill.at - 1000);
    // The watcher often sees the exit and the restart in one status update: the same instant.
    const back = podEvents(events, kill.name, 'started').find((s) => s.at >= (exit?.at ?? kill.at) && s.restartCount > 0);
    const probes = failuresBefore(events, kill);
    const from = (probes[0]?.at ?? kill.at) - 2000;
    const to = (back?.at ?? exit?.at ?? kill.at) + AFTER_MS;
    const hits = failuresIn(inc, from, to, failedAt);
    if (countOf(hits) === 0) continue;
    const evidence = [
      ...(probes[0] ? [`the liveness probe of pod ${kill.name} failed from ${t(probes[0].at)}: ${probes[0].message.slice(0, 160)}`] : []),
      `the kubelet killed its container at ${t(kill.at)}: ${kill.message.slice(0, 160)}`,
      ...(exit ? [`the container ${exit.container} exited at ${t(exit.at)} with exit code ${exit.exitCode ?? '?'}${exit.reason ? ` (${exit.reason})` : ''}`] : []),
      back ? `it was restarted at ${t(back.at)} (restart count ${back.restartCount})` : 'no restart of it was recorded before the end of the run',
      `${failuresText(hits, inc)} of ${inc.failed} ended between ${t(from)} and ${t(to)}`,
    ];
    return { id: 'liveness-restart', evidence, fix: FIX };
  }
  return undefined;
};
