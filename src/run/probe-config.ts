// Every default of a probe, in one place: the CLI, the lab and the tests build configs here.
import { availableParallelism } from 'node:os';
import type { ProbeConfig } from '../types.js';

/** Bodies are kept up to this many bytes for tagging; the rest is drained. */
export const BODY_CAP_BYTES = 16 * 1024;

/** Enough slots for every request of one timeout period to hang, bounded for file descriptors. */
export const defaultMaxInFlight = (rps: number, timeoutMs: number): number => Math.min(10_000, Math.ceil(rps * (timeoutMs / 1000) * 1.2) + 16);

export const PROBE_DEFAULTS = {
  rps: 30,
  rampS: 0,
  timeoutMs: 2000,
  connection: 'both',
  method: 'GET',
  versionFrom: { kind: 'auto' },
  okStatus: [[200, 399]],
  warmupMs: 5000,
  settleMs: 10_000,
} as const;

/** A full config from the fields that differ from the defaults (only `url` is required). */
export function probeConfig(p: Partial<ProbeConfig> & { url: string }): ProbeConfig {
  const rps = p.rps ?? PROBE_DEFAULTS.rps;
  const timeoutMs = p.timeoutMs ?? PROBE_DEFAULTS.timeoutMs;
  return {
    rps,
    rampS: PROBE_DEFAULTS.rampS,
    timeoutMs,
    connection: PROBE_DEFAULTS.connection,
    method: PROBE_DEFAULTS.method,
    headers: {},
    insecure: false,
    versionFrom: PROBE_DEFAULTS.versionFrom,
    okStatus: PROBE_DEFAULTS.okStatus.map(([a, b]) => [a, b]),
    maxInFlight: defaultMaxInFlight(rps, timeoutMs),
    bodyCapBytes: BODY_CAP_BYTES,
    gate: {},
    ...p,
  };
}

/**
 * Up to this rate one thread sends the schedule. With the HTTP/1.1 sender on node:net one thread
 * spends about 0.3 CPU s per 10 000 requests here (30 000 rps used ~65% of a core once warm), and
 * two workers cost more per request than one thread (each warms its own JIT and connections;
 * bench/RESULTS.md). 25 000 leaves a thread room for its per-second work and for bursts.
 */
export const RPS_PER_WORKER = 25_000;

/** Worker threads for a target: one per RPS_PER_WORKER of its rate, at most one per core; 1 = the main thread. */
export function workersFor(rps: number, cores: number = availableParallelism()): number {
  if (rps < RPS_PER_WORKER) return 1;
  return Math.max(1, Math.min(cores, Math.ceil(rps / RPS_PER_WORKER)));
}
