import type { ProbeConfig } from '../../src/types.js';
import { probeConfig } from '../../src/run/index.js';

/** A probe config for tests: the product's defaults, made short and bounded (1 s at 50 rps). */
export function testConfig(url: string, over: Partial<ProbeConfig> = {}): ProbeConfig {
  return probeConfig({ url, rps: 50, durationS: 1, maxInFlight: 200, ...over });
}
