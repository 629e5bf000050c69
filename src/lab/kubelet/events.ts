// core/v1 Events as the kubelet and scheduler write them, through client-go's event correlator: its
// spam filter first (per source and object, any type or reason: a burst of 25, then one per 5 min;
// a pod failing a probe every second has no events left after about 25 s), then a repeated event bumps count and
// lastTimestamp of the first one instead of creating another.
import type { CoreV1Api, CoreV1Event } from '@kubernetes/client-node';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { k8sTime } from './pod-status.js';

export interface EventTarget {
  kind: 'Pod' | 'Node';
  namespace: string;
  name: string;
  uid: string;
  /** `spec.containers{web}` for container events; absent for pod-level ones. */
  fieldPath?: string;
}

export interface EventSpec {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** Who reports it: the kubelet, or the scheduler for Scheduled. */
  component?: 'kubelet' | 'default-scheduler';
}

export function buildEvent(target: EventTarget, spec: EventSpec, host: string, now: number, name: string): Record<string, unknown> {
  const component = spec.component ?? 'kubelet';
  const instance = component === 'kubelet' ? host : `${component}-${host}`;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: target.namespace },
    involvedObject: {
      apiVersion: 'v1',
      kind: target.kind,
      namespace: target.kind === 'Pod' ? target.namespace : undefined,
      name: target.name,
      uid: target.uid,
      ...(target.fieldPath ? { fieldPath: target.fieldPath } : {}),
    },
    reason: spec.reason,
    message: spec.message,
    type: spec.type,
    source: component === 'kubelet' ? { component, host } : { component },
    firstTimestamp: k8sTime(now),
    lastTimestamp: k8sTime(now),
    count: 1,
    reportingComponent: component,
    reportingInstance: instance,
  };
}

export interface Recorder {
  record(target: EventTarget, spec: EventSpec): Promise<void>;
  /** Resolves when every event recorded so far has been written (or failed and was logged). */
  flush(): Promise<void>;
}

// client-go events_cache.go: defaultSpamBurst 25, defaultSpamQPS 1/300.
export const SPAM_BURST = 25;
const SPAM_REFILL_MS = 300_000;

/** The spam filter: true when the event may go out (it takes a token of its source+object bucket). */
export function spamFilter(): (target: EventTarget, spec: EventSpec, host: string, now: number) => boolean {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (target, spec, host, now) => {
    const key = [spec.component ?? 'kubelet', host, target.kind, target.namespace, target.name, target.uid].join('|');
    const b = buckets.get(key) ?? { tokens: SPAM_BURST, at: now };
    b.tokens = Math.min(SPAM_BURST, b.tokens + (now - b.at) / SPAM_REFILL_MS);
    b.at = now;
    buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  };
}

export function createRecorder(core: CoreV1Api, host: string, log: (line: string) => void): Recorder {
  const seen = new Map<string, { name: string; count: number }>();
  const allowed = spamFilter();
  let queue: Promise<void> = Promise.resolve();
  let seq = 0;
  const write = async (target: EventTarget, spec: EventSpec): Promise<void> => {
    if (!allowed(target, spec, host, Date.now())) return log(`event ${spec.reason} for ${target.name} dropped by the spam filter: ${spec.message}`);
    const key = [target.namespace, target.uid, target.fieldPath, spec.reason, spec.message].join('|');
    const now = Date.now();
    const earlier = seen.get(key);
    if (earlier) {
      earlier.count += 1;
      const body = { count: earlier.count, lastTimestamp: k8sTime(now) };
      await core.patchNamespacedEvent({ name: earlier.name, namespace: target.namespace, body }, MERGE);
      return;
    }
    const name = `${target.name}.${(now * 1000 + (seq++ % 1000)).toString(16)}`;
    await core.createNamespacedEvent({ namespace: target.namespace, body: buildEvent(target, spec, host, now, name) as unknown as CoreV1Event });
    seen.set(key, { name, count: 1 });
  };
  return {
    record(target, spec) {
      queue = queue.then(() =>
        write(target, spec).catch((err: unknown) => log(`event ${spec.reason} for ${target.name} not written: ${messageOf(err)}`)),
      );
      return queue;
    },
    flush: () => queue,
  };
}

export const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export function messageOf(err: unknown): string {
  const body = (err as { body?: unknown }).body;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'number') return `HTTP ${code}${typeof body === 'string' ? `: ${body.slice(0, 200)}` : ''}`;
  return err instanceof Error ? err.message : String(err);
}
