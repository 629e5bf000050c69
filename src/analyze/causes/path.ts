// What stood between the probe and the pods: an L7 proxy (an Ingress controller, Envoy, a Gateway) or
// the Service itself (kube-proxy, L4). Read from the watched route objects, the probe's URL and the
// failures themselves; "unknown" when none of them says.
import type { ConfigSnapshot, KubeObject } from '../../types.js';
import type { IncidentInput } from './rule-input.js';
import { isConnectionFailure, isProxyAnswer } from './kinds.js';
import { snapshotAt } from './facts.js';

/** An L7 proxy zdprobe can name, with the upstream timeouts it has unless configured otherwise. */
export interface Proxy {
  /** "ingress-nginx", "Traefik", "Envoy (Istio)", or "an unknown L7 proxy". */
  name: string;
  /** The route object that put it on the path: "Ingress web (class nginx)". */
  via: string;
  /** Seconds it waits to dial a pod before answering itself; undefined when not known. */
  connectS?: number;
  /** Seconds it waits for a taken request's response; 0 when it waits forever; undefined when not known. */
  readS?: number;
  /** What it answers when those run out. */
  connectAnswer?: string;
  readAnswer?: string;
  /** Retries that may answer from another pod instead. */
  retries?: string;
}

export type Path =
  | { layer: 'l7'; proxy: Proxy; why: string }
  | { layer: 'l4'; why: string }
  | { layer: 'unknown'; why: string; routes: string[] };

const ROUTE_KINDS = new Set(['Ingress', 'VirtualService', 'HTTPRoute']);
const seconds = (v: unknown): number | undefined => {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(String(v ?? '').trim());
  return m ? Number(m[1]) / (m[2] === 'ms' ? 1000 : 1) * (m[2] === 'm' ? 60 : 1) : undefined;
};

/** Hostnames a route object answers for; [] means every host (a catch-all). */
function hostsOf(o: KubeObject): string[] {
  if (o.kind === 'Ingress') return ((o.spec?.rules ?? []) as Array<{ host?: string }>).map((r) => r.host ?? '').filter(Boolean);
  if (o.kind === 'VirtualService') return ((o.spec?.hosts ?? []) as string[]).filter((h) => h !== '*');
  return ((o.spec?.hostnames ?? []) as string[]).filter((h) => h !== '*');
}

const hostMatches = (pattern: string, host: string): boolean =>
  pattern === host || (pattern.startsWith('*.') && host.endsWith(pattern.slice(1)));

function ingressProxy(o: KubeObject): Proxy {
  const klass: string = o.spec?.ingressClassName ?? o.metadata?.annotations?.['kubernetes.io/ingress.class'] ?? '';
  const via = `Ingress ${o.metadata?.name ?? '?'}, class ${klass || 'none'} (judged by the class name)`;
  const a = o.metadata?.annotations ?? {};
  if (/nginx/i.test(klass)) {
    return {
      name: 'ingress-nginx', via,
      connectS: seconds(a['nginx.ingress.kubernetes.io/proxy-connect-timeout']) ?? 5, connectAnswer: '504',
      readS: seconds(a['nginx.ingress.kubernetes.io/proxy-read-timeout']) ?? 60, readAnswer: '504',
      retries: 'ingress-nginx retries `error timeout` on the next pod for idempotent requests (proxy_next_upstream, 3 tries), so the client may instead have got another pod\'s answer',
    };
  }
  if (/traefik/i.test(klass)) return { name: 'Traefik', via, connectS: 30, connectAnswer: '504', readS: 0 };
  if (/istio/i.test(klass)) return envoy(via);
  return { name: 'an unknown L7 proxy', via };
}

const envoy = (via: string, routeTimeoutS?: number): Proxy => ({
  name: 'Envoy (Istio)', via, connectS: 10, connectAnswer: '503 (UF)',
  readS: routeTimeoutS ?? 0, readAnswer: '504 (UT)',
  retries: 'Istio retries connect failures twice by default, so the client may instead have got another pod\'s answer',
});

function proxyOf(o: KubeObject): Proxy {
  if (o.kind === 'Ingress') return ingressProxy(o);
  const name = o.metadata?.name ?? '?';
  if (o.kind === 'VirtualService') {
    const timeouts = ((o.spec?.http ?? []) as Array<{ timeout?: string }>).map((r) => seconds(r.timeout)).filter((s): s is number => s !== undefined);
    return envoy(`VirtualService ${name}`, timeouts[0]);
  }
  const backend = ((o.spec?.rules ?? []) as Array<{ timeouts?: { backendRequest?: string; request?: string } }>)
    .map((r) => seconds(r.timeouts?.backendRequest ?? r.timeouts?.request)).find((s) => s !== undefined);
  return { name: 'a Gateway API implementation (its GatewayClass is not watched)', via: `HTTPRoute ${name}`, ...(backend !== undefined ? { readS: backend, readAnswer: '504' } : {}) };
}

/** The probe's host is a Service itself: its ClusterIP or one of its DNS names. */
function serviceHost(snap: ConfigSnapshot | undefined, host: string): string | undefined {
  for (const s of (snap?.objects ?? []).filter((o) => o.kind === 'Service')) {
    const name = s.metadata?.name ?? '\0';
    const ns = s.metadata?.namespace ?? '';
    const names = [name, `${name}.${ns}`, `${name}.${ns}.svc`, `${name}.${ns}.svc.cluster.local`];
    if (s.spec?.clusterIP === host || names.includes(host)) return `Service ${name}`;
  }
  return undefined;
}

const hostOf = (url: string | undefined): string | undefined => {
  try {
    return url ? new URL(url).hostname.replace(/^\[|\]$/g, '') : undefined;
  } catch {
    return undefined;
  }
};

/** The path of the incident's requests; the failures' own kinds decide first, then the probe's host. */
export function pathOf(inc: IncidentInput, snapshots: ConfigSnapshot[]): Path {
  const kinds = Object.keys(inc.kinds).filter((k) => k !== 'timeout' && k !== 'unfinished' && k !== 'late');
  if (kinds.length && kinds.every(isConnectionFailure)) return { layer: 'l4', why: 'the client\'s own connections broke (no proxy answered for the pod)' };
  const snap = snapshotAt(snapshots, inc.start);
  const host = hostOf(inc.url);
  const svc = host ? serviceHost(snap, host) : undefined;
  if (svc) return { layer: 'l4', why: `the probe's host ${host} is ${svc}: kube-proxy (L4) forwards connections` };
  const routes = (snap?.objects ?? []).filter((o) => ROUTE_KINDS.has(o.kind ?? ''));
  const named = host ? routes.find((o) => hostsOf(o).some((h) => hostMatches(h, host))) : undefined;
  if (named) return { layer: 'l7', proxy: proxyOf(named), why: `the probe's host ${host} is routed by ${named.kind} ${named.metadata?.name ?? '?'}` };
  const catchAll = routes.find((o) => o.kind === 'Ingress' && hostsOf(o).length === 0);
  const answered = Object.keys(inc.kinds).some(isProxyAnswer) && !inc.samples.some((s) => s.version !== undefined && s.status !== undefined && s.status >= 500);
  if (catchAll && answered) return { layer: 'l7', proxy: proxyOf(catchAll), why: `the failures are a proxy's own answers and Ingress ${catchAll.metadata?.name ?? '?'} takes every host` };
  return { layer: 'unknown', why: 'no watched route object names the probe\'s host', routes: routes.map((o) => `${o.kind} ${o.metadata?.name ?? '?'}`) };
}
