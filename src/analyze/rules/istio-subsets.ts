// Subsets: every routed subset must be defined, and every defined subset must select pods.
import type { Finding, Severity, SourcedObject } from '../../types.js';
import { finding, lower, type Rule } from './rule.js';
import { serviceSelects } from '../../kube/selector.js';
import { nsOf, sameNs, type Index } from './index-objects.js';
import type { Subset } from '../../kube/route-objects.js';
import {
  destinationsOf, resolveHost, rulesForHost, sameHost, showHost, subsetsOf, type HostRef, type RouteDest,
} from './istio-model.js';

const DR_BASE = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  subsets:
  - name: v1
    labels: {version: v1}
`;
const VS_SPLIT = `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: 50
    - destination: {host: reviews, subset: v2}
      weight: 50
`;
const V2_SUBSET = `  - name: v2
    labels: {version: v2}
`;
const deployment = (v: string): string => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: reviews-${v}}
spec:
  selector: {matchLabels: {app: reviews, version: ${v}}}
  template:
    metadata: {labels: {app: reviews, version: ${v}}}
    spec: {containers: [{name: reviews, image: reviews:${v}}]}
`;

function isDefined(ix: Index, d: RouteDest): boolean {
  return rulesForHost(ix.destinationRules, d.host).some((dr) => subsetsOf(dr).some((s) => s?.name === d.subset));
}

export const vsUnknownSubset: Rule = {
  id: 'vs-unknown-subset',
  severity: 'error',
  title: 'Route to a subset no DestinationRule defines',
  description: 'A VirtualService route names a subset that no DestinationRule for that host '
    + 'defines, so every request sent there fails (503, no route to cluster). Add the subset to '
    + 'the DestinationRule before any route points at it; remove routes before subsets. When the '
    + 'input holds no DestinationRule at all the finding is one level lower.',
  bad: DR_BASE + VS_SPLIT,
  good: DR_BASE + V2_SUBSET + VS_SPLIT,
  check(ix) {
    const out: Finding[] = [];
    for (const d of ix.virtualServices.flatMap(destinationsOf)) {
      if (d.subset === undefined || isDefined(ix, d)) continue;
      const base: Severity = d.weight > 0 ? 'error' : 'warning';
      const sev = ix.destinationRules.length === 0 ? lower(base) : base;
      if (!sev) continue;
      out.push(finding(this.id, sev, d.vs,
        `${d.where} routes ${d.weight}% to subset "${d.subset}" of ${showHost(d.host)}, but no DestinationRule for that host defines it`,
        `add subset "${d.subset}" to the DestinationRule of ${showHost(d.host)} first, then shift weight to it`));
    }
    return out;
  },
};

const DR_SUBSET_ID = 'dr-subset-no-workload';

/** The most traffic any route sends to this host's subset (0 when nothing routes there). */
function routedWeight(ix: Index, host: HostRef, subset: string): number {
  return ix.virtualServices.flatMap(destinationsOf)
    .filter((d) => d.subset === subset && sameHost(d.host, host))
    .reduce((max, d) => Math.max(max, d.weight), 0);
}

function serviceSelector(ix: Index, host: HostRef): Record<string, string> {
  const svc = ix.services.find((s) => s.obj.metadata?.name === host.name && sameNs(nsOf(s.obj), host.ns));
  const selector: unknown = svc?.obj.spec?.selector;
  return selector && typeof selector === 'object' ? (selector as Record<string, string>) : {};
}

function selectsWorkload(ix: Index, host: HostRef, labels: Record<string, string>): boolean {
  const selector = { ...serviceSelector(ix, host), ...labels };
  return ix.workloads.some((w) => sameNs(w.ns, host.ns) && serviceSelects(selector, w.labels));
}

function checkSubset(ix: Index, dr: SourcedObject, host: HostRef, s: Subset): Finding | null {
  const labels = s?.labels;
  if (!labels || typeof labels !== 'object' || Object.keys(labels).length === 0) return null;
  if (selectsWorkload(ix, host, labels)) return null;
  const weight = routedWeight(ix, host, String(s.name));
  const base: Severity = weight > 0 ? 'error' : 'info';
  const sev = ix.workloads.length === 0 ? lower(base) : base;
  if (!sev) return null;
  const shown = Object.entries(labels).map(([k, v]) => `${k}=${String(v)}`).join(',');
  const traffic = weight > 0 ? `, yet a route sends it ${weight}%` : ' (no route sends it traffic yet)';
  return finding(DR_SUBSET_ID, sev, dr, `subset "${String(s.name)}" (${shown}) selects no workload's pods${traffic}`,
    weight > 0 ? `deploy the workload for subset "${String(s.name)}" before routing to it, or route its weight elsewhere first`
      : `deploy the workload before routing to subset "${String(s.name)}", or drop the subset when that version is retired`);
}

export const drSubsetNoWorkload: Rule = {
  id: DR_SUBSET_ID,
  severity: 'error',
  title: 'DestinationRule subset selects no workload',
  description: "A subset's labels (together with its Service's selector) match no workload's pod "
    + 'template. If a route sends it traffic, those requests fail (503, no healthy upstream): '
    + 'error. If nothing routes there yet, it is the normal first step of adding a version: info. '
    + 'When the input holds no workload at all the finding is one level lower.',
  bad: DR_BASE + V2_SUBSET + VS_SPLIT + deployment('v1'),
  good: DR_BASE + V2_SUBSET + VS_SPLIT + deployment('v1') + deployment('v2'),
  check(ix) {
    return ix.destinationRules.flatMap((dr) => {
      const host = resolveHost(String(dr.obj.spec?.host ?? ''), nsOf(dr.obj));
      if (host.ns === '*') return [];
      return subsetsOf(dr).map((s) => checkSubset(ix, dr, host, s)).filter((f): f is Finding => f !== null);
    });
  },
};
