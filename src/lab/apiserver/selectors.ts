// Label selectors (equality and set-based) and field selectors, parsed once, matched per object.

import { badRequest } from './status.js';

type Op = 'exists' | 'notexists' | 'in' | 'notin' | 'gt' | 'lt';

interface Requirement {
  key: string;
  op: Op;
  values: string[];
}

export type LabelSelector = Requirement[];

/** Splits on commas that are not inside parentheses: "a in (x,y),b" -> ["a in (x,y)", "b"]. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function parseRequirement(text: string): Requirement {
  const set = /^([^\s!=<>()]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(text);
  if (set) {
    const values = (set[3] ?? '').split(',').map((v) => v.trim());
    return { key: set[1] ?? '', op: set[2] === 'in' ? 'in' : 'notin', values };
  }
  const eq = /^([^\s!=<>()]+)\s*(==|=|!=|>|<)\s*([^\s,()]*)$/.exec(text);
  if (eq) {
    const [, key = '', sym, value = ''] = eq;
    const op: Op = sym === '!=' ? 'notin' : sym === '>' ? 'gt' : sym === '<' ? 'lt' : 'in';
    return { key, op, values: [value] };
  }
  const not = /^!\s*([^\s!=<>()]+)$/.exec(text);
  if (not) return { key: not[1] ?? '', op: 'notexists', values: [] };
  if (/^[^\s!=<>()]+$/.test(text)) return { key: text, op: 'exists', values: [] };
  throw badRequest(`unable to parse requirement: ${text}`);
}

export function parseLabelSelector(text: string | null | undefined): LabelSelector {
  if (!text) return [];
  return splitTop(text).map(parseRequirement);
}

function matchOne(req: Requirement, value: string | undefined): boolean {
  switch (req.op) {
    case 'exists':
      return value !== undefined;
    case 'notexists':
      return value === undefined;
    case 'in':
      return value !== undefined && req.values.includes(value);
    case 'notin':
      return value === undefined || !req.values.includes(value);
    case 'gt':
      return value !== undefined && Number(value) > Number(req.values[0]);
    case 'lt':
      return value !== undefined && Number(value) < Number(req.values[0]);
  }
}

export function matchLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  return sel.every((req) => matchOne(req, labels?.[req.key]));
}

interface FieldRequirement {
  path: string[];
  value: string;
  negate: boolean;
}

export type FieldSelector = FieldRequirement[];

export function parseFieldSelector(text: string | null | undefined): FieldSelector {
  if (!text) return [];
  return splitTop(text).map((part) => {
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

/** A matchLabels/matchExpressions object (as in Deployment.spec.selector) as a parsed selector. */
export function fromLabelSelectorObject(sel: {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}): LabelSelector {
  const reqs: Requirement[] = Object.entries(sel.matchLabels ?? {}).map(([key, v]) => ({ key, op: 'in', values: [v] }));
  for (const e of sel.matchExpressions ?? []) {
    const op: Op =
      e.operator === 'In' ? 'in' : e.operator === 'NotIn' ? 'notin' : e.operator === 'Exists' ? 'exists' : 'notexists';
    reqs.push({ key: e.key, op, values: e.values ?? [] });
  }
  return reqs;
}
