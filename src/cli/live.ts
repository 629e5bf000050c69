// The live view: one rewritten line per second on a terminal, a plain line every 5 s otherwise.
import type { Writable } from 'node:stream';
import type { TimelinePoint, Totals } from '../types.js';

export interface Live {
  second(point: TimelinePoint | undefined, totals: Totals, inFlight: number): void;
  end(): void;
}

export function liveLine(point: TimelinePoint | undefined, totals: Totals, inFlight: number): string {
  // "versions 1=60% 2=40%": a bare "1 60% 2 40%" read as counts, not version labels
  const shares = point && point.ok ? Object.entries(point.versions).map(([v, n]) => `${v}=${Math.round((n / point.ok) * 100)}%`) : [];
  const mix = shares.length ? `versions ${shares.join(' ')}` : 'no version seen';
  const last = point ? `t=${point.t}s ${point.sent}/s ok ${point.ok} failed ${point.failed + point.late} p99 ${point.p99}ms ${mix}` : 't=0s';
  return `${last} | total ok ${totals.ok} failed ${totals.failed} late ${totals.late} in flight ${inFlight}`;
}

export function liveReporter(out: Writable & { isTTY?: boolean }): Live {
  const tty = Boolean(out.isTTY) && !process.env.CI;
  let ticks = 0;
  return {
    second(point, totals, inFlight) {
      ticks += 1;
      // built only when it is written: off a terminal, every fifth second
      if (tty) out.write(`\r\x1b[2K${liveLine(point, totals, inFlight)}`);
      else if (ticks % 5 === 0) out.write(`${liveLine(point, totals, inFlight)}\n`);
    },
    end() {
      if (tty) out.write('\n');
    },
  };
}
