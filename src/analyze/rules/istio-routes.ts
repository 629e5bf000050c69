// VirtualService route blocks: is there a fallback, and do the weights say what the author means?
import type { Finding } from '../../types.js';
import { finding, type Rule } from './rule.js';
import { httpBlocksOf, routesOf } from './istio-model.js';
import type { HttpMatchRequest, VsHttpRoute } from '../../kube/route-objects.js';

const hasMatch = (block: VsHttpRoute): boolean => Array.isArray(block?.match) && block.match.length > 0;

// A match entry with no condition, or only `uri: {prefix: /}`, lets every request through.
function matchesAll(m: HttpMatchRequest | null): boolean {
  if (!m || typeof m !== 'object') return true;
  const keys = Object.keys(m).filter((k) => k !== 'name');
  if (keys.length === 0) return true;
  return keys.length === 1 && m.uri?.prefix === '/' && Object.keys(m.uri ?? {}).length === 1;
}

const isFallback = (block: VsHttpRoute): boolean => !hasMatch(block) || (block.match ?? []).some(matchesAll);

export const vsMissingFallback: Rule = {
  id: 'vs-missing-fallback',
  severity: 'error',
  title: 'VirtualService has no route without a match',
  description: 'When every http route of a VirtualService has `match` conditions, a request that '
    + 'matches none of them has nowhere to go and fails (404 from the sidecar or gateway). '
    + 'End the list with a route that has no `match`.',
  bad: `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - match:
    - headers:
        end-user: {exact: test-user}
    route:
    - destination: {host: reviews, subset: v2}
`,
  good: `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - match:
    - headers:
        end-user: {exact: test-user}
    route:
    - destination: {host: reviews, subset: v2}
  - route:
    - destination: {host: reviews, subset: v1}
`,
  check(ix) {
    const out: Finding[] = [];
    for (const vs of ix.virtualServices) {
      const blocks = httpBlocksOf(vs);
      if (blocks.length === 0 || blocks.some(isFallback)) continue;
      out.push(finding(this.id, this.severity, vs,
        `all ${blocks.length} http route(s) have a match condition: a request that matches none of them fails`,
        'add a last http route with no `match` that sends everything else to the stable version'));
    }
    return out;
  },
};

function checkWeights(block: VsHttpRoute): { severity: 'error' | 'warning'; message: string } | null {
  const routes = routesOf(block);
  const weights = routes.map((r) => (r?.weight === undefined ? undefined : Number(r.weight)));
  if (routes.length === 1) {
    const w = weights[0];
    if (w === undefined || w === 100) return null;
    return { severity: 'warning', message: `the only destination has weight ${w}, but a lone destination gets 100% of traffic` };
  }
  if (routes.length < 2) return null;
  const sum = weights.reduce<number>((a, w) => a + (w ?? 0), 0);
  if (sum === 100) return null;
  if (sum <= 0) return { severity: 'error', message: `${routes.length} destinations and no weight above 0: no share of traffic is declared` };
  return { severity: 'warning', message: `weights ${weights.map((w) => w ?? 0).join(' + ')} = ${sum}, not 100: older Istio rejects this, newer Istio rescales it, neither gives the shares as written` };
}

export const vsWeightsSum: Rule = {
  id: 'vs-weights-sum',
  severity: 'warning',
  title: 'Route weights do not add up to 100',
  description: 'The weights of the destinations of one route are percentages: they must add up '
    + 'to 100. Older Istio versions reject other sums; newer ones rescale them, so the shares '
    + 'you declared are not the shares you get. No weight at all on several destinations is an error.',
  bad: `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: helloworld}
spec:
  hosts: [helloworld]
  http:
  - route:
    - destination: {host: helloworld, subset: v1}
      weight: 90
    - destination: {host: helloworld, subset: v2}
      weight: 20
`,
  good: `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: helloworld}
spec:
  hosts: [helloworld]
  http:
  - route:
    - destination: {host: helloworld, subset: v1}
      weight: 90
    - destination: {host: helloworld, subset: v2}
      weight: 10
`,
  check(ix) {
    const out: Finding[] = [];
    for (const vs of ix.virtualServices) {
      httpBlocksOf(vs).forEach((block, i) => {
        const bad = checkWeights(block);
        if (bad) out.push(finding(this.id, bad.severity, vs, `http[${i}]: ${bad.message}`,
          'make the weights of each route add up to exactly 100 (for example 90/10, then 50/50, then 0/100)'));
      });
    }
    return out;
  },
};
