import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRoutingModel } from '../../../src/lab/ingress/build-model.js';
import { applyRewrite, pickBackend, selectRoute, selectVhost } from '../../../src/lab/ingress/select-route.js';
import type { BackendRef, RoutingModel } from '../../../src/lab/ingress/model.js';
import type { KubeObject } from '../../../src/types.js';
import { destinationRule, ingress, service, slice, to, versionedService, virtualService } from './objects.js';

/** Where a request goes: endpoints of the picked backend, or the status the gateway answers. */
function route(model: RoutingModel, host: string, path: string, headers: Record<string, string> = {}, rand = 0): string[] | number {
  const v = selectVhost(model, host);
  const r = v === undefined ? undefined : selectRoute(v, path, headers);
  if (r === undefined) return 404;
  const b: BackendRef = pickBackend(r, rand);
  if ('status' in b) return b.status;
  const eps = model.upstreams[b.upstream]?.endpoints ?? [];
  return eps.length === 0 ? 503 : eps;
}

const helloworld = (http: unknown[], subsets = ['v1', 'v2']): KubeObject[] => [
  ...versionedService('helloworld', 5000, { v1: ['127.0.1.1'], v2: ['127.0.1.2'] }),
  destinationRule('helloworld', subsets),
  virtualService('helloworld', ['helloworld'], http),
];

test('pattern 1: weighted subsets split by weight and pick endpoints by pod labels', () => {
  const m = buildRoutingModel(helloworld([{ route: [to('helloworld', 'v1', 90), to('helloworld', 'v2', 10)] }]));
  assert.deepEqual(route(m, 'helloworld', '/', {}, 0.5), ['127.0.1.1:5000']);
  assert.deepEqual(route(m, 'helloworld', '/', {}, 0.95), ['127.0.1.2:5000']);
  // The lone VirtualService also serves a Host nothing names (a probe of 127.0.0.1:port).
  assert.deepEqual(route(m, '127.0.0.1:8080', '/', {}, 0.95), ['127.0.1.2:5000']);
});

test('pattern 1: weight shifted to a subset no DestinationRule defines answers 503', () => {
  const m = buildRoutingModel(helloworld([{ route: [to('helloworld', 'v1', 50), to('helloworld', 'v2', 50)] }], ['v1']));
  assert.deepEqual(route(m, 'helloworld', '/', {}, 0.1), ['127.0.1.1:5000']);
  assert.equal(route(m, 'helloworld', '/', {}, 0.9), 503);
});

test('pattern 1: a VirtualService whose routes all have matches 404s what matches nothing', () => {
  const http = [{ match: [{ headers: { 'x-debug': { regex: '.*debug.*' } } }], route: [to('helloworld', 'v2')] }];
  const m = buildRoutingModel(helloworld(http));
  assert.deepEqual(route(m, 'helloworld', '/', { 'x-debug': 'a-debug-b' }), ['127.0.1.2:5000']);
  assert.equal(route(m, 'helloworld', '/'), 404);
});

test('pattern 2: blue/green Ingress rewrites /green/foo to /foo and sends the rest to blue', () => {
  const objs = [
    service('blue'), slice('blue', 8080, [{ ip: '127.0.2.1' }]),
    service('green'), slice('green', 8080, [{ ip: '127.0.2.2' }]),
    ingress('web', [['/*', 'blue'], ['/green(/|$)(.*)', 'green']], { 'nginx.ingress.kubernetes.io/rewrite-target': '/$2', 'nginx.ingress.kubernetes.io/use-regex': 'true' }),
  ];
  const m = buildRoutingModel(objs);
  assert.deepEqual(route(m, 'any.example', '/green/foo'), ['127.0.2.2:8080']);
  assert.deepEqual(route(m, 'any.example', '/GREEN/foo'), ['127.0.2.2:8080']);
  assert.deepEqual(route(m, 'any.example', '/foo'), ['127.0.2.1:8080']);
  const green = selectRoute(selectVhost(m, 'x')!, '/green/foo', {})!;
  assert.equal(applyRewrite(green.rewrite, '/green/foo'), '/foo');
  assert.equal(applyRewrite(green.rewrite, '/green'), '/');
});

test('pattern 3: end-user test-user goes to v2 only, everyone else to v1', () => {
  const objs = [
    ...versionedService('reviews', 9080, { v1: ['127.0.3.1'], v2: ['127.0.3.2'], v3: ['127.0.3.3'] }),
    destinationRule('reviews', ['v1', 'v2', 'v3']),
    virtualService('reviews', ['reviews'], [
      { match: [{ headers: { 'end-user': { exact: 'test-user' } } }], route: [to('reviews', 'v2')] },
      { route: [to('reviews', 'v1')] },
    ]),
  ];
  const m = buildRoutingModel(objs);
  for (const rand of [0, 0.5, 0.99]) {
    assert.deepEqual(route(m, 'reviews', '/', { 'end-user': 'test-user' }, rand), ['127.0.3.2:9080']);
    assert.deepEqual(route(m, 'reviews.default.svc.cluster.local', '/', { 'end-user': 'other' }, rand), ['127.0.3.1:9080']);
  }
});

test('pattern 4: kruise canary service gets header traffic and its weight', () => {
  const objs = [
    service('web', 80, 8080), slice('web', 8080, [{ ip: '127.0.4.1' }, { ip: '127.0.4.2' }]),
    service('web-canary', 80, 8080), slice('web-canary', 8080, [{ ip: '127.0.4.9' }]),
    virtualService('web', ['web'], [
      { match: [{ headers: { version: { exact: 'canary' } } }], route: [to('web-canary')] },
      { route: [to('web', undefined, 50), to('web-canary', undefined, 50)] },
    ]),
  ];
  const m = buildRoutingModel(objs);
  assert.deepEqual(route(m, 'web', '/', { version: 'canary' }), ['127.0.4.9:8080']);
  assert.deepEqual(route(m, 'web', '/', {}, 0.2), ['127.0.4.1:8080', '127.0.4.2:8080']);
  assert.deepEqual(route(m, 'web', '/', {}, 0.7), ['127.0.4.9:8080']);
});

test('pattern 5: only ready endpoints are upstreams; none ready answers 503', () => {
  const eps = [{ ip: '127.0.5.1', ready: false, terminating: true }, { ip: '127.0.5.2' }, { ip: '127.0.5.3', ready: false }];
  const m = buildRoutingModel([service('app'), slice('app', 8080, eps), ingress('app', [['/', 'app']])]);
  assert.deepEqual(route(m, 'x', '/'), ['127.0.5.2:8080']);
  const none = buildRoutingModel([service('app'), slice('app', 8080, [eps[0]!]), ingress('app', [['/', 'app']])]);
  assert.equal(route(none, 'x', '/'), 503);
  assert.equal(route(buildRoutingModel([ingress('app', [['/', 'missing']])]), 'x', '/'), 503);
});

test('hosts: named VirtualServices only match their hosts when there are several', () => {
  const objs = [
    ...helloworld([{ route: [to('helloworld', 'v1')] }]),
    virtualService('other', ['other.example.com'], [{ route: [to('helloworld', 'v2')] }]),
  ];
  const m = buildRoutingModel(objs);
  assert.deepEqual(route(m, 'helloworld.default', '/'), ['127.0.1.1:5000']);
  assert.deepEqual(route(m, 'other.example.com:80', '/'), ['127.0.1.2:5000']);
  assert.equal(route(m, '127.0.0.1', '/'), 404);
});

test('ingress-nginx canary annotations: header always/never and weight', () => {
  const objs = [
    service('main'), slice('main', 8080, [{ ip: '127.0.6.1' }]),
    service('cand'), slice('cand', 8080, [{ ip: '127.0.6.2' }]),
    ingress('main', [['/', 'main']], {}, 'shop.example'),
    ingress('cand', [['/', 'cand']], {
      'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-by-header': 'X-Canary',
      'nginx.ingress.kubernetes.io/canary-weight': '30',
    }, 'shop.example'),
  ];
  const m = buildRoutingModel(objs);
  assert.deepEqual(route(m, 'shop.example', '/', { 'x-canary': 'always' }, 0.1), ['127.0.6.2:8080']);
  assert.deepEqual(route(m, 'shop.example', '/', { 'x-canary': 'never' }, 0.9), ['127.0.6.1:8080']);
  assert.deepEqual(route(m, 'shop.example', '/', {}, 0.5), ['127.0.6.1:8080']);
  assert.deepEqual(route(m, 'shop.example', '/', {}, 0.8), ['127.0.6.2:8080']);
});

test('Istio prefix rewrite and HTTPRoute weights', () => {
  const vs = virtualService('hw', ['hw'], [{ match: [{ uri: { prefix: '/api/' } }], rewrite: { uri: '/' }, route: [to('helloworld', 'v1')] }]);
  const m = buildRoutingModel([...helloworld([]).slice(0, 5), vs]);
  const r = selectRoute(selectVhost(m, 'hw')!, '/api/users', {})!;
  assert.equal(applyRewrite(r.rewrite, '/api/users'), '/users');
  const hr: KubeObject = {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'hr', namespace: 'default' },
    spec: { rules: [{ backendRefs: [{ name: 'blue', port: 80, weight: 3 }, { name: 'green', port: 80, weight: 1 }] }] },
  };
  const objs = [service('blue'), slice('blue', 8080, [{ ip: '127.0.7.1' }]), service('green'), slice('green', 8080, [{ ip: '127.0.7.2' }]), hr];
  const g = buildRoutingModel(objs);
  assert.deepEqual(route(g, 'x', '/', {}, 0.7), ['127.0.7.1:8080']);
  assert.deepEqual(route(g, 'x', '/', {}, 0.8), ['127.0.7.2:8080']);
});
