import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HttpRoute, Ingress, VirtualService } from '../../src/kube/route-objects.js';
import { httpRouteRoutes } from '../../src/kube/routing/from-gateway-api.js';
import { ingressRoutes } from '../../src/kube/routing/from-ingress.js';
import { virtualServiceRoutes } from '../../src/kube/routing/from-istio.js';
import type { Destination, Route } from '../../src/kube/routing/model.js';
import { judgeMatch, pickWeighted, selectRoute, shares, type Request } from '../../src/kube/routing/select.js';

const key = (d: Destination): string => `${d.host}${d.subset ? `/${d.subset}` : ''}`;
const sharesFor = (routes: Route[], req: Request): Record<string, number> | undefined => {
  const r = selectRoute(routes, req);
  return r && shares(r.backends, key);
};

const reviews: VirtualService = {
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'shop' },
  spec: {
    hosts: ['reviews'],
    http: [
      { match: [{ headers: { 'End-User': { exact: 'jason' } } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
      { match: [{ uri: { prefix: '/api' }, method: { exact: 'POST' } }], route: [{ destination: { host: 'reviews', subset: 'v3' } }] },
      { route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: 90 }, { destination: { host: 'reviews', subset: 'v3' }, weight: 10 }] },
    ],
  },
};

describe('routing model: which backends with which shares a request gets', () => {
  const vs = virtualServiceRoutes(reviews).routes;
  const cases: Array<[string, Request, Record<string, number>]> = [
    ['a header route sends jason to v2', { path: '/', method: 'GET', headers: { 'end-user': 'jason' } }, { 'reviews/v2': 100 }],
    ['path and method route POST /api to v3', { path: '/api/x', method: 'POST', headers: {} }, { 'reviews/v3': 100 }],
    ['GET /api falls through to the weighted split', { path: '/api/x', method: 'GET', headers: {} }, { 'reviews/v1': 90, 'reviews/v3': 10 }],
    ['anyone else gets the 90/10 split', { path: '/', method: 'GET', headers: { 'end-user': 'bob' } }, { 'reviews/v1': 90, 'reviews/v3': 10 }],
  ];
  for (const [name, req, want] of cases) it(name, () => assert.deepEqual(sharesFor(vs, req), want));

  it('an Istio match on a key the model does not follow cannot be judged', () => {
    const [route] = virtualServiceRoutes({ spec: { http: [{ match: [{ port: 8080 }], route: [{ destination: { host: 'a' } }] }] } }).routes;
    assert.deepEqual(route?.matches[0]?.unmodelled, ['port']);
    assert.equal(judgeMatch(route!.matches[0]!, { path: '/', headers: {} }), undefined);
  });

  it('a lone destination gets all traffic whatever its weight', () => {
    const routes = virtualServiceRoutes({ spec: { http: [{ route: [{ destination: { host: 'a' }, weight: 0 }] }] } }).routes;
    assert.deepEqual(sharesFor(routes, { path: '/', headers: {} }), { a: 100 });
  });

  it('ingress-nginx canary: by header, then by weight', () => {
    const ing = (name: string, svc: string, ann: Record<string, string> = {}): Ingress => ({
      kind: 'Ingress', metadata: { name, namespace: 'shop', annotations: ann },
      spec: { rules: [{ host: 'shop.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: svc, port: { number: 80 } } } }] } }] },
    });
    const canary = ing('web-canary', 'web-v2', {
      'nginx.ingress.kubernetes.io/canary': 'true',
      'nginx.ingress.kubernetes.io/canary-by-header': 'X-Canary',
      'nginx.ingress.kubernetes.io/canary-weight': '20',
    });
    const [host] = ingressRoutes([ing('web', 'web-v1'), canary]);
    const routes = host?.routes ?? [];
    assert.deepEqual(sharesFor(routes, { path: '/', headers: { 'x-canary': 'always' } }), { 'web-v2': 100 });
    assert.deepEqual(sharesFor(routes, { path: '/', headers: { 'x-canary': 'never' } }), { 'web-v1': 100 });
    assert.deepEqual(sharesFor(routes, { path: '/', headers: {} }), { 'web-v1': 80, 'web-v2': 20 });
  });

  it('Gateway API HTTPRoute: header rule, then weights defaulting to 1', () => {
    const hr: HttpRoute = {
      kind: 'HTTPRoute', metadata: { name: 'web', namespace: 'shop' },
      spec: { rules: [
        { matches: [{ headers: [{ name: 'X-Beta', value: '1' }] }], backendRefs: [{ name: 'web-v2', port: 80 }] },
        { backendRefs: [{ name: 'web-v1', port: 80, weight: 3 }, { name: 'web-v2', port: 80 }] },
      ] },
    };
    const routes = httpRouteRoutes(hr).routes;
    assert.deepEqual(sharesFor(routes, { path: '/x', headers: { 'x-beta': '1' } }), { 'web-v2': 100 });
    assert.deepEqual(sharesFor(routes, { path: '/x', headers: {} }), { 'web-v1': 75, 'web-v2': 25 });
  });

  it('a weighted pick walks the cumulative weights; all-zero weights pick nothing', () => {
    const backends = [{ backend: 'a', weight: 1 }, { backend: 'b', weight: 3 }];
    assert.deepEqual([0, 0.24, 0.25, 0.99].map((r) => pickWeighted(backends, r)), ['a', 'a', 'b', 'b']);
    assert.equal(pickWeighted([{ backend: 'a', weight: 0 }], 0.5), undefined);
  });
});
