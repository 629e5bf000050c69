import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRules } from '../../../src/analyze/rules/index.js';
import { drSubsetNoWorkload, vsUnknownSubset } from '../../../src/analyze/rules/istio-subsets.js';
import { resolveHost, sameHost } from '../../../src/analyze/rules/istio-model.js';
import type { KubeObject, SourcedObject } from '../../../src/types.js';

const ISTIO = 'networking.istio.io/v1';
const dr = (ns: string, host: string, subsets: string[], name = 'reviews'): KubeObject => ({
  apiVersion: ISTIO, kind: 'DestinationRule', metadata: { name, namespace: ns },
  spec: { host, subsets: subsets.map((s) => ({ name: s, labels: { version: s } })) },
});
const vs = (ns: string, host: string, split: Array<[string, number]>): KubeObject => ({
  apiVersion: ISTIO, kind: 'VirtualService', metadata: { name: 'reviews', namespace: ns },
  spec: { hosts: ['reviews'], http: [{ route: split.map(([subset, weight]) => ({ destination: { host, subset }, weight })) }] },
});
const deploy = (ns: string, app: string, version: string): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `${app}-${version}`, namespace: ns },
  spec: { template: { metadata: { labels: { app, version } }, spec: { containers: [] } } },
});
const svc = (ns: string, name: string): KubeObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app: name } },
});
const src = (...objs: KubeObject[]): SourcedObject[] => objs.map((obj) => ({ obj }));
const sevs = (objs: SourcedObject[], rule = vsUnknownSubset): string[] => runRules(objs, [rule]).map((f) => f.severity);

test('hosts: short names resolve in the namespace of their object, FQDNs carry their own', () => {
  assert.deepEqual(resolveHost('reviews', 'prod'), { name: 'reviews', ns: 'prod' });
  assert.deepEqual(resolveHost('reviews.default.svc.cluster.local', 'prod'), { name: 'reviews', ns: 'default' });
  assert.deepEqual(resolveHost('reviews.default.svc', 'prod'), { name: 'reviews', ns: 'default' });
  assert.deepEqual(resolveHost('shop.example.com', 'prod'), { name: 'shop.example.com', ns: '*' });
  assert.ok(sameHost(resolveHost('reviews', ''), resolveHost('reviews.bookinfo.svc.cluster.local', '')));
  assert.ok(!sameHost(resolveHost('reviews', 'a'), resolveHost('reviews', 'b')));
});

const unknownCases: Array<[string, SourcedObject[], string[]]> = [
  ['a defined subset is fine', src(dr('d', 'reviews', ['v1', 'v2']), vs('d', 'reviews', [['v1', 50], ['v2', 50]])), []],
  ['a short-name route matches an FQDN DestinationRule',
    src(dr('d', 'reviews.d.svc.cluster.local', ['v1', 'v2']), vs('d', 'reviews', [['v1', 50], ['v2', 50]])), []],
  ['an FQDN route matches a short-name DestinationRule in that namespace',
    src(dr('bookinfo', 'reviews', ['v1', 'v2']), vs('gw', 'reviews.bookinfo.svc.cluster.local', [['v1', 50], ['v2', 50]])), []],
  ['a subset defined only for the same name in another namespace is unknown',
    src(dr('other', 'reviews', ['v1', 'v2']), dr('d', 'reviews', ['v1']), vs('d', 'reviews', [['v1', 50], ['v2', 50]])), ['error']],
  ['weight shifted to a subset not defined yet is an error', src(dr('d', 'reviews', ['v1']), vs('d', 'reviews', [['v1', 90], ['v2', 10]])), ['error']],
  ['weight 0 to an undefined subset is a warning', src(dr('d', 'reviews', ['v1']), vs('d', 'reviews', [['v1', 100], ['v2', 0]])), ['warning']],
  ['with no DestinationRule in the input it is one level lower', src(vs('d', 'reviews', [['v1', 90], ['v2', 10]])), ['warning', 'warning']],
];

for (const [name, objs, expected] of unknownCases) {
  test(`vs-unknown-subset: ${name}`, () => assert.deepEqual(sevs(objs), expected));
}

const noWorkloadCases: Array<[string, SourcedObject[], string[]]> = [
  ['every subset has its Deployment', src(svc('d', 'reviews'), dr('d', 'reviews', ['v1', 'v2']), vs('d', 'reviews', [['v1', 50], ['v2', 50]]),
    deploy('d', 'reviews', 'v1'), deploy('d', 'reviews', 'v2')), []],
  ['a routed subset without pods is an error', src(svc('d', 'reviews'), dr('d', 'reviews', ['v1', 'v2']), vs('d', 'reviews', [['v1', 50], ['v2', 50]]),
    deploy('d', 'reviews', 'v2')), ['error']],
  ['a subset added before its Deployment, with no traffic yet, is info', src(dr('d', 'reviews', ['v1', 'v2']), vs('d', 'reviews', [['v1', 100], ['v2', 0]]),
    deploy('d', 'reviews', 'v1')), ['info']],
  ["another app's v2 pods do not serve this host's subset", src(svc('d', 'reviews'), dr('d', 'reviews', ['v1', 'v2']), vs('d', 'reviews', [['v1', 50], ['v2', 50]]),
    deploy('d', 'reviews', 'v1'), deploy('d', 'ratings', 'v2')), ['error']],
  ['pods in another namespace do not count', src(dr('d', 'reviews', ['v1']), vs('d', 'reviews', [['v1', 100]]), deploy('e', 'reviews', 'v1')), ['error']],
  ['with no workload in the input, routed subsets are warnings and unrouted ones are dropped',
    src(dr('d', 'reviews', ['v1', 'v2']), vs('d', 'reviews', [['v1', 100], ['v2', 0]])), ['warning']],
];

for (const [name, objs, expected] of noWorkloadCases) {
  test(`dr-subset-no-workload: ${name}`, () => assert.deepEqual(sevs(objs, drSubsetNoWorkload), expected));
}
