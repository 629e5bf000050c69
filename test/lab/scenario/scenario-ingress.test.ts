// A scenario's `ingress:` block defaults to the real proxy its routes stand for.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INGRESS_NGINX_LAG_MS, KUBE_PROXY_LAG_MS, loadScenario } from '../../../src/lab/scenario/scenario.js';
import { scenarioPlan } from '../../../src/lab/scenario/run-scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'zd-scenario-ingress-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, kind: string, ingress = '', probe = ''): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, `name: ${name}\n${ingress}probes:\n  - name: main\n${probe}manifests:\n  - { apiVersion: v1, kind: ${kind}, metadata: { name: web } }\n`);
  return path;
}

test('an Ingress scenario that states nothing gets ingress-nginx\'s lag and retries; a VirtualService one 1 s', () => {
  const byIngress = loadScenario(write('ing', 'Ingress')).ingress;
  const byMesh = loadScenario(write('vs', 'VirtualService')).ingress;
  assert.deepEqual([byIngress, byMesh], [{ propagationDelayMs: INGRESS_NGINX_LAG_MS }, { propagationDelayMs: 1000 }]);
});

test('stated values win: retry none, a delay, plain nginx, and real Traefik keeps the 1 s default', () => {
  const stated = loadScenario(write('stated', 'Ingress', 'ingress:\n  propagationDelay: 2s\n  retry: none\n  controller: nginx\n')).ingress;
  const traefik = loadScenario(write('traefik', 'Ingress', 'ingress:\n  controller: traefik\n')).ingress;
  assert.deepEqual([stated, traefik], [{ propagationDelayMs: 2000, retry: 'none', controller: 'nginx' }, { propagationDelayMs: 1000, controller: 'traefik' }]);
});

test('the Service proxy has its own lag: kube-proxy\'s 1 s unless stated, whatever the ingress states', () => {
  const byDefault = loadScenario(write('svc', 'Ingress', 'ingress:\n  propagationDelay: 3s\n', '    service: web\n'));
  const stated = loadScenario(write('svc-stated', 'Ingress', 'serviceProxy:\n  propagationDelay: 250ms\n', '    service: web\n'));
  assert.deepEqual([byDefault.ingress.propagationDelayMs, byDefault.serviceProxy.propagationDelayMs], [3000, KUBE_PROXY_LAG_MS]);
  assert.deepEqual([stated.ingress.propagationDelayMs, stated.serviceProxy.propagationDelayMs], [INGRESS_NGINX_LAG_MS, 250]);
  assert.equal(loadScenario('keepalive-reuse').serviceProxy.propagationDelayMs, 1000, 'the 1 s keepalive-reuse was written for');
  assert.throws(() => loadScenario(write('svc-bad', 'Ingress', 'serviceProxy:\n  propagationDelay: soon\n')), /serviceProxy\.propagationDelay: "soon" is not a duration/);
});

test('an unknown retry policy or controller is a one-line input error', () => {
  assert.throws(() => loadScenario(write('bad', 'Ingress', 'ingress:\n  retry: always\n')), /ingress\.retry "always" is not one of none$/);
  assert.throws(() => loadScenario(write('bad2', 'Ingress', 'ingress:\n  controller: haproxy\n')), /ingress\.controller "haproxy" is not one of lab, nginx, traefik/);
});

test('a probe\'s method reaches the plan: POST shows what proxies do not retry', () => {
  const sc = loadScenario(write('post', 'Ingress', '', '    method: post\n'));
  assert.equal(scenarioPlan(sc, ['http://127.0.0.1:1/']).targets[0]!.method, 'POST');
});

test('rolling-update-no-prestop states retry none, its twin takes the default, upstream-keepalive-race probes with POST', () => {
  assert.equal(loadScenario('rolling-update-no-prestop').ingress.retry, 'none');
  assert.equal(loadScenario('rolling-update-no-prestop-retries').ingress.retry, undefined);
  assert.equal(loadScenario('upstream-keepalive-race').probes[0]!.method, 'POST');
});
