// Label selectors: parse kubectl's string form, print it for ?labelSelector=, and match labels.

export interface Requirement {
  key: string;
  op: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

export type Labels = Record<string, string>;

/** matchLabels + matchExpressions of a Kubernetes LabelSelector, as requirements. */
export function fromLabelSelector(sel: any): Requirement[] {
  const out: Requirement[] = Object.entries(sel?.matchLabels ?? {})
    .map(([key, v]) => ({ key, op: 'In' as const, values: [String(v)] }));
  for (const e of sel?.matchExpressions ?? []) out.push({ key: e.key, op: e.operator, values: e.values ?? [] });
  return out;
}

export function fromLabels(labels: Labels): Requirement[] {
  return fromLabelSelector({ matchLabels: labels });
}

/** "app=web,tier!=db,env in (a,b),!legacy" */
export function parseSelector(text: string): Requirement[] {
  const parts = text.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  return parts.map((p) => p.trim()).filter(Boolean).map((p): Requirement => {
    const set = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(p);
    if (set) {
      const values = set[3]!.split(',').map((v) => v.trim()).filter(Boolean);
      return { key: set[1]!, op: set[2] === 'in' ? 'In' : 'NotIn', values };
    }
    const ne = /^([^!=\s]+)\s*!=\s*(.*)$/.exec(p);
    if (ne) return { key: ne[1]!, op: 'NotIn', values: [ne[2]!.trim()] };
    const eq = /^([^!=\s]+)\s*==?\s*(.*)$/.exec(p);
    if (eq) return { key: eq[1]!, op: 'In', values: [eq[2]!.trim()] };
    if (p.startsWith('!')) return { key: p.slice(1).trim(), op: 'DoesNotExist', values: [] };
    return { key: p, op: 'Exists', values: [] };
  });
}

export function selectorString(reqs: Requirement[]): string {
  return reqs.map((r) => {
    if (r.op === 'Exists') return r.key;
    if (r.op === 'DoesNotExist') return `!${r.key}`;
    if (r.values.length === 1) return `${r.key}${r.op === 'In' ? '=' : '!='}${r.values[0]}`;
    return `${r.key} ${r.op === 'In' ? 'in' : 'notin'} (${r.values.join(',')})`;
  }).join(',');
}

export function matches(reqs: Requirement[], labels: Labels | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.hasOwn(l, r.key);
    if (r.op === 'Exists') return has;
    if (r.op === 'DoesNotExist') return !has;
    if (r.op === 'In') return has && r.values.includes(l[r.key]!);
    return !has || !r.values.includes(l[r.key]!);
  });
}

/** The labels a selector pins to one value: what a pod it selects surely carries. */
export function pinnedLabels(reqs: Requirement[]): Labels {
  const out: Labels = {};
  for (const r of reqs) if (r.op === 'In' && r.values.length === 1) out[r.key] = r.values[0]!;
  return out;
}
