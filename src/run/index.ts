// The product's run API: what the CLI and the lab call.
export { startRun, type RunOptions, type RunPlan, type WatchScope } from './start-run.js';
export { probeConfig, defaultMaxInFlight, BODY_CAP_BYTES, PROBE_DEFAULTS } from './probe-config.js';
export { checkCommand, type CommandPlan } from './wrap-command.js';
export { openRecordWriter, type RecordWriter } from '../record/ndjson.js';
export { summaryFromLines, type Regate } from './read-run.js';
export { mergeRuns, type MergeSource } from './merge-runs.js';
export { runMetrics, type RunMetrics } from './run-metrics.js';
export { serveMetrics, type ListenAddress, type MetricsServer } from './serve-metrics.js';
