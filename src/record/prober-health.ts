// The prober's seconds of health, summed up: its worst event-loop delay, its CPU, and its stalls.
import type { ProberHealth, ProberSecond } from '../types.js';

/** An event loop held up this long delays sends and reads enough to show in the results. */
export const STALL_MS = 200;

const round1 = (x: number): number => Math.round(x * 10) / 10;

export function proberHealth(seconds: ProberSecond[], startedAt: number): ProberHealth {
  const stalls: ProberHealth['stalls'] = [];
  for (const s of [...seconds].sort((a, b) => a.t - b.t)) {
    if (s.loopMaxMs < STALL_MS) continue;
    // Second t covers [t, t+1) from the start; consecutive stalled seconds make one stall.
    const start = startedAt + s.t * 1000;
    const last = stalls.at(-1);
    if (last && last.end >= start) {
      last.end = start + 1000;
      last.maxDelayMs = Math.max(last.maxDelayMs, s.loopMaxMs);
    } else stalls.push({ start, end: start + 1000, maxDelayMs: s.loopMaxMs });
  }
  const cpu = seconds.map((s) => s.cpuPct);
  return {
    seconds: seconds.length,
    loopDelayMs: { p99: Math.max(0, ...seconds.map((s) => s.loopP99Ms)), max: Math.max(0, ...seconds.map((s) => s.loopMaxMs)) },
    cpuPct: { mean: round1(cpu.reduce((a, b) => a + b, 0) / Math.max(1, cpu.length)), max: Math.max(0, ...cpu) },
    stalls,
  };
}
