// Which observed version tag each declared destination stands for (subset labels, Service -> Deployment).
import type { ConfigSnapshot, KubeObject } from '../../types.js';

/** "v2", "V2" and "2" are the same version. */
export const normalise = (v: string): string => v.trim().toLowerCase().replace(/^v(?=\d)/, '');

const short = (host: string): string => host.split('.')[0] ?? host;
const tokens = (s: string): string[] => s.split(/[-_:/@]/).filter(Boolean).map(normalise);

function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  const sel = Object.entries(selector ?? {});
  return sel.length > 0 && sel.every(([k, v]) => labels?.[k] === v);
}

/** Strings that name the version behind a Service: its pods' version label, image tag, Deployment name. */
function serviceNames(objects: KubeObject[], service: string): { exact: string[]; loose: string[] } {
  const svc = objects.find((o) => o.kind === 'Service' && o.metadata?.name === service);
  const deps = objects.filter((o) => o.kind === 'Deployment' && selects(svc?.spec?.selector, o.spec?.template?.metadata?.labels));
  const exact = deps.map((d) => d.spec?.template?.metadata?.labels?.['version']).filter((v): v is string => typeof v === 'string');
  const images = deps.flatMap((d) => ((d.spec?.template?.spec?.containers ?? []) as Array<{ image?: string }>).map((c) => String(c.image ?? '').split(':')[1] ?? ''));
  return { exact, loose: [service, ...images.filter(Boolean), ...deps.map((d) => d.metadata?.name ?? '')] };
}

/** Candidate names for a destination: exact ones (labels) first, loose ones (names, tags) after. */
export function candidates(dest: string, snap: ConfigSnapshot | undefined): { exact: string[]; loose: string[] } {
  const objects = snap?.objects ?? [];
  const [host, subset] = dest.split('/') as [string, string | undefined];
  if (subset !== undefined) {
    const dr = objects.filter((o) => o.kind === 'DestinationRule' && short(String(o.spec?.host ?? '')) === short(host));
    const def = dr.flatMap((d) => (d.spec?.subsets ?? []) as Array<{ name?: string; labels?: Record<string, string> } | undefined>).find((s) => s?.name === subset);
    const labels = Object.values(def?.labels ?? {});
    return { exact: [...labels, subset], loose: [] };
  }
  return serviceNames(objects, short(host));
}

/**
 * dest -> observed version. Exact label matches win, then name tokens; leftovers fall back to
 * age: a destination named "canary" gets the newest unclaimed version, the others the oldest.
 */
export function mapDestinations(dests: string[], snap: ConfigSnapshot | undefined, observedByAge: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const free = new Set(observedByAge);
  const claim = (dest: string, test: (v: string) => boolean): void => {
    if (out.has(dest)) return;
    const v = observedByAge.find((x) => free.has(x) && test(x));
    if (v !== undefined) {
      out.set(dest, v);
      free.delete(v);
    }
  };
  const names = new Map(dests.map((d) => [d, candidates(d, snap)]));
  for (const d of dests) claim(d, (v) => names.get(d)!.exact.some((c) => normalise(c) === normalise(v)));
  for (const d of dests) claim(d, (v) => names.get(d)!.loose.some((c) => tokens(c).includes(normalise(v))));
  const newestFirst = [...observedByAge].reverse();
  for (const d of dests.filter((x) => /canary/i.test(x) && !out.has(x))) {
    const v = newestFirst.find((x) => free.has(x));
    if (v !== undefined) { out.set(d, v); free.delete(v); }
  }
  for (const d of dests) claim(d, () => true);
  return out;
}
