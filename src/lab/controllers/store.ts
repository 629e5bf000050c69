// An informer's cache plus the controller's own recent writes. A controller that acts on a cache
// that has not yet seen its last create/update/delete would act twice (two pods instead of one,
// a duplicate event); overlaying what the API answered to our writes closes that gap, the way
// upstream's "expectations" do.
import type { Informer, KubernetesObject, ObjectCache } from '@kubernetes/client-node';
import type { KubeObject } from './objects.js';

interface Overlay<T> {
  obj?: T;
  gone: boolean;
  rv: bigint | undefined;
  at: number;
}

/** Overlays older than this are dropped: the watch has long since caught up, or never will. */
const OVERLAY_TTL_MS = 15_000;
const RESTART_DELAY_MS = 500;

function rvOf(obj: KubeObject | undefined): bigint | undefined {
  const rv = obj?.metadata?.resourceVersion;
  return rv !== undefined && /^\d+$/.test(rv) ? BigInt(rv) : undefined;
}

const keyOf = (ns: string | undefined, name: string | undefined): string => `${ns ?? ''}/${name ?? ''}`;

export interface Store<T extends KubernetesObject> {
  list(namespace?: string): T[];
  get(namespace: string, name: string): T | undefined;
  /** Record the object the API returned for our write. */
  wrote(obj: T): void;
  /** Record that we deleted (or started to delete) an object. */
  deleted(namespace: string, name: string): void;
  onChange(cb: (obj: T) => void): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function makeStore<T extends KubernetesObject>(
  informer: Informer<T> & ObjectCache<T>,
  onError: (err: unknown) => void,
): Store<T> {
  const overlay = new Map<string, Overlay<T>>();
  let stopped = false;

  const fresh = (key: string, cached: T | undefined): T | undefined => {
    const o = overlay.get(key);
    if (!o) return cached;
    const cachedRv = rvOf(cached);
    const stale = Date.now() - o.at > OVERLAY_TTL_MS;
    const caught =
      (cachedRv !== undefined && o.rv !== undefined && cachedRv >= o.rv) ||
      (o.gone && cached?.metadata?.deletionTimestamp != null);
    if (stale || caught || (o.gone && cached === undefined)) {
      overlay.delete(key);
      return cached;
    }
    return o.gone ? undefined : o.obj;
  };

  const list = (namespace?: string): T[] => {
    const keys = new Set<string>();
    for (const obj of informer.list(namespace)) keys.add(keyOf(obj.metadata?.namespace, obj.metadata?.name));
    for (const key of overlay.keys()) if (namespace === undefined || key.startsWith(`${namespace}/`)) keys.add(key);
    const result: T[] = [];
    for (const key of keys) {
      const obj = fresh(key, informer.get(splitName(key), splitNs(key)));
      if (obj) result.push(obj);
    }
    return result;
  };

  informer.on('error', (err: unknown) => {
    if (stopped) return;
    onError(err);
    // client-node's ListWatch does not restart after an error; a controller must keep watching.
    setTimeout(() => {
      if (!stopped) informer.start().catch(onError);
    }, RESTART_DELAY_MS).unref();
  });

  return {
    list,
    get: (namespace, name) => fresh(keyOf(namespace, name), informer.get(name, namespace)),
    wrote(obj) {
      overlay.set(keyOf(obj.metadata?.namespace, obj.metadata?.name), { obj, gone: false, rv: rvOf(obj), at: Date.now() });
    },
    deleted(namespace, name) {
      const key = keyOf(namespace, name);
      overlay.set(key, { gone: true, rv: undefined, at: Date.now() });
    },
    onChange(cb) {
      informer.on('add', cb);
      informer.on('update', cb);
      informer.on('delete', cb);
    },
    start: () => informer.start(),
    async stop() {
      stopped = true;
      await informer.stop();
    },
  };
}

const splitNs = (key: string): string => key.slice(0, key.indexOf('/'));
const splitName = (key: string): string => key.slice(key.indexOf('/') + 1);
