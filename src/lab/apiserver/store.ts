// The one generic object store: objects by group/resource and namespace/name, one monotonically
// increasing resourceVersion for everything, and a bounded event log that watches replay from.

import type { KubeObject, ObjectMeta } from '../../kube/object.js';
import { expired } from './status.js';

export type { ObjectMeta, OwnerReference } from '../../kube/object.js';

/** A stored object: the one KubeObject with metadata always present and any other top-level fields. */
export interface StoredObject extends KubeObject<Record<string, unknown>, Record<string, unknown>> {
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: EventType;
  /** "group/resource", e.g. "apps/deployments" or "/pods". */
  gr: string;
  rv: number;
  object: StoredObject;
  /** The object before this change (MODIFIED only), so selector watches see objects leave and enter. */
  previous?: StoredObject;
}

export type Listener = (event: StoreEvent) => void;

export const grOf = (group: string, resource: string): string => `${group}/${resource}`;
const keyOf = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;

export class Store {
  private rv = 0;
  private readonly objects = new Map<string, Map<string, StoredObject>>();
  private log: StoreEvent[] = [];
  /** Every event with rv > floor is still in the log. */
  private floor = 0;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly maxEvents = 10_000) {}

  currentRv(): number {
    return this.rv;
  }

  get(gr: string, namespace: string | undefined, name: string): StoredObject | undefined {
    return this.objects.get(gr)?.get(keyOf(namespace, name));
  }

  /** Objects of one resource, in one namespace or (namespace undefined) all of them. */
  list(gr: string, namespace?: string): StoredObject[] {
    const all = [...(this.objects.get(gr)?.values() ?? [])];
    const items = namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
    return items.sort((a, b) => keyOf(a.metadata.namespace, a.metadata.name ?? '').localeCompare(keyOf(b.metadata.namespace, b.metadata.name ?? '')));
  }

  /** Every stored resource key (gr), for garbage collection across kinds. */
  resources(): string[] {
    return [...this.objects.keys()];
  }

  /** Stores a new or changed object under a fresh resourceVersion and tells the watchers. */
  put(gr: string, obj: StoredObject): StoredObject {
    const name = obj.metadata.name ?? '';
    const bucket = this.bucket(gr);
    const key = keyOf(obj.metadata.namespace, name);
    const previous = bucket.get(key);
    const stored = this.stamp(obj);
    bucket.set(key, stored);
    this.emit(previous ? { type: 'MODIFIED', gr, rv: this.rv, object: stored, previous } : { type: 'ADDED', gr, rv: this.rv, object: stored });
    return stored;
  }

  /** Removes an object; the DELETED event carries it with a fresh resourceVersion, as the real server does. */
  remove(gr: string, obj: StoredObject): StoredObject | undefined {
    const bucket = this.bucket(gr);
    const key = keyOf(obj.metadata.namespace, obj.metadata.name ?? '');
    if (!bucket.has(key)) return undefined;
    bucket.delete(key);
    const gone = this.stamp(obj);
    this.emit({ type: 'DELETED', gr, rv: this.rv, object: gone });
    return gone;
  }

  /** Events after `since`, or a 410 Expired error when some of them were already compacted away. */
  eventsSince(since: number): StoreEvent[] {
    if (since < this.floor) {
      throw expired(`too old resource version: ${since} (${this.floor})`);
    }
    return this.log.filter((e) => e.rv > since);
  }

  /** Forgets the whole event log, so any older resourceVersion now gets 410 Gone. */
  compact(): void {
    this.log = [];
    this.floor = this.rv;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private bucket(gr: string): Map<string, StoredObject> {
    let bucket = this.objects.get(gr);
    if (!bucket) {
      bucket = new Map();
      this.objects.set(gr, bucket);
    }
    return bucket;
  }

  private stamp(obj: StoredObject): StoredObject {
    this.rv += 1;
    return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.rv) } };
  }

  private emit(event: StoreEvent): void {
    this.log.push(event);
    if (this.log.length > this.maxEvents) {
      const dropped = this.log.splice(0, this.log.length - this.maxEvents);
      this.floor = dropped[dropped.length - 1]?.rv ?? this.floor;
    }
    for (const listener of [...this.listeners]) listener(event);
  }
}
