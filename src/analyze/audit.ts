// The config audit: lint rules over the settings in force during the run.
import type { ConfigSnapshot, Finding } from '../types.js';
import { runRules } from './rules/index.js';
import { clockTime } from '../format-time.js';

const LUCKY = 'nothing failed in this run, but it was lucky';

/**
 * Findings of the latest snapshot, plus those only earlier snapshots had (a transient route
 * mid-rollout is exactly what drops requests), each said once.
 */
export function auditConfig(snapshots: ConfigSnapshot[], nothingFailed: boolean): Finding[] {
  const sorted = [...snapshots].sort((a, b) => b.at - a.at);
  const seen = new Set<string>();
  const out: Finding[] = [];
  sorted.forEach((snap, i) => {
    for (const f of runRules(snap.objects.map((obj) => ({ obj })))) {
      const key = `${f.id} ${f.object}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const since = i === 0 ? '' : ` (in force at ${clockTime(snap.at)}, since changed)`;
      const lucky = nothingFailed && f.severity !== 'info' ? `: ${LUCKY}` : '';
      out.push({ ...f, message: `${f.message}${since}${lucky}` });
    }
  });
  return out;
}
