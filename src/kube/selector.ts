// Label selectors, once: kubectl's string form (parse and print), the API's matchLabels/matchExpressions
// object, and a Service's plain map. Used by the watcher, the config rules and the lab.
import { ZdError } from '../errors.js';

export type Labels = Record<string, string>;
export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';

export interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

/** A parsed selector: every requirement must hold; an empty one matches everything. */
export type Selector = Requirement[];

/** metav1.LabelSelector, as in Deployment.spec.selector. */
export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

const OPERATORS: ReadonlySet<string> = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** matchLabels + matchExpressions as requirements; an unknown operator matches nothing (upstream rejects it). */
export function fromLabelSelector(sel: LabelSelector | undefined): Selector {
  const out: Selector = Object.entries(sel?.matchLabels ?? {}).map(([key, v]) => ({ key, op: 'In', values: [String(v)] }));
  for (const e of sel?.matchExpressions ?? []) {
    if (OPERATORS.has(e.operator)) out.push({ key: e.key, op: e.operator as Operator, values: e.values ?? [] });
    else out.push({ key: e.key, op: 'In', values: [] });
  }
  return out;
}

export const fromLabels = (labels: Labels): Selector => fromLabelSelector({ matchLabels: labels });

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

const KEY = '[^\\s!=<>()]+';
const SET = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^)]*)\\)$`);
const CMP = new RegExp(`^(${KEY})\\s*(==|=|!=|>|<)\\s*([^\\s,()]*)$`);
const NOT = new RegExp(`^!\\s*(${KEY})$`);
const BARE = new RegExp(`^${KEY}$`);

function parseRequirement(text: string): Requirement {
  const set = SET.exec(text);
  if (set) {
    const values = (set[3] ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');
    return { key: set[1] ?? '', op: set[2] === 'in' ? 'In' : 'NotIn', values };
  }
  const cmp = CMP.exec(text);
  if (cmp) {
    const [, key = '', sym, value = ''] = cmp;
    const op: Operator = sym === '!=' ? 'NotIn' : sym === '>' ? 'Gt' : sym === '<' ? 'Lt' : 'In';
    return { key, op, values: [value] };
  }
  const not = NOT.exec(text);
  if (not) return { key: not[1] ?? '', op: 'DoesNotExist', values: [] };
  if (BARE.test(text)) return { key: text, op: 'Exists', values: [] };
  throw new ZdError('input', `unable to parse requirement: ${text}`);
}

/** "app=web,tier!=db,env in (a,b),!legacy"; a malformed requirement throws ZdError('input'). */
export function parseSelector(text: string | null | undefined): Selector {
  return text ? splitTop(text).map(parseRequirement) : [];
}

/** The string form for ?labelSelector= (and Scale's status.selector). */
export function selectorString(sel: Selector): string {
  return sel.map((r) => {
    const [first = ''] = r.values;
    switch (r.op) {
      case 'Exists': return r.key;
      case 'DoesNotExist': return `!${r.key}`;
      case 'Gt': return `${r.key}>${first}`;
      case 'Lt': return `${r.key}<${first}`;
      default:
        if (r.values.length === 1) return `${r.key}${r.op === 'In' ? '=' : '!='}${first}`;
        return `${r.key} ${r.op === 'In' ? 'in' : 'notin'} (${r.values.join(',')})`;
    }
  }).join(',');
}

function holds(r: Requirement, value: string | undefined): boolean {
  switch (r.op) {
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'In': return value !== undefined && r.values.includes(value);
    case 'NotIn': return value === undefined || !r.values.includes(value);
    case 'Gt': return value !== undefined && Number(value) > Number(r.values[0]);
    case 'Lt': return value !== undefined && Number(value) < Number(r.values[0]);
  }
}

export function matches(sel: Selector, labels: Labels | undefined): boolean {
  const l = labels ?? {};
  return sel.every((r) => holds(r, Object.hasOwn(l, r.key) ? l[r.key] : undefined));
}

/** A LabelSelector object against labels, as metav1.LabelSelectorAsSelector; empty matches everything. */
export const labelSelectorMatches = (sel: LabelSelector | undefined, labels: Labels | undefined): boolean =>
  matches(fromLabelSelector(sel), labels);

/** A Service's selector (a plain map): a Service with no selector selects nothing. */
export function serviceSelects(sel: Labels | undefined, labels: Labels | undefined): boolean {
  if (!sel || Object.keys(sel).length === 0) return false;
  return Object.entries(sel).every(([k, v]) => labels?.[k] === v);
}

/** The labels a selector pins to one value: what a pod it selects surely carries. */
export function pinnedLabels(sel: Selector): Labels {
  const out: Labels = {};
  for (const r of sel) if (r.op === 'In' && r.values.length === 1) out[r.key] = r.values[0]!;
  return out;
}
