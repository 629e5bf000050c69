// ClusterStatus bookkeeping: problems in plain words, gaps merged across resources.
import type { ClusterStatus } from '../types.js';
import type { Gap } from './list-watch.js';

export interface StatusBook {
  problems: Map<string, string>;
  gaps: Gap[];
  listed: Set<string>;
}

export const newStatusBook = (): StatusBook => ({ problems: new Map(), gaps: [], listed: new Set() });

type Merged = { start: number; end: number; causes: Map<string, Set<string>> };

function reasonOf(m: Merged): string {
  return [...m.causes].map(([cause, res]) => `watch of ${[...res].join(', ')}: ${cause}`).join('; ');
}

/** Overlapping gaps of several resources (one server restart) become one gap naming them all. */
export function mergeGaps(gaps: Gap[]): ClusterStatus['gaps'] {
  const sorted = [...gaps].sort((a, b) => a.start - b.start);
  const out: Merged[] = [];
  for (const g of sorted) {
    const last = out[out.length - 1];
    const m = last && g.start <= last.end ? last : undefined;
    const target = m ?? { start: g.start, end: g.end, causes: new Map<string, Set<string>>() };
    if (!m) out.push(target);
    target.end = Math.max(target.end, g.end);
    const set = target.causes.get(g.reason) ?? new Set<string>();
    target.causes.set(g.reason, set.add(g.resource));
  }
  return out.map((m) => ({ start: m.start, end: m.end, reason: reasonOf(m) }));
}

export function statusOf(book: StatusBook): ClusterStatus {
  return { watched: book.listed.size > 0, problems: [...new Set(book.problems.values())], gaps: mergeGaps(book.gaps) };
}
