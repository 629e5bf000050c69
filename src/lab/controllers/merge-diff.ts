// A JSON merge patch (RFC 7396) that turns `from` into `to`: changed members, null for removed
// ones, arrays replaced whole; undefined when nothing changed.
import { canonicalJson } from './objects.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

export function mergeDiff(from: unknown, to: unknown): unknown {
  if (!isObject(from) || !isObject(to)) return canonicalJson(from) === canonicalJson(to) ? undefined : to;
  const out: Json = {};
  for (const k of Object.keys(from)) if (from[k] != null && to[k] == null) out[k] = null;
  for (const [k, v] of Object.entries(to)) {
    if (v == null) continue;
    const d = mergeDiff(from[k], v);
    if (d !== undefined) out[k] = d;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export function statusPatch(from: object, to: object): Json | undefined {
  return mergeDiff(from, to) as Json | undefined;
}
