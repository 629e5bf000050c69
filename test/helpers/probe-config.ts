import type { ProbeConfig } from '../../src/types.js';

/** A probe config for tests: short, bounded, both connection modes. */
export function testConfig(url: string, over: Partial<ProbeConfig> = {}): ProbeConfig {
  return {
    url,
    rps: 50,
    rampS: 0,
    durationS: 1,
    timeoutMs: 2000,
    connection: 'both',
    method: 'GET',
    headers: {},
    insecure: false,
    versionFrom: { kind: 'auto' },
    okStatus: [[200, 399]],
    maxInFlight: 200,
    bodyCapBytes: 16 * 1024,
    gate: { maxFailures: 0 },
    ...over,
  };
}
