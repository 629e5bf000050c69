// Prometheus metrics of a run, fed from the recording lines (once a second, never per request):
// every cell of a completed second adds to the request counter, its latency histograms to the
// latency histogram, the prober's own second sets the event-loop gauges. Because they count the
// same lines the summary is built from, the counters end equal to the summary's totals.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Bucket, ProberSecond, RecordLine } from '../types.js';
import { decodeHistogram } from '../record/histogram.js';

export interface RunMetrics {
  /** Count one recording line; untagged lines belong to `target` (a run of one target). */
  line(line: RecordLine, target: string): void;
  /** The exposition text (Prometheus text format 0.0.4). */
  text(): Promise<string>;
  contentType: string;
}

/** Seconds; from a fast local answer to the longest useful timeout. */
export const LATENCY_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const outcomeOf = (c: Bucket['cells'][number]): string => (c.result === 'late' ? 'late' : c.ok ? 'ok' : 'failed');

export function runMetrics(): RunMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'zdprobe_requests_total',
    help: 'Requests scheduled, by target, answering version, result (HTTP status, error class or "late"), connection mode and outcome (ok, failed, late)',
    labelNames: ['target', 'version', 'result', 'connection', 'outcome'] as const,
    registers: [registry],
  });
  const scheduled = new Counter({ name: 'zdprobe_scheduled_total', help: 'Requests the schedule called for, by target', labelNames: ['target'] as const, registers: [registry] });
  const late = new Counter({ name: 'zdprobe_late_requests_total', help: 'Requests never sent because the in-flight cap was full (counted late), by target', labelNames: ['target'] as const, registers: [registry] });
  const latency = new Histogram({
    name: 'zdprobe_request_duration_seconds',
    help: 'Latency from the intended send time to the end of the answer, by target, connection mode and version',
    labelNames: ['target', 'connection', 'version'] as const,
    buckets: LATENCY_BUCKETS_S,
    registers: [registry],
  });
  const loopMax = new Gauge({ name: 'zdprobe_prober_event_loop_delay_max_seconds', help: "Longest delay of the prober's event loop in the last second", registers: [registry] });
  const loopP99 = new Gauge({ name: 'zdprobe_prober_event_loop_delay_p99_seconds', help: "99th percentile delay of the prober's event loop in the last second", registers: [registry] });
  const cpu = new Gauge({ name: 'zdprobe_prober_cpu_ratio', help: 'CPU the prober used in the last second, as a share of one core', registers: [registry] });
  const seconds = new Counter({ name: 'zdprobe_seconds_total', help: 'Completed seconds of traffic recorded, by target', labelNames: ['target'] as const, registers: [registry] });

  const addBucket = (b: Bucket, target: string): void => {
    seconds.inc({ target });
    scheduled.inc({ target }, b.scheduled);
    for (const c of b.cells) {
      requests.inc({ target, version: c.version ?? '', result: c.result, connection: c.mode, outcome: outcomeOf(c) }, c.n);
      if (c.result === 'late') late.inc({ target }, c.n);
    }
    for (const [key, enc] of Object.entries(b.hists)) {
      const [connection = '', version = ''] = key.split('|');
      observeAll(latency, { target, connection, version }, enc);
    }
  };
  const setProber = (s: ProberSecond): void => {
    loopMax.set(s.loopMaxMs / 1000);
    loopP99.set(s.loopP99Ms / 1000);
    cpu.set(s.cpuPct / 100);
  };
  return {
    line(line, target) {
      if (line.type === 'bucket') addBucket(line.bucket, line.target ?? target);
      else if (line.type === 'prober') setProber(line.second);
    },
    text: () => registry.metrics(),
    contentType: registry.contentType,
  };
}

/** Each recorded value of an HDR histogram (microseconds), as often as it was recorded. */
function observeAll(h: Histogram<'target' | 'connection' | 'version'>, labels: Record<'target' | 'connection' | 'version', string>, encoded: string): void {
  const hdr = decodeHistogram(encoded) as unknown as RecordedValues;
  const it = hdr.recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    const s = hdr.medianEquivalentValue(v.valueIteratedTo) / 1e6;
    for (let i = 0; i < v.countAtValueIteratedTo; i++) h.observe(labels, s);
  }
}

/** The part of hdr-histogram-js's JsHistogram (what decoding returns) that walks its values. */
interface RecordedValues {
  recordedValuesIterator: { reset(): void; hasNext(): boolean; next(): { valueIteratedTo: number; countAtValueIteratedTo: number } };
  medianEquivalentValue(value: number): number;
}
