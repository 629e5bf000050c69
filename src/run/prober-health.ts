// The prober's own health, once a second: how long its event loop was held up and how busy its
// CPU was. A prober that stalls sends late and reads late; its stall must not be blamed on the app.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ProberSecond } from '../types.js';

export interface HealthSampler {
  /** The second just ended (`t`: seconds from the start of the run). */
  sample(t: number): ProberSecond;
  stop(): void;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

export function startHealth(now: () => number = () => performance.now()): HealthSampler {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let cpu = process.cpuUsage();
  let wall = now();
  return {
    sample(t) {
      const at = now();
      const used = process.cpuUsage(cpu);
      const second: ProberSecond = {
        t,
        loopMaxMs: round1(delay.max / 1e6),
        loopP99Ms: round1(delay.percentile(99) / 1e6),
        cpuPct: round1(((used.user + used.system) / 1000 / Math.max(1, at - wall)) * 100),
      };
      cpu = process.cpuUsage();
      wall = at;
      delay.reset();
      return second;
    },
    stop: () => delay.disable(),
  };
}
