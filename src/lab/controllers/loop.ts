// The shared "reconcile on change" loop: informer events enqueue keys (namespace/name), one worker
// drains the queue through reconcile(), failures are retried with backoff, and every key is
// resynced periodically so a missed event or a time-based condition (minReadySeconds) still lands.

export interface ReconcileResult {
  /** Run this key again after so many milliseconds (e.g. when a pod becomes available). */
  requeueAfterMs?: number;
}

export interface LoopOptions {
  name: string;
  reconcile: (key: string) => Promise<ReconcileResult | void>;
  /** All keys that exist now; enqueued on every resync. */
  keys: () => string[];
  resyncMs?: number;
  onError?: (err: unknown, where: string) => void;
}

export interface Loop {
  enqueue(key: string): void;
  close(): Promise<void>;
}

const MAX_BACKOFF_MS = 5000;

export function startLoop(opts: LoopOptions): Loop {
  const dirty = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const failures = new Map<string, number>();
  let closed = false;
  let running: Promise<void> | undefined;

  const later = (key: string, delayMs: number): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      enqueue(key);
    }, delayMs);
    timers.add(t);
  };

  const runOne = async (key: string): Promise<void> => {
    try {
      const result = await opts.reconcile(key);
      failures.delete(key);
      if (result?.requeueAfterMs !== undefined) later(key, Math.max(10, result.requeueAfterMs));
    } catch (err) {
      const n = (failures.get(key) ?? 0) + 1;
      failures.set(key, n);
      opts.onError?.(err, `${opts.name} ${key}`);
      later(key, Math.min(MAX_BACKOFF_MS, 100 * 2 ** n));
    }
  };

  const drain = async (): Promise<void> => {
    while (!closed && dirty.size > 0) {
      const key = dirty.values().next().value as string;
      dirty.delete(key);
      await runOne(key);
    }
    running = undefined;
  };

  function enqueue(key: string): void {
    if (closed) return;
    dirty.add(key);
    running ??= Promise.resolve().then(drain);
  }

  const resync = setInterval(() => {
    for (const key of opts.keys()) enqueue(key);
  }, opts.resyncMs ?? 3000);

  return {
    enqueue,
    async close() {
      closed = true;
      clearInterval(resync);
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await running;
    },
  };
}
