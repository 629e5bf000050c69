// When is request n due? An open-loop schedule: it never looks at responses.

export interface Pacer {
  /** Milliseconds from the start at which request n (0-based) is due; Infinity when the schedule is over. */
  dueAt(n: number): number;
}

/**
 * Constant rate, optionally reached by a linear ramp from 0 over `rampS` seconds.
 * During the ramp the rate at time t is rps·t/ramp, so n(t) = rps·t²/(2·ramp) and t(n) = √(2·ramp·n/rps).
 */
export function constantPacer(rps: number, rampS = 0, durationS = Infinity): Pacer {
  const rampMs = rampS * 1000;
  const rampCount = (rps * rampS) / 2;
  const endMs = durationS * 1000;
  return {
    dueAt(n) {
      const ms = n < rampCount ? Math.sqrt((2 * rampS * n) / rps) * 1000 : rampMs + ((n - rampCount) / rps) * 1000;
      return ms < endMs ? ms : Infinity;
    },
  };
}

/** One worker's part of a schedule sharded over `count` workers, and the run-wide number of its request k. */
export interface PacerSlice extends Pacer {
  seqOf(k: number): number;
}

/**
 * Worker `index` of `count` takes the run's requests in blocks of `block` (block b goes to worker
 * b mod count): the slices together are exactly the run's schedule, each request in one slice. Blocks
 * of two give every worker both halves of `--connection both`, which alternates by request number.
 */
export function pacerSlice(pacer: Pacer, index: number, count: number, block = 2): PacerSlice {
  const seqOf = (k: number): number => (Math.floor(k / block) * count + index) * block + (k % block);
  return { seqOf, dueAt: (k) => pacer.dueAt(seqOf(k)) };
}
