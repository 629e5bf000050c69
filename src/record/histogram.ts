// HDR latency histograms in microseconds; compressed base64 is how they travel in recordings.
import { createRequire } from 'node:module';
import type hdrTypes from 'hdr-histogram-js';
import type { LatencyMs } from '../types.js';

export type Histogram = hdrTypes.Histogram;

// Only the builder and the codec: the package index also loads its log writer, whose module-level
// Intl.NumberFormat costs ~65 ms of CPU at start-up. No `exports` map; a test checks these are the
// index's very functions.
const load = createRequire(import.meta.url);
const hdr = {
  build: (load('hdr-histogram-js/dist/HistogramBuilder.js') as Pick<typeof hdrTypes, 'build'>).build,
  ...(load('hdr-histogram-js/dist/encoding.js') as Pick<typeof hdrTypes, 'encodeIntoCompressedBase64' | 'decodeFromCompressedBase64'>),
};

export const newHistogram = (): Histogram => hdr.build({ numberOfSignificantValueDigits: 3 });

export const encodeHistogram = (h: Histogram): string => hdr.encodeIntoCompressedBase64(h);

export const decodeHistogram = (s: string): Histogram => hdr.decodeFromCompressedBase64(s);

export function recordMs(h: Histogram, ms: number): void {
  h.recordValue(Math.max(1, Math.round(ms * 1000)));
}

const round = (us: number): number => Math.round(us / 10) / 100;

export function latencyOf(h: Histogram): LatencyMs {
  if (h.totalCount === 0) return { p50: 0, p90: 0, p99: 0, max: 0 };
  return {
    p50: round(h.getValueAtPercentile(50)),
    p90: round(h.getValueAtPercentile(90)),
    p99: round(h.getValueAtPercentile(99)),
    max: round(h.maxValue),
  };
}
