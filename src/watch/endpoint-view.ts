// All EndpointSlices of one Service seen as one, so an address that moves between slices (or a
// slice replaced by another) is not reported as removed and added again.
import type { KubeObject } from '../types.js';

/** service name -> slice name -> slice */
export type SliceView = Map<string, Map<string, KubeObject>>;

const serviceOf = (s: KubeObject): string =>
  s.metadata?.labels?.['kubernetes.io/service-name'] ?? `slice:${s.metadata?.name ?? ''}`;

/** One pseudo-slice with `meta`'s metadata and the union of endpoints; earlier slices win per address. */
function merged(slices: KubeObject[], meta: KubeObject): KubeObject | undefined {
  if (slices.length === 0) return undefined;
  const seen = new Set<string>();
  const endpoints: unknown[] = [];
  for (const s of slices) {
    for (const ep of (s['endpoints'] ?? []) as Array<{ addresses?: unknown[] } | undefined>) {
      const address = ep?.addresses?.[0];
      if (typeof address !== 'string' || seen.has(address)) continue;
      seen.add(address);
      endpoints.push(ep);
    }
  }
  return { ...meta, endpoints };
}

/** Applies one slice change to the view; returns the service's endpoints before and after it. */
export function applySlice(view: SliceView, old: KubeObject | undefined, cur: KubeObject | undefined): [KubeObject | undefined, KubeObject | undefined] {
  const obj = (cur ?? old)!;
  const service = serviceOf(obj);
  const name = obj.metadata?.name ?? '';
  const slices = view.get(service) ?? new Map<string, KubeObject>();
  const others = [...slices].filter(([n]) => n !== name).map(([, s]) => s);
  const prev = slices.get(name) ?? old;
  const before = merged(prev ? [prev, ...others] : others, prev ?? obj);
  if (cur) slices.set(name, cur);
  else slices.delete(name);
  if (slices.size) view.set(service, slices);
  else view.delete(service);
  return [before, merged(cur ? [cur, ...others] : others, obj)];
}
