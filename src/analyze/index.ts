// The run's analysis: incidents with causes, config findings, traffic split checks, and the gate.
// Input: the traffic (all targets, and each target's own) and what the watcher recorded;
// output: the final summary.
import type { Summary } from '../types.js';
import { buildIncidents } from './incidents.js';
import { auditConfig } from './audit.js';
import { checkSplits, compareShares } from './splits/index.js';
import { analyzeRunWith, type RunInput } from './analyze-run.js';

export { buildIncidents } from './incidents.js';
export { clusterFromEvents, resolveCluster } from './cluster-status.js';
export { auditConfig } from './audit.js';
export { checkSplits } from './splits/index.js';
export { CAUSE_RULES, diagnose } from './causes/index.js';

export { MAX_TIMELINE_EVENTS, type RunInput, type TargetRun } from './analyze-run.js';

/** The whole analysis, every stage loaded (the run, `report` and `merge` use analyze-lazily.ts). */
export function analyzeRun(input: RunInput): Summary {
  return analyzeRunWith({ buildIncidents, auditConfig, checkSplits, compareShares }, input);
}
