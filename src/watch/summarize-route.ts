// One-line summaries of routing objects, so a report can show what the routes said at each moment.
import type { KubeObject } from '../types.js';

type Weights = Record<string, number>;

// The fields of routing objects the summaries read, as the API serves them.
type StringMatch = { exact?: string; prefix?: string; regex?: string };
type VsMatch = { headers?: Record<string, StringMatch | undefined>; uri?: StringMatch };
type VsDest = { destination?: { host?: string; subset?: string }; weight?: number };
type VsHttp = { match?: VsMatch[]; route?: VsDest[]; retries?: { attempts?: number; retryOn?: string } };
type Subset = { name?: string; labels?: Record<string, string> };
type Backend = { service?: { name?: string; port?: { number?: number; name?: string } }; resource?: { name?: string } };
type IngressRule = { host?: string; http?: { paths?: Array<{ path?: string; backend?: Backend }> } };
type RouteMatch = { path?: { value?: string }; headers?: Array<{ name?: string; type?: string; value?: string }> };
type BackendRef = { name?: string; port?: number; weight?: number };
type RouteRule = { matches?: RouteMatch[]; backendRefs?: BackendRef[] };

function headerMatch(headers: Record<string, StringMatch | undefined> | undefined): string[] {
  return Object.entries(headers ?? {}).map(([h, v]) => {
    if (v?.exact !== undefined) return `${h}=${v.exact}`;
    if (v?.prefix !== undefined) return `${h}^=${v.prefix}`;
    if (v?.regex !== undefined) return `${h}~${v.regex}`;
    return h;
  });
}

function vsMatch(match: VsMatch[] | undefined): string {
  if (!match?.length) return '*';
  return match.map((m) => {
    const parts = headerMatch(m.headers);
    const uri = m.uri?.prefix ?? m.uri?.exact ?? m.uri?.regex;
    if (uri !== undefined) parts.unshift(`uri ${uri}`);
    return parts.join('&') || '*';
  }).join('|');
}

const vsDest = (d: VsDest | undefined): string => `${d?.destination?.host ?? '?'}${d?.destination?.subset ? `/${d.destination.subset}` : ''}`;

/** VirtualService http routes: "end-user=test-user -> reviews/v2 100; * -> reviews/v1 50, reviews/v2 50". */
export function summarizeVirtualService(vs: KubeObject): { routes: string; weights: Weights } {
  const http: VsHttp[] = vs.spec?.http ?? [];
  const weights: Weights = {};
  const routes = http.map((r) => {
    const dests = r.route ?? [];
    const to = dests.map((d) => `${vsDest(d)} ${d.weight ?? (dests.length === 1 ? 100 : 0)}`).join(', ');
    const retries = r.retries ? ` retries=${r.retries.attempts ?? '?'}${r.retries.retryOn ? `:${r.retries.retryOn}` : ''}` : '';
    return `${vsMatch(r.match)} -> ${to || 'nothing'}${retries}`;
  }).join('; ');
  // Declared shares of the catch-all route (the one without match), what most requests get.
  const fallback = http.find((r) => !r.match?.length)?.route ?? [];
  for (const d of fallback) weights[vsDest(d)] = d.weight ?? (fallback.length === 1 ? 100 : 0);
  return { routes, weights };
}

export function summarizeDestinationRule(dr: KubeObject): string {
  const subsets: Subset[] = dr.spec?.subsets ?? [];
  const labels = (l: Record<string, string> | undefined): string =>
    Object.entries(l ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  return `${dr.spec?.host ?? '?'}: ${subsets.map((s) => `${s.name}{${labels(s.labels)}}`).join(' ') || 'no subsets'}`;
}

const backend = (b: Backend | undefined): string => {
  const port = b?.service?.port?.number ?? b?.service?.port?.name;
  return `${b?.service?.name ?? b?.resource?.name ?? '?'}${port !== undefined ? `:${port}` : ''}`;
};

/** The nginx annotations that change routing or retries (canary, next-upstream, rewrite). */
export function routingAnnotations(obj: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj.metadata?.annotations ?? {})) {
    if (/canary|next-upstream|retr|rewrite-target|upstream-hash|use-regex/i.test(k)) out[k] = v;
  }
  return out;
}

export function summarizeIngress(ing: KubeObject): string {
  const parts: string[] = [];
  if (ing.spec?.defaultBackend) parts.push(`default -> ${backend(ing.spec.defaultBackend)}`);
  for (const rule of (ing.spec?.rules ?? []) as IngressRule[]) {
    for (const p of rule.http?.paths ?? []) parts.push(`${rule.host ?? '*'}${p.path ?? '/'} -> ${backend(p.backend)}`);
  }
  const ann = Object.entries(routingAnnotations(ing)).map(([k, v]) => `${k.replace(/^.*\//, '')}=${v}`);
  return [...parts, ...ann].join('; ');
}

export function summarizeHttpRoute(route: KubeObject): { routes: string; weights: Weights } {
  const weights: Weights = {};
  const rules: RouteRule[] = route.spec?.rules ?? [];
  const routes = rules.map((r) => {
    const matches = r.matches ?? [];
    const m = matches.map((x) => {
      const hs = (x.headers ?? []).map((h) => `${h.name}${h.type === 'RegularExpression' ? '~' : '='}${h.value}`);
      return [x.path?.value ? `path ${x.path.value}` : '', ...hs].filter(Boolean).join('&') || '*';
    }).join('|') || '*';
    const refs = r.backendRefs ?? [];
    if (m === '*' || m === 'path /') for (const b of refs) weights[String(b.name)] = b.weight ?? 1;
    return `${m} -> ${refs.map((b) => `${b.name}${b.port ? `:${b.port}` : ''} ${b.weight ?? 1}`).join(', ') || 'nothing'}`;
  }).join('; ');
  return { routes, weights };
}
