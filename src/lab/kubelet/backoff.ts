// The kubelet's container restart back-off (client-go util/flowcontrol Backoff, 10 s initial, 5 min
// cap, no jitter) and how kuberuntime's doBackOff consults it before each start: the reference time
// is when the latest exited instance of the container finished, as the runtime's status shows it.
// A crash therefore restarts at once, then after 10, 20, 40 ... s; a liveness kill is restarted from
// a status taken before the kill, so the killed instance is not yet the reference.

export const BACKOFF_INITIAL_MS = 10_000;
export const BACKOFF_MAX_MS = 300_000;

export interface Backoff {
  /** The current back-off (0: none yet). */
  backoffMs: number;
  lastUpdate: number;
}

export const newBackoff = (): Backoff => ({ backoffMs: 0, lastUpdate: 0 });

// An entry unused for twice the cap starts over.
const expired = (b: Backoff, eventTime: number): boolean => eventTime - b.lastUpdate > 2 * BACKOFF_MAX_MS;

/** flowcontrol's IsInBackOffSince: still within the back-off counted from `eventTime`. */
export function inBackoffSince(b: Backoff, eventTime: number, now: number): boolean {
  if (b.backoffMs === 0 || expired(b, eventTime)) return false;
  return now - eventTime < b.backoffMs;
}

/** flowcontrol's Next: the first back-off, or the previous doubled up to the cap. */
export function next(b: Backoff, eventTime: number, now: number): void {
  b.backoffMs = b.backoffMs === 0 || expired(b, eventTime) ? BACKOFF_INITIAL_MS : Math.min(BACKOFF_MAX_MS, b.backoffMs * 2);
  b.lastUpdate = now;
}

/**
 * doBackOff before a start. `lastExit`: when the latest exited instance the start decision saw
 * finished (undefined: none). Returns 0 to start now (and moves the back-off on), or how long to wait.
 */
export function startDelay(b: Backoff, lastExit: number | undefined, now: number): number {
  if (lastExit === undefined) return 0;
  if (inBackoffSince(b, lastExit, now)) return lastExit + b.backoffMs - now;
  next(b, lastExit, now);
  return 0;
}
