// PATCH bodies: JSON merge patch (RFC 7386), JSON patch (RFC 6902), and strategic merge patch
// approximated with the merge keys of the built-in lists kubectl apply touches.

import { ApiError, badRequest, unsupportedMedia } from './status.js';

type Json = unknown;
type JsonMap = Record<string, Json>;

const isMap = (v: Json): v is JsonMap => v !== null && typeof v === 'object' && !Array.isArray(v);

export function mergePatch(target: Json, patch: Json): Json {
  if (!isMap(patch)) return patch;
  const out: JsonMap = isMap(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** Merge key of a built-in list field, judged by field name and element shape. */
function mergeKeyOf(field: string, sample: Json): string | undefined {
  const byName = ['containers', 'initContainers', 'ephemeralContainers', 'env', 'volumes', 'imagePullSecrets'];
  if (byName.includes(field)) return 'name';
  if (field === 'ports' && isMap(sample)) return 'containerPort' in sample ? 'containerPort' : 'port';
  if (field === 'volumeMounts') return 'mountPath';
  if (field === 'conditions') return 'type';
  if (field === 'ownerReferences') return 'uid';
  if (field === 'hostAliases') return 'ip';
  return undefined;
}

const PRIMITIVE_SETS = ['finalizers'];

function mergeList(field: string, target: Json, patch: Json[]): Json[] {
  const base = Array.isArray(target) ? [...target] : [];
  if (PRIMITIVE_SETS.includes(field)) return [...new Set([...base, ...patch])];
  const key = mergeKeyOf(field, patch[0] ?? base[0]);
  if (!key) return patch.filter((p) => !(isMap(p) && p['$patch'] !== undefined));
  if (patch.some((p) => isMap(p) && p['$patch'] === 'replace')) {
    return patch.filter((p) => !(isMap(p) && p['$patch'] === 'replace'));
  }
  for (const item of patch) {
    if (!isMap(item)) continue;
    const idx = base.findIndex((b) => isMap(b) && b[key] === item[key]);
    if (item['$patch'] === 'delete') {
      if (idx >= 0) base.splice(idx, 1);
    } else if (idx >= 0) base[idx] = strategicMerge(base[idx], item);
    else base.push(strategicMerge({}, item));
  }
  return base;
}

function orderBy(list: Json[], order: Json[], key: string | undefined): Json[] {
  if (!key) return list;
  const rank = (v: Json): number => {
    const i = order.findIndex((o) => isMap(o) && isMap(v) && o[key] === v[key]);
    return i < 0 ? order.length : i;
  };
  return [...list].sort((a, b) => rank(a) - rank(b));
}

export function strategicMerge(target: Json, patch: Json): Json {
  if (!isMap(patch)) return patch;
  if (patch['$patch'] === 'replace') {
    const { $patch: _, ...rest } = patch;
    return rest;
  }
  if (patch['$patch'] === 'delete') return undefined;
  const out: JsonMap = isMap(target) ? { ...target } : {};
  const retain = patch['$retainKeys'];
  if (Array.isArray(retain)) for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$retainKeys' || key === '$patch' || key.startsWith('$setElementOrder/')) continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const cur = out[field];
      if (Array.isArray(cur) && Array.isArray(value)) out[field] = cur.filter((v) => !value.includes(v));
      continue;
    }
    if (value === null) delete out[key];
    else if (Array.isArray(value)) out[key] = mergeList(key, out[key], value);
    else out[key] = strategicMerge(out[key], value);
  }
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith('$setElementOrder/') || !Array.isArray(order)) continue;
    const field = key.slice('$setElementOrder/'.length);
    const cur = out[field];
    if (Array.isArray(cur)) out[field] = orderBy(cur, order, mergeKeyOf(field, order[0]));
  }
  return out;
}

interface JsonPatchOp {
  op: string;
  path: string;
  value?: Json;
  from?: string;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`invalid JSON pointer: ${path}`);
  return path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, parts: string[]): { parent: JsonMap | Json[]; last: string } {
  let cur: Json = doc;
  for (const part of parts.slice(0, -1)) {
    cur = Array.isArray(cur) ? cur[Number(part)] : isMap(cur) ? cur[part] : undefined;
    if (cur === undefined || cur === null || typeof cur !== 'object') {
      throw new ApiError(422, 'Invalid', `jsonpatch: path not found: /${parts.join('/')}`);
    }
  }
  return { parent: cur as JsonMap | Json[], last: parts[parts.length - 1] ?? '' };
}

function readAt(doc: Json, path: string): Json {
  const parts = pointer(path);
  if (parts.length === 0) return doc;
  const { parent, last } = parentOf(doc, parts);
  const v = Array.isArray(parent) ? parent[Number(last)] : parent[last];
  if (v === undefined) throw new ApiError(422, 'Invalid', `jsonpatch: value not found at ${path}`);
  return v;
}

function removeAt(doc: Json, path: string): void {
  const { parent, last } = parentOf(doc, pointer(path));
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (last in parent) delete parent[last];
  else throw new ApiError(422, 'Invalid', `jsonpatch remove: path not found: ${path}`);
}

function addAt(doc: Json, path: string, value: Json, replace: boolean): void {
  const { parent, last } = parentOf(doc, pointer(path));
  if (!Array.isArray(parent)) {
    if (replace && !(last in parent)) throw new ApiError(422, 'Invalid', `jsonpatch replace: path not found: ${path}`);
    parent[last] = value;
  } else if (replace) parent[Number(last)] = value;
  else parent.splice(last === '-' ? parent.length : Number(last), 0, value);
}

export function jsonPatch(doc: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw badRequest('json patch must be an array of operations');
  const out = structuredClone(doc);
  for (const raw of ops as JsonPatchOp[]) {
    const value = structuredClone(raw.value);
    if (raw.op === 'add') addAt(out, raw.path, value, false);
    else if (raw.op === 'replace') addAt(out, raw.path, value, true);
    else if (raw.op === 'remove') removeAt(out, raw.path);
    else if (raw.op === 'copy') addAt(out, raw.path, structuredClone(readAt(out, raw.from ?? '')), false);
    else if (raw.op === 'move') {
      const moved = readAt(out, raw.from ?? '');
      removeAt(out, raw.from ?? '');
      addAt(out, raw.path, moved, false);
    } else if (raw.op === 'test') {
      if (JSON.stringify(readAt(out, raw.path)) !== JSON.stringify(value)) {
        throw new ApiError(422, 'Invalid', `jsonpatch test operation failed at ${raw.path}`);
      }
    } else throw badRequest(`unknown json patch op ${raw.op}`);
  }
  return out;
}

/** Applies a PATCH body by its content type. */
export function applyPatch(contentType: string, doc: Json, patch: Json): Json {
  const type = contentType.split(';')[0]?.trim() ?? '';
  if (type === 'application/merge-patch+json') return mergePatch(doc, patch);
  if (type === 'application/strategic-merge-patch+json') return strategicMerge(doc, patch);
  if (type === 'application/json-patch+json') return jsonPatch(doc, patch);
  throw unsupportedMedia(type);
}
