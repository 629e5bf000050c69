// The cache of one list+watch loop and what a fresh list changed in it (a re-list after 410 Gone).
import type { KubeObject } from '../types.js';

export const keyOf = (o: KubeObject): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
export const rvOf = (o: KubeObject | undefined): string | undefined => o?.metadata?.resourceVersion;

export type Change = [KubeObject | undefined, KubeObject | undefined];

/** Replaces the cache with a fresh list and returns what changed, so no transition is lost silently. */
export function replaceCache(cache: Map<string, KubeObject>, items: KubeObject[]): Change[] {
  const seen = new Set<string>();
  const changes: Change[] = [];
  for (const item of items) {
    const key = keyOf(item);
    seen.add(key);
    const old = cache.get(key);
    cache.set(key, item);
    if (!old || rvOf(old) !== rvOf(item)) changes.push([old, item]);
  }
  for (const [key, old] of [...cache]) {
    if (seen.has(key)) continue;
    cache.delete(key);
    changes.push([old, undefined]);
  }
  return changes;
}

export function counts(changes: Change[]): { added: number; changed: number; removed: number } {
  const n = (f: (c: Change) => boolean): number => changes.filter(f).length;
  return { added: n(([o]) => !o), changed: n(([o, c]) => !!o && !!c), removed: n(([, c]) => !c) };
}

