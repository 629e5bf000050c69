// Drives a Pacer with timers (no busy-waiting): at each wake-up every request that is due is
// handed to `fire` with its intended time; the loop never waits for responses.
import type { Pacer } from './pacer.js';

export interface ScheduleHandle {
  /** Stop scheduling; resolves when no further `fire` will happen. */
  stop(): void;
  /** Resolves when the schedule ends (pacer exhausted or stopped). */
  done: Promise<void>;
  /** How many requests were scheduled so far. */
  count(): number;
}

export interface Clock {
  /** Epoch milliseconds with sub-millisecond precision. */
  now(): number;
}

export const monotonicClock: Clock = { now: () => performance.timeOrigin + performance.now() };

export function runSchedule(pacer: Pacer, startAt: number, fire: (seq: number, intended: number) => void, clock: Clock = monotonicClock): ScheduleHandle {
  let n = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));

  const end = (): void => {
    stopped = true;
    if (timer) clearTimeout(timer);
    finish();
  };

  const tick = (): void => {
    timer = undefined;
    const elapsed = clock.now() - startAt;
    let due = pacer.dueAt(n);
    while (!stopped && due <= elapsed) {
      fire(n, startAt + due);
      n += 1;
      due = pacer.dueAt(n);
    }
    if (stopped) return;
    if (due === Infinity) return end();
    // setTimeout fires no earlier than asked, so requests are never sent early.
    timer = setTimeout(tick, Math.max(0, due - elapsed));
  };

  timer = setTimeout(tick, Math.max(0, startAt - clock.now()));
  return { stop: end, done, count: () => n };
}
