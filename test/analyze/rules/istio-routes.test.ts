import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRules } from '../../../src/analyze/rules/index.js';
import { vsMissingFallback, vsWeightsSum } from '../../../src/analyze/rules/istio-routes.js';
import type { KubeObject } from '../../../src/types.js';

const vs = (spec: unknown): KubeObject => ({
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'r', namespace: 'ns' }, spec,
});
const dest = (subset: string, weight?: number): object => ({ destination: { host: 'r', subset }, ...(weight === undefined ? {} : { weight }) });
const header = { headers: { 'end-user': { exact: 'test-user' } } };

const fallbackCases: Array<[string, unknown, number]> = [
  ['a header route and a plain route has a fallback', { http: [{ match: [header], route: [dest('v2')] }, { route: [dest('v1')] }] }, 0],
  ['a header route alone has no fallback', { http: [{ match: [header], route: [dest('v2')] }] }, 1],
  ['two matched routes have no fallback', { http: [{ match: [header], route: [dest('v2')] }, { match: [{ uri: { prefix: '/api' } }], route: [dest('v1')] }] }, 1],
  ['a match on uri prefix / is a fallback', { http: [{ match: [header], route: [dest('v2')] }, { match: [{ uri: { prefix: '/' } }], route: [dest('v1')] }] }, 0],
  ['an empty match list is a fallback', { http: [{ match: [], route: [dest('v1')] }] }, 0],
  ['a .*debug.* header regex alone has no fallback', { http: [{ match: [{ headers: { cookie: { regex: '.*debug.*' } } }], route: [dest('debug')] }] }, 1],
  ['a tcp-only VirtualService is not checked', { tcp: [{ match: [{ port: 27017 }], route: [dest('v1')] }] }, 0],
];

for (const [name, spec, n] of fallbackCases) {
  test(`vs-missing-fallback: ${name}`, () => {
    const found = runRules([{ obj: vs(spec) }], [vsMissingFallback]);
    assert.equal(found.length, n);
    if (n) assert.equal(found[0]?.severity, 'error');
  });
}

const weightCases: Array<[string, object[], string | null]> = [
  ['90/10 is fine', [dest('v1', 90), dest('v2', 10)], null],
  ['100/0 is fine', [dest('v1', 100), dest('v2', 0)], null],
  ['one destination without weight is fine', [dest('v1')], null],
  ['one destination with weight 100 is fine', [dest('v1', 100)], null],
  ['90/20 adds up to 110', [dest('v1', 90), dest('v2', 20)], 'warning'],
  ['50 and a missing weight add up to 50', [dest('v1', 50), dest('v2')], 'warning'],
  ['one destination with weight 10 still takes everything', [dest('v1', 10)], 'warning'],
  ['two destinations without weights declare no share', [dest('v1'), dest('v2')], 'error'],
  ['0/0 declares no share', [dest('v1', 0), dest('v2', 0)], 'error'],
];

for (const [name, route, severity] of weightCases) {
  test(`vs-weights-sum: ${name}`, () => {
    const found = runRules([{ obj: vs({ http: [{ route }] }) }], [vsWeightsSum]);
    assert.deepEqual(found.map((f) => f.severity), severity ? [severity] : []);
  });
}

test('vs-weights-sum names the route block that is wrong', () => {
  const spec = { http: [{ match: [header], route: [dest('v2')] }, { route: [dest('v1', 50), dest('v2', 40)] }] };
  const [f] = runRules([{ obj: vs(spec) }], [vsWeightsSum]);
  assert.match(f?.message ?? '', /^http\[1\]: weights 50 \+ 40 = 90/);
});
