import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RULES, ruleInfos, runRules } from '../../../src/analyze/rules/index.js';
import { parseManifests } from '../../../src/analyze/load-manifests.js';
import type { SourcedObject } from '../../../src/types.js';

const CONTRACT = [
  'vs-missing-fallback', 'vs-unknown-subset', 'dr-subset-no-workload', 'vs-weights-sum', 'svc-selects-version',
  'deploy-no-readiness', 'deploy-no-prestop', 'deploy-max-unavailable', 'deploy-grace-too-short', 'rollout-steps-decreasing',
];
const DOCS = readFileSync(new URL('../../../../docs/lint.md', import.meta.url), 'utf8');

test('the rule ids are exactly the contract ids', () => {
  assert.deepEqual(RULES.map((r) => r.id), CONTRACT);
});

for (const rule of RULES) {
  test(`${rule.id}: its bad example triggers it and its good example does not`, () => {
    const bad = runRules(parseManifests(rule.bad, 'bad.yaml'), [rule]);
    assert.ok(bad.length > 0, `${rule.id} found nothing in its bad example`);
    assert.ok(bad.every((f) => f.id === rule.id));
    assert.equal(bad[0]?.severity, rule.severity, 'the bad example shows the rule at its own severity');
    assert.deepEqual(runRules(parseManifests(rule.good, 'good.yaml'), [rule]), []);
  });

  test(`${rule.id}: docs/lint.md documents it with its bad and good example`, () => {
    assert.match(DOCS, new RegExp(`^## \`${rule.id}\``, 'm'));
    assert.ok(DOCS.includes(rule.bad), `bad example of ${rule.id} is not in docs/lint.md`);
    assert.ok(DOCS.includes(rule.good), `good example of ${rule.id} is not in docs/lint.md`);
    assert.ok(DOCS.includes(rule.title), `title of ${rule.id} is not in docs/lint.md`);
  });
}

test('ruleInfos carries the documented face of every rule and no check', () => {
  const infos = ruleInfos();
  assert.equal(infos.length, RULES.length);
  assert.deepEqual(Object.keys(infos[0] ?? {}).sort(), ['bad', 'description', 'good', 'id', 'severity', 'title']);
});

test('live objects (no file, no line) give findings without file or line', () => {
  const live: SourcedObject[] = parseManifests(RULES[0]?.bad ?? '', 'x.yaml').map(({ obj }) => ({ obj }));
  const [f] = runRules(live);
  assert.equal(f?.id, 'vs-missing-fallback');
  assert.equal(f?.file, undefined);
  assert.equal(f?.line, undefined);
  assert.equal(f?.object, 'VirtualService/reviews');
});

test('odd shapes (null spec, string labels, non-array routes) never throw', () => {
  const odd: SourcedObject[] = [
    { obj: { kind: 'Deployment', apiVersion: 'apps/v1', spec: null } },
    { obj: { kind: 'Deployment', apiVersion: 'apps/v1', spec: { template: { metadata: { labels: null }, spec: { containers: 'x' } } } } },
    { obj: { kind: 'Service', apiVersion: 'v1', spec: { selector: 'app' } } },
    { obj: { kind: 'VirtualService', apiVersion: 'networking.istio.io/v1', spec: { http: [{ route: 'x', match: 3 }] } } },
    { obj: { kind: 'DestinationRule', apiVersion: 'networking.istio.io/v1', spec: { host: 7, subsets: [null, { name: 'a', labels: 'x' }] } } },
    { obj: { kind: 'Rollout', apiVersion: 'argoproj.io/v1alpha1', spec: { strategy: { canary: { steps: [null, 3] } } } } },
  ];
  assert.doesNotThrow(() => runRules(odd));
});

test('findings are ordered by file, then line', () => {
  const a = parseManifests(RULES[0]?.bad ?? '', 'b.yaml');
  const b = parseManifests(`---\n# pad\n${RULES[0]?.bad ?? ''}`, 'a.yaml');
  const found = runRules([...a, ...b]).filter((f) => f.id === 'vs-missing-fallback');
  assert.deepEqual(found.map((f) => `${f.file}:${f.line}`), ['a.yaml:3', 'b.yaml:1']);
});
