// The write rules on top of the store: naming, stamping, defaults, status subresources, optimistic
// concurrency, generation, finalizers, graceful pod deletion and owner-reference garbage collection.

import { randomUUID } from 'node:crypto';
import { applyDefaults, ipAllocator } from './defaults.js';
import { initialPodStatus, nowIso, podDeleteStep } from './pods.js';
import { RESOURCES, type ResourceDef } from './resources.js';
import { matches as matchLabels, type Selector as LabelSelector } from '../../kube/selector.js';
import { matchFields, type FieldSelector } from './field-selector.js';
import { alreadyExists, badRequest, conflict, invalid, notFound } from './status.js';
import { grOf, type StoredObject, type Store } from './store.js';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult {
  object: StoredObject;
  /** True when the object is gone from the store; false when it waits (grace period, finalizers). */
  removed: boolean;
}

/** Kinds whose status a create keeps (the rest start with an empty status, as on a real server). */
const KEEP_STATUS_ON_CREATE = new Set(['Node', 'Service', 'Namespace', 'Event', 'Lease', 'EndpointSlice']);
const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

const gr = (def: ResourceDef): string => grOf(def.group, def.resource);

/** JSON with sorted keys, so "did anything change?" ignores key order. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : val,
  );
}

function withoutMetaStatus(obj: StoredObject): unknown {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
  return s;
}

export class Registry {
  readonly allocateIp = ipAllocator();

  constructor(readonly store: Store) {}

  get(def: ResourceDef, namespace: string | undefined, name: string): StoredObject {
    const obj = this.store.get(gr(def), def.namespaced ? namespace : undefined, name);
    if (!obj) throw notFound(def.group, def.resource, name);
    return obj;
  }

  list(def: ResourceDef, namespace: string | undefined, labels: LabelSelector, fields: FieldSelector): StoredObject[] {
    return this.store
      .list(gr(def), def.namespaced ? namespace : undefined)
      .filter((o) => matchLabels(labels, o.metadata.labels) && matchFields(fields, o));
  }

  create(def: ResourceDef, namespace: string | undefined, body: StoredObject): StoredObject {
    if (!body || typeof body !== 'object' || typeof body.metadata !== 'object' || body.metadata === null) {
      throw invalid(def.kind, '', 'metadata.name: Required value: name or generateName is required');
    }
    const obj: StoredObject = structuredClone(body);
    const meta = obj.metadata;
    if (!meta.name && !meta.generateName) {
      throw invalid(def.kind, '', 'metadata.name: Required value: name or generateName is required');
    }
    if (def.namespaced) {
      if (meta.namespace && namespace && meta.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = namespace ?? meta.namespace ?? 'default';
    } else delete meta.namespace;
    meta.name ||= this.generateName(def, meta.namespace, meta.generateName ?? '');
    if (this.store.get(gr(def), meta.namespace, meta.name)) throw alreadyExists(def.group, def.resource, meta.name);
    obj.kind = def.kind;
    meta.uid = randomUUID();
    meta.creationTimestamp = nowIso();
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    if (def.generation) meta.generation = 1;
    else delete meta.generation;
    if (def.subresources.includes('status') && !KEEP_STATUS_ON_CREATE.has(def.kind)) delete obj['status'];
    applyDefaults(obj, this.allocateIp);
    if (def.kind === 'Pod') obj['status'] = initialPodStatus(obj);
    return this.store.put(gr(def), obj);
  }

  /** PUT (and the end of every PATCH): `sub` is 'status' for the status subresource. */
  update(def: ResourceDef, namespace: string | undefined, name: string, body: StoredObject, sub?: string): StoredObject {
    const current = this.get(def, namespace, name);
    if (!body || typeof body.metadata !== 'object' || body.metadata === null) {
      throw invalid(def.kind, name, 'metadata: Required value');
    }
    const next: StoredObject = structuredClone(body);
    if (next.metadata.name && next.metadata.name !== name) {
      throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`);
    }
    const rv = next.metadata.resourceVersion;
    if (rv && rv !== current.metadata.resourceVersion) throw conflict(def.group, def.resource, name);
    const merged = sub === 'status' ? this.statusUpdate(current, next) : this.mainUpdate(def, current, next);
    return this.commit(def, current, merged);
  }

  delete(def: ResourceDef, namespace: string | undefined, name: string, opts: DeleteOptions = {}): DeleteResult {
    const current = this.get(def, namespace, name);
    const pre = opts.preconditions;
    if ((pre?.uid && pre.uid !== current.metadata.uid) || (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion)) {
      throw conflict(def.group, def.resource, name);
    }
    const orphan = opts.propagationPolicy === 'Orphan' || opts.orphanDependents === true;
    if (def.kind === 'Pod') {
      const step = podDeleteStep(current, opts.gracePeriodSeconds);
      if (step.kind === 'noop') return { object: current, removed: false };
      if (step.kind === 'keep') return { object: this.store.put(gr(def), step.object), removed: false };
    } else if ((current.metadata.finalizers ?? []).length > 0) {
      if (current.metadata.deletionTimestamp) return { object: current, removed: false };
      const metadata = { ...current.metadata, deletionTimestamp: nowIso(), deletionGracePeriodSeconds: 0 };
      return { object: this.store.put(gr(def), { ...current, metadata }), removed: false };
    }
    return { object: this.removeNow(def, current, orphan), removed: true };
  }

  private mainUpdate(def: ResourceDef, current: StoredObject, next: StoredObject): StoredObject {
    if (def.subresources.includes('status')) {
      if (current['status'] === undefined) delete next['status'];
      else next['status'] = current['status'];
    }
    if (def.kind === 'Service' && current['spec']?.clusterIP && next['spec'] && next['spec'].clusterIP === undefined) {
      next['spec'].clusterIP = current['spec'].clusterIP;
      next['spec'].clusterIPs ??= current['spec'].clusterIPs;
    }
    next.kind = def.kind;
    applyDefaults(next, this.allocateIp);
    next.metadata = this.keepSystemMeta(current, next);
    if (def.generation && canonical(withoutMetaStatus(next)) !== canonical(withoutMetaStatus(current))) {
      next.metadata.generation = (current.metadata.generation ?? 0) + 1;
    }
    return next;
  }

  private statusUpdate(current: StoredObject, next: StoredObject): StoredObject {
    const metadata = { ...current.metadata };
    if (next.metadata.labels) metadata.labels = next.metadata.labels;
    if (next.metadata.annotations) metadata.annotations = next.metadata.annotations;
    return { ...current, metadata, status: next['status'] };
  }

  /** Fields a client cannot change by update: identity, timestamps, deletion state, generation. */
  private keepSystemMeta(current: StoredObject, next: StoredObject): StoredObject['metadata'] {
    const c = current.metadata;
    const meta = { ...next.metadata, name: c.name, uid: c.uid, creationTimestamp: c.creationTimestamp };
    if (c.namespace !== undefined) meta.namespace = c.namespace;
    else delete meta.namespace;
    for (const key of ['generation', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const) {
      if (c[key] === undefined) delete meta[key];
      else (meta as Record<string, unknown>)[key] = c[key];
    }
    return meta;
  }

  /** Stores the update unless nothing changed; a deleted object whose last finalizer went is removed. */
  private commit(def: ResourceDef, current: StoredObject, next: StoredObject): StoredObject {
    next.metadata.resourceVersion = current.metadata.resourceVersion;
    if (canonical(next) === canonical(current)) return current;
    const m = next.metadata;
    const waiting = (m.finalizers ?? []).length > 0 || (def.kind === 'Pod' && m.deletionGracePeriodSeconds !== 0);
    if (m.deletionTimestamp && !waiting) return this.removeNow(def, next, false);
    return this.store.put(gr(def), next);
  }

  private removeNow(def: ResourceDef, obj: StoredObject, orphan: boolean): StoredObject {
    const gone = this.store.remove(gr(def), obj) ?? obj;
    const uid = obj.metadata.uid ?? '';
    // Background cascading deletion, as the real garbage collector does it: after the owner is gone.
    setImmediate(() => this.collect(uid, orphan));
    if (def.kind === 'Namespace') setImmediate(() => this.emptyNamespace(obj.metadata.name ?? ''));
    return gone;
  }

  private collect(ownerUid: string, orphan: boolean): void {
    for (const def of RESOURCES) {
      for (const dep of this.store.list(gr(def))) {
        const refs = dep.metadata.ownerReferences ?? [];
        if (!refs.some((r) => r.uid === ownerUid)) continue;
        if (orphan) {
          const ownerReferences = refs.filter((r) => r.uid !== ownerUid);
          this.store.put(gr(def), { ...dep, metadata: { ...dep.metadata, ownerReferences } });
        } else this.tryDelete(def, dep);
      }
    }
  }

  private emptyNamespace(namespace: string): void {
    for (const def of RESOURCES) {
      if (!def.namespaced) continue;
      for (const obj of this.store.list(gr(def), namespace)) this.tryDelete(def, obj);
    }
  }

  private tryDelete(def: ResourceDef, obj: StoredObject): void {
    try {
      this.delete(def, obj.metadata.namespace, obj.metadata.name ?? '');
    } catch {
      // Already gone (a concurrent delete won): nothing left to collect.
    }
  }

  private generateName(def: ResourceDef, namespace: string | undefined, prefix: string): string {
    for (let i = 0; i < 100; i++) {
      const name = prefix + randomSuffix();
      if (!this.store.get(gr(def), namespace, name)) return name;
    }
    throw alreadyExists(def.group, def.resource, prefix);
  }
}
