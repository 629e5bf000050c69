import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRules } from '../../../src/analyze/rules/index.js';
import { svcSelectsVersion } from '../../../src/analyze/rules/service-selector.js';

const svc = (name: string, selector: Record<string, string>, apiVersion = 'v1') => ({
  obj: { apiVersion, kind: 'Service', metadata: { name }, spec: { selector } },
});

const cases: Array<[string, ReturnType<typeof svc>, string[]]> = [
  ['selecting on app only is fine', svc('helloworld', { app: 'helloworld' }), []],
  ['selecting on app and revision (blue/green per colour) is fine', svc('nginx-v1.22.0', { app: 'nginx', revision: 'v1.22.0' }), []],
  ['selecting on version pins one version', svc('helloworld', { app: 'helloworld', version: 'v1' }), ['warning']],
  ['selecting on app.kubernetes.io/version pins one version', svc('web', { app: 'web', 'app.kubernetes.io/version': '1.2' }), ['warning']],
  ['a Service named after the version it selects is deliberate: info', svc('reviews-v2', { app: 'reviews', version: 'v2' }), ['info']],
  ['a Knative Service is not a core Service', svc('web', { version: 'v1' }, 'serving.knative.dev/v1'), []],
];

for (const [name, s, expected] of cases) {
  test(`svc-selects-version: ${name}`, () => {
    assert.deepEqual(runRules([s], [svcSelectsVersion]).map((f) => f.severity), expected);
  });
}
