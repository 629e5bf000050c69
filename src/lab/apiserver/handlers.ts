// One function per verb on a resource route; each returns the HTTP status and the JSON body.

import { bindPod } from './pods.js';
import type { DeleteOptions, Registry } from './registry.js';
import { apiVersionOf, findResource, type ResourceDef } from './resources.js';
import type { ResourceRoute } from './routes.js';
import { fromLabelSelector, selectorString as printSelector, type LabelSelector } from '../../kube/selector.js';
import { parseFieldSelector, parseLabelSelector } from './field-selector.js';
import { applyPatch } from './patch.js';
import { badRequest, methodNotAllowed, notFound, success } from './status.js';
import { grOf, type StoredObject } from './store.js';
import { present } from './watch.js';

export interface ApiRequest {
  method: string;
  query: URLSearchParams;
  body: unknown;
  contentType: string;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

const ok = (body: unknown, status = 200): ApiResponse => ({ status, body });

function listKind(def: ResourceDef): string {
  return `${def.kind}List`;
}

function list(reg: Registry, r: ResourceRoute, q: URLSearchParams): ApiResponse {
  const items = reg.list(r.def, r.namespace, parseLabelSelector(q.get('labelSelector')), parseFieldSelector(q.get('fieldSelector')));
  return ok({
    kind: listKind(r.def),
    apiVersion: apiVersionOf(r.group, r.version),
    metadata: { resourceVersion: String(reg.store.currentRv()) },
    items: items.map((o) => present(o, r.def, r.version)),
  });
}

function deleteOptions(body: unknown, q: URLSearchParams): DeleteOptions {
  const opts: DeleteOptions = body && typeof body === 'object' ? { ...(body as DeleteOptions) } : {};
  const grace = q.get('gracePeriodSeconds');
  if (grace !== null) opts.gracePeriodSeconds = Number(grace);
  const policy = q.get('propagationPolicy');
  if (policy === 'Background' || policy === 'Foreground' || policy === 'Orphan') opts.propagationPolicy = policy;
  if (opts.gracePeriodSeconds !== undefined && !Number.isFinite(opts.gracePeriodSeconds)) throw badRequest('invalid gracePeriodSeconds');
  return opts;
}

/** Objects the real server returns after a delete; the rest answer with a Status. */
function returnsObject(def: ResourceDef): boolean {
  return def.kind === 'Pod' || def.kind === 'Service' || !['', 'apps', 'discovery.k8s.io', 'coordination.k8s.io', 'networking.k8s.io'].includes(def.group);
}

function del(reg: Registry, r: ResourceRoute, name: string, req: ApiRequest): ApiResponse {
  const { object, removed } = reg.delete(r.def, r.namespace, name, deleteOptions(req.body, req.query));
  if (!removed || returnsObject(r.def)) return ok(present(object, r.def, r.version));
  return ok(success({ name, group: r.group, kind: r.def.resource, uid: object.metadata.uid ?? '' }));
}

function deleteCollection(reg: Registry, r: ResourceRoute, req: ApiRequest): ApiResponse {
  const items = reg.list(r.def, r.namespace, parseLabelSelector(req.query.get('labelSelector')), parseFieldSelector(req.query.get('fieldSelector')));
  const opts = deleteOptions(req.body, req.query);
  for (const item of items) reg.delete(r.def, item.metadata.namespace, item.metadata.name ?? '', opts);
  return ok({ kind: listKind(r.def), apiVersion: apiVersionOf(r.group, r.version), metadata: { resourceVersion: String(reg.store.currentRv()) }, items: items.map((o) => present(o, r.def, r.version)) });
}

function selectorString(sel: unknown): string {
  return sel && typeof sel === 'object' ? printSelector(fromLabelSelector(sel as LabelSelector)) : '';
}

function scaleOf(obj: StoredObject): StoredObject {
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: obj['spec']?.replicas ?? 0 },
    status: { replicas: obj['status']?.replicas ?? 0, selector: selectorString(obj['spec']?.selector) },
  };
}

function writeScale(reg: Registry, r: ResourceRoute, name: string, req: ApiRequest): ApiResponse {
  const current = reg.get(r.def, r.namespace, name);
  const scale = req.method === 'PATCH' ? (applyPatch(req.contentType, scaleOf(current), req.body) as StoredObject) : (req.body as StoredObject);
  const replicas = scale?.['spec']?.replicas;
  if (typeof replicas !== 'number') throw badRequest('Scale.spec.replicas must be a number');
  const rv = scale.metadata?.resourceVersion;
  const next = { ...current, metadata: { ...current.metadata, resourceVersion: rv ?? '' }, spec: { ...current['spec'], replicas } };
  return ok(scaleOf(reg.update(r.def, r.namespace, name, next)));
}

function bind(reg: Registry, namespace: string | undefined, name: string, body: unknown): ApiResponse {
  const def = findResource('', 'v1', 'pods');
  if (!def) throw notFound('', 'pods', name);
  const pod = reg.get(def, namespace, name);
  reg.store.put(grOf('', 'pods'), bindPod(pod, body as StoredObject));
  return ok(success(), 201);
}

/** POST namespaces/<ns>/bindings: the older form of pods/<name>/binding. */
export function handleBindings(reg: Registry, namespace: string, req: ApiRequest): ApiResponse {
  const name = (req.body as StoredObject | undefined)?.metadata?.name;
  if (req.method !== 'POST' || !name) throw methodNotAllowed();
  return bind(reg, namespace, name, req.body);
}

/** Server-side apply, approximated: create when absent, else a strategic merge (no field ownership). */
function apply(reg: Registry, r: ResourceRoute, name: string, req: ApiRequest): ApiResponse {
  const body = req.body as StoredObject;
  if (r.sub === undefined && !reg.store.get(grOf(r.group, r.def.resource), r.namespace, name)) {
    const obj = { ...body, metadata: { ...body?.metadata, name } };
    return ok(present(reg.create(r.def, r.namespace, obj), r.def, r.version), 201);
  }
  return patch(reg, r, name, { ...req, contentType: 'application/strategic-merge-patch+json' });
}

function patch(reg: Registry, r: ResourceRoute, name: string, req: ApiRequest): ApiResponse {
  if (req.contentType.startsWith('application/apply-patch+yaml')) return apply(reg, r, name, req);
  const current = reg.get(r.def, r.namespace, name);
  const base = present(current, r.def, r.version);
  const patched = applyPatch(req.contentType, base, req.body) as StoredObject;
  // A patch is not a precondition unless it names a resourceVersion itself.
  const rvInPatch = patched?.metadata?.resourceVersion !== base.metadata.resourceVersion;
  const next = rvInPatch ? patched : { ...patched, metadata: { ...patched.metadata, resourceVersion: undefined } };
  return ok(present(reg.update(r.def, r.namespace, name, next, r.sub), r.def, r.version));
}

function named(reg: Registry, r: ResourceRoute, name: string, req: ApiRequest): ApiResponse {
  const sub = r.sub;
  if (sub !== undefined && !r.def.subresources.includes(sub)) throw notFound(r.group, `${r.def.resource}/${sub}`, name);
  if (sub === 'binding' && req.method === 'POST') return bind(reg, r.namespace, name, req.body);
  if (sub === 'eviction' && req.method === 'POST') return (del(reg, r, name, { ...req, body: {} }), ok(success(), 201));
  if (sub === 'log' && req.method === 'GET') return ok('');
  if (sub === 'scale') {
    if (req.method === 'GET') return ok(scaleOf(reg.get(r.def, r.namespace, name)));
    if (req.method === 'PUT' || req.method === 'PATCH') return writeScale(reg, r, name, req);
  }
  if (sub !== undefined && sub !== 'status') throw methodNotAllowed();
  switch (req.method) {
    case 'GET':
      return ok(present(reg.get(r.def, r.namespace, name), r.def, r.version));
    case 'PUT':
      return ok(present(reg.update(r.def, r.namespace, name, req.body as StoredObject, sub), r.def, r.version));
    case 'PATCH':
      return patch(reg, r, name, req);
    case 'DELETE':
      if (sub) throw methodNotAllowed();
      return del(reg, r, name, req);
  }
  throw methodNotAllowed();
}

export function handleResource(reg: Registry, r: ResourceRoute, req: ApiRequest): ApiResponse {
  if (r.name !== undefined) return named(reg, r, r.name, req);
  switch (req.method) {
    case 'GET':
      return list(reg, r, req.query);
    case 'POST':
      if (r.def.namespaced && r.namespace === undefined) throw methodNotAllowed();
      return ok(present(reg.create(r.def, r.namespace, req.body as StoredObject), r.def, r.version), 201);
    case 'DELETE':
      return deleteCollection(reg, r, req);
  }
  throw methodNotAllowed();
}
