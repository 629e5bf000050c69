// The run's analysis, loading the incident causes, the config rules and the split checks only for a
// run that has failures, cluster data or a declared split: a clean run without a watch never pays for
// them (about 35 ms of CPU to load). The summary is analyzeRun's (a test compares them).
import type { Summary } from '../types.js';
import { analyzeRunWith, type AnalysisParts, type RunInput } from './analyze-run.js';

const none = (): [] => [];

export async function analyzeRunLazily(input: RunInput): Promise<Summary> {
  const { snapshots, events } = input.data;
  const failed = input.targets.some((t) => t.traffic.failureWindows.length > 0);
  const declared = input.targets.some((t) => t.config.expectSplit !== undefined);
  const [incidents, audit, splits] = await Promise.all([
    failed ? import('./incidents.js') : undefined,
    snapshots.length > 0 ? import('./audit.js') : undefined,
    snapshots.length > 0 || events.length > 0 || declared ? import('./splits/index.js') : undefined,
  ]);
  const parts: AnalysisParts = {
    buildIncidents: incidents?.buildIncidents ?? none,
    auditConfig: audit?.auditConfig ?? none,
    checkSplits: splits?.checkSplits ?? none,
    compareShares: splits?.compareShares ?? (() => { throw new Error('a declared split without the split checks loaded'); }),
  };
  return analyzeRunWith(parts, input);
}
