#!/usr/bin/env node
// What --metrics-addr costs the prober: the time one second of traffic takes to count into the
// Prometheus metrics (decode its HDR histogram, observe every value), on the event loop once a second.
// Usage: npx tsc -p . && node bench/metrics-cost.js
import { runMetrics } from '../dist/src/run/run-metrics.js';
import { encodeHistogram, newHistogram, recordMs } from '../dist/src/record/histogram.js';

for (const rps of [30, 100, 1000, 10000]) {
  const h = newHistogram();
  for (let i = 0; i < rps; i++) recordMs(h, 1 + Math.random() * 50);
  const bucket = { t: 0, scheduled: rps, cells: [{ version: '1', result: '200', mode: 'reuse', ok: true, n: rps }], hists: { 'reuse|1': encodeHistogram(h) }, lag: '', seen: {} };
  const metrics = runMetrics();
  for (let i = 0; i < 5; i++) metrics.line({ type: 'bucket', bucket }, 'default'); // warm up
  const n = 50;
  const t = performance.now();
  for (let i = 0; i < n; i++) metrics.line({ type: 'bucket', bucket }, 'default');
  process.stdout.write(`${String(rps).padStart(6)} rps: ${((performance.now() - t) / n).toFixed(2)} ms per second of traffic\n`);
}
