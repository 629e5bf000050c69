// Field selectors (metadata.name=a,status.phase!=Running), parsed once, matched per object.
// Label selectors are src/kube/selector.ts; parseLabelSelector wraps its parse error as a 400.

import { ZdError } from '../../errors.js';
import { parseSelector, type Selector } from '../../kube/selector.js';
import { badRequest } from './status.js';

interface FieldRequirement {
  path: string[];
  value: string;
  negate: boolean;
}

export type FieldSelector = FieldRequirement[];

export function parseFieldSelector(text: string | null | undefined): FieldSelector {
  if (!text) return [];
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  return parts.map((part) => {
    const m = /^([A-Za-z0-9_.\-/]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    return { path: (m[1] ?? '').split('.'), value: (m[3] ?? '').trim(), negate: m[2] === '!=' };
  });
}

/** Reads a dotted field as the API server's field labels do: missing fields read as "". */
function fieldValue(obj: unknown, path: string[]): string {
  let cur: unknown = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[key];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}

export function matchFields(sel: FieldSelector, obj: unknown): boolean {
  return sel.every((req) => (fieldValue(obj, req.path) === req.value) !== req.negate);
}

/** A ?labelSelector= value; a malformed one is a 400 BadRequest, as the API server answers. */
export function parseLabelSelector(text: string | null | undefined): Selector {
  try {
    return parseSelector(text);
  } catch (err) {
    if (err instanceof ZdError) throw badRequest(err.message);
    throw err;
  }
}
