import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  countBySeverity, renderFindings, renderFindingsJson, renderFindingsSarif, renderFindingsTable,
} from '../../src/report/findings.js';
import { RULES } from '../../src/analyze/rules/index.js';
import type { Finding } from '../../src/types.js';

const F: Finding[] = [
  { id: 'vs-missing-fallback', severity: 'error', object: 'VirtualService/bookinfo/reviews', file: 'deploy/my vs.yaml', line: 12, message: 'all routes match', fix: 'add a fallback' },
  { id: 'deploy-no-prestop', severity: 'warning', object: 'Deployment/web', file: '<stdin>', line: 3, message: 'no preStop', fix: 'add one' },
  { id: 'svc-selects-version', severity: 'info', object: 'Service/shop/reviews-v2', message: 'per-version', fix: 'select on app' },
];

test('counts findings by severity', () => {
  assert.deepEqual(countBySeverity(F), { error: 1, warning: 1, info: 1 });
});

test('the table shows every finding with where it is and how to fix it, and a count line', () => {
  const out = renderFindingsTable(F);
  for (const s of ['severity', 'vs-missing-fallback', 'deploy/my vs.yaml:12', '<stdin>:3', '(cluster)', 'fix: add a fallback', 'VirtualService/bookinfo/reviews']) {
    assert.ok(out.includes(s), `table lacks ${s}`);
  }
  assert.ok(out.endsWith('1 error(s), 1 warning(s), 1 info\n'));
  assert.ok(!out.includes('\u001b['), 'no colour codes');
});

test('an empty table says so', () => {
  assert.equal(renderFindingsTable([]), 'No findings.\n');
});

test('json carries the tool, the counts and the findings unchanged', () => {
  const doc = JSON.parse(renderFindingsJson(F));
  assert.equal(doc.tool.name, 'zdprobe');
  assert.equal(typeof doc.tool.version, 'string');
  assert.deepEqual(doc.counts, { error: 1, warning: 1, info: 1 });
  assert.deepEqual(doc.findings, F);
});

test('sarif 2.1.0: one run, every rule described, one result per finding', () => {
  const doc = JSON.parse(renderFindingsSarif(F, RULES));
  assert.equal(doc.version, '2.1.0');
  assert.match(doc.$schema, /sarif-2\.1\.0/);
  assert.equal(doc.runs.length, 1);
  const { driver } = doc.runs[0].tool;
  assert.equal(driver.name, 'zdprobe');
  assert.deepEqual(driver.rules.map((r: { id: string }) => r.id), RULES.map((r) => r.id));
  assert.ok(driver.rules.every((r: any) => r.shortDescription.text && r.fullDescription.text && r.help.markdown.includes('```yaml')));
  const results = doc.runs[0].results;
  assert.deepEqual(results.map((r: any) => r.level), ['error', 'warning', 'note']);
  assert.deepEqual(results.map((r: any) => driver.rules[r.ruleIndex].id), F.map((f) => f.id));
  assert.deepEqual(results[0].locations[0].physicalLocation, { artifactLocation: { uri: 'deploy/my%20vs.yaml' }, region: { startLine: 12 } });
  assert.match(results[0].message.text, /all routes match\. Fix: add a fallback\./);
});

test('sarif: stdin and live objects get a logical location only', () => {
  const results = JSON.parse(renderFindingsSarif(F, RULES)).runs[0].results;
  for (const r of results.slice(1)) {
    assert.equal(r.locations[0].physicalLocation, undefined);
    assert.equal(r.locations[0].logicalLocations[0].kind, 'resource');
  }
  assert.equal(results[2].locations[0].logicalLocations[0].fullyQualifiedName, 'Service/shop/reviews-v2');
});

test('renderFindings picks the format', () => {
  assert.equal(renderFindings(F, 'json', RULES), renderFindingsJson(F));
  assert.equal(renderFindings(F, 'sarif', RULES), renderFindingsSarif(F, RULES));
  assert.equal(renderFindings(F, 'table', RULES), renderFindingsTable(F));
});
