// HDR latency histograms in microseconds; compressed base64 is how they travel in recordings.
import { createRequire } from 'node:module';
import type hdrTypes from 'hdr-histogram-js';
import type { LatencyMs } from '../types.js';
import { decodeCompressed, encodeCompressed, type CountsHistogram } from './histogram-codec.js';

export type Histogram = hdrTypes.Histogram;

// Only the histogram class: the package index also loads its log writer, whose module-level
// Intl.NumberFormat costs ~65 ms of CPU at start-up, and its codec loads pako and the WebAssembly
// build (histogram-codec.ts writes the same text). No `exports` map; a test checks the histograms
// are the index's and encode the same.
const load = createRequire(import.meta.url);
const Int32Histogram = (load('hdr-histogram-js/dist/Int32Histogram.js') as { default: new (lowest: number, highest: number, digits: number) => Histogram }).default;

/** What hdr.build({ numberOfSignificantValueDigits: 3 }) builds: 32-bit counts, resized as values come. */
export const newHistogram = (): Histogram => {
  const h = new Int32Histogram(1, 2, 3);
  h.autoResize = true;
  return h;
};

export const encodeHistogram = (h: Histogram): string => encodeCompressed(h as unknown as CountsHistogram);

export const decodeHistogram = (s: string): Histogram => decodeCompressed(s, (lowest, highest, digits) => new Int32Histogram(lowest, highest, digits) as unknown as CountsHistogram) as unknown as Histogram;

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
