// A failure that coincides with the prober's own stall is the prober's fault first: it sent late
// and read late. Named before the app's causes, which stay as context.
import type { Cause, Incident, ProberHealth } from '../types.js';
import { clockTime } from '../format-time.js';

/** A stall this close to a failure window is taken as its cause. */
const NEAR_MS = 1000;

function proberCause(stall: ProberHealth['stalls'][number], health: ProberHealth): Cause {
  return {
    id: 'prober-stall',
    evidence: [
      `zdprobe's own event loop was held up for up to ${stall.maxDelayMs} ms between ${clockTime(stall.start)} and ${clockTime(stall.end)}: requests of that time were sent and read late, so their failures and latency are the prober's, not the app's`,
      `prober CPU over the run: mean ${health.cpuPct.mean}%, max ${health.cpuPct.max}% of one core`,
    ],
    fix: 'Give the prober room: a lower --rps, fewer targets per process, a machine or Job with a whole core to itself (resources.requests.cpu: 1), and nothing else CPU-heavy beside it; then run again.',
  };
}

export function blameProberStalls(incidents: Incident[], health: ProberHealth | undefined): Incident[] {
  if (!health?.stalls.length) return incidents;
  return incidents.map((inc) => {
    const stall = health.stalls.find((s) => s.start <= inc.end + NEAR_MS && s.end >= inc.start - NEAR_MS);
    return stall ? { ...inc, causes: [proberCause(stall, health), ...inc.causes.filter((c) => c.id !== 'unknown')] } : inc;
  });
}
