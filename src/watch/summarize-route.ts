// One-line summaries of routing objects, so a report can show what the routes said at each moment.
import type { KubeObject } from '../kube/object.js';
import type {
  DestinationRule, HttpMatchRequest, HttpRoute, HttpRouteDestination, Ingress, IngressBackend, IstioStringMatch, VirtualService,
} from '../kube/route-objects.js';

type Weights = Record<string, number>;

function headerMatch(headers: Record<string, IstioStringMatch> | undefined): string[] {
  return Object.entries(headers ?? {}).map(([h, v]) => {
    if (v?.exact !== undefined) return `${h}=${v.exact}`;
    if (v?.prefix !== undefined) return `${h}^=${v.prefix}`;
    if (v?.regex !== undefined) return `${h}~${v.regex}`;
    return h;
  });
}

function vsMatch(match: HttpMatchRequest[] | undefined): string {
  if (!match?.length) return '*';
  return match.map((m) => {
    const parts = headerMatch(m.headers);
    const uri = m.uri?.prefix ?? m.uri?.exact ?? m.uri?.regex;
    if (uri !== undefined) parts.unshift(`uri ${uri}`);
    return parts.join('&') || '*';
  }).join('|');
}

const vsDest = (d: HttpRouteDestination | undefined): string => `${d?.destination?.host ?? '?'}${d?.destination?.subset ? `/${d.destination.subset}` : ''}`;

/** VirtualService http routes: "end-user=test-user -> reviews/v2 100; * -> reviews/v1 50, reviews/v2 50". */
export function summarizeVirtualService(vs: VirtualService): { routes: string; weights: Weights } {
  const http = vs.spec?.http ?? [];
  const weights: Weights = {};
  const routes = http.map((r) => {
    const dests = r.route ?? [];
    const to = dests.map((d) => `${vsDest(d)} ${d.weight ?? (dests.length === 1 ? 100 : 0)}`).join(', ');
    const retries = r.retries ? ` retries=${r.retries.attempts ?? '?'}${r.retries.retryOn ? `:${r.retries.retryOn}` : ''}` : '';
    return `${vsMatch(r.match)} -> ${to || 'nothing'}${retries}`;
  }).join('; ');
  // Declared shares of the catch-all route (the one without match), what most requests get.
  const fallback = http.find((r) => !r.match?.length);
  const catchAll = fallback?.route ?? [];
  for (const d of catchAll) weights[vsDest(d)] = d.weight ?? (catchAll.length === 1 ? 100 : 0);
  return { routes, weights };
}

export function summarizeDestinationRule(dr: DestinationRule): string {
  const subsets = dr.spec?.subsets ?? [];
  const labels = (l: Record<string, string> | undefined): string =>
    Object.entries(l ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  return `${dr.spec?.host ?? '?'}: ${subsets.map((s) => `${s.name}{${labels(s.labels)}}`).join(' ') || 'no subsets'}`;
}

const backend = (b: IngressBackend | undefined): string => {
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

export function summarizeIngress(ing: Ingress): string {
  const parts: string[] = [];
  if (ing.spec?.defaultBackend) parts.push(`default -> ${backend(ing.spec.defaultBackend)}`);
  for (const rule of ing.spec?.rules ?? []) {
    for (const p of rule.http?.paths ?? []) parts.push(`${rule.host ?? '*'}${p.path ?? '/'} -> ${backend(p.backend)}`);
  }
  const ann = Object.entries(routingAnnotations(ing)).map(([k, v]) => `${k.replace(/^.*\//, '')}=${v}`);
  return [...parts, ...ann].join('; ');
}

export function summarizeHttpRoute(route: HttpRoute): { routes: string; weights: Weights } {
  const weights: Weights = {};
  const rules = route.spec?.rules ?? [];
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
