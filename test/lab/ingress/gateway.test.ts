// Both engines against real local backends, fed routing models built from objects.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRoutingModel } from '../../../src/lab/ingress/build-model.js';
import { findNginx, getOnce, sleep } from '../../../src/lab/ingress/engine.js';
import { startGateway } from '../../../src/lab/ingress/gateway.js';
import type { Gateway } from '../../../src/lab/ingress/gateway.js';
import type { KubeObject } from '../../../src/types.js';
import { httpBackend, ipPrefix, oneRequestPerConnBackend, resetBackend } from './backends.js';
import type { Backend } from './backends.js';
import { destinationRule, ingress, service, slice, to, versionedService, virtualService } from './objects.js';

const PORT = 20000 + Math.floor(Math.random() * 20000);

/** What answered: the backend's name, or the status when no backend did. */
async function hit(gw: Gateway, path = '/', headers: Record<string, string> = {}): Promise<string> {
  const r = await getOnce(gw.url + path, { host: 'helloworld', ...headers }, 5000);
  return r.status === 200 ? r.body : String(r.status);
}

async function tally(n: number, fn: () => Promise<string>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const k = (await fn()).split(' ')[0]!;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

const hw = (ip: string, versions: Record<string, string[]>, http: unknown[], subsets = ['v1', 'v2']): KubeObject[] => [
  ...versionedService('helloworld', PORT, versions), destinationRule('helloworld', subsets),
  virtualService('helloworld', ['helloworld'], http),
];

for (const engine of ['nginx', 'builtin'] as const) {
  describe(`${engine} gateway`, { skip: engine === 'nginx' && findNginx() === undefined ? 'nginx not installed' : false }, () => {
    const ip = ipPrefix();
    const backends: Backend[] = [];
    const gateways: Gateway[] = [];
    let dir = '';
    let gw: Gateway;
    let retrying: Gateway;
    const v = { v1: [`${ip}1`], v2: [`${ip}2`] };

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), `zd-ingress-${engine}-`));
      backends.push(await httpBackend('v1', `${ip}1`, PORT), await httpBackend('v2', `${ip}2`, PORT));
      backends.push(await httpBackend('green', `${ip}3`, PORT), await resetBackend('reset', `${ip}4`, PORT));
      backends.push(await httpBackend('hang', `${ip}5`, PORT, true), await oneRequestPerConnBackend('stale', `${ip}7`, PORT));
      gw = await startGateway({ dir: join(dir, 'none'), engine, retry: 'none', readTimeoutMs: 500 });
      gateways.push(gw);
    });
    after(async () => {
      await Promise.all(gateways.map((g) => g.close()));
      await Promise.all(backends.map((b) => b.close()));
      await rm(dir, { recursive: true, force: true });
    });

    test('reports the engine it runs', () => assert.equal(gw.engine, engine));

    test('splits 80/20 by weight, roughly', async () => {
      await gw.applyModel(buildRoutingModel(hw(ip, v, [{ route: [to('helloworld', 'v1', 80), to('helloworld', 'v2', 20)] }])));
      const t = await tally(400, () => hit(gw));
      assert.equal((t['v1'] ?? 0) + (t['v2'] ?? 0), 400, JSON.stringify(t));
      assert.ok((t['v2'] ?? 0) >= 40 && (t['v2'] ?? 0) <= 120, JSON.stringify(t));
    });

    test('header route sends every matching request to v2, the rest to v1', async () => {
      const http = [
        { match: [{ headers: { 'end-user': { exact: 'test-user' } } }], route: [to('helloworld', 'v2')] },
        { route: [to('helloworld', 'v1')] },
      ];
      await gw.applyModel(buildRoutingModel(hw(ip, v, http)));
      assert.deepEqual(await tally(50, () => hit(gw, '/', { 'end-user': 'test-user' })), { v2: 50 });
      assert.deepEqual(await tally(50, () => hit(gw, '/', { 'end-user': 'someone' })), { v1: 50 });
    });

    test('without a fallback route, unmatched requests get 404', async () => {
      const http = [{ match: [{ headers: { 'x-debug': { regex: '.*debug.*' } } }], route: [to('helloworld', 'v2')] }];
      await gw.applyModel(buildRoutingModel(hw(ip, v, http)));
      assert.equal(await hit(gw, '/', { 'x-debug': 'my-debug-run' }), 'v2 /');
      assert.deepEqual(await tally(10, () => hit(gw)), { 404: 10 });
    });

    test('weight on a subset that is not defined yet gets 503', async () => {
      await gw.applyModel(buildRoutingModel(hw(ip, v, [{ route: [to('helloworld', 'v2')] }], ['v1'])));
      assert.deepEqual(await tally(10, () => hit(gw)), { 503: 10 });
    });

    test('blue/green: /green/foo reaches green as /foo, the rest reaches blue', async () => {
      const objs = [
        service('blue', PORT, PORT), slice('blue', PORT, [{ ip: `${ip}1` }]),
        service('green', PORT, PORT), slice('green', PORT, [{ ip: `${ip}3` }]),
        ingress('web', [['/*', 'blue', PORT], ['/green(/|$)(.*)', 'green', PORT]], {
          'nginx.ingress.kubernetes.io/use-regex': 'true', 'nginx.ingress.kubernetes.io/rewrite-target': '/$2',
        }),
      ];
      await gw.applyModel(buildRoutingModel(objs));
      assert.equal(await hit(gw, '/green/foo?x=1'), 'green /foo?x=1');
      assert.equal(await hit(gw, '/green'), 'green /');
      assert.equal(await hit(gw, '/other'), 'v1 /');
    });

    test('an upstream that resets gets 502; one that hangs gets 504; nothing listening gets 502', async () => {
      for (const [at, want] of [[4, '502'], [5, '504'], [6, '502']] as const) {
        const objs = [service('s', PORT, PORT), slice('s', PORT, [{ ip: `${ip}${at}` }]), ingress('s', [['/', 's', PORT]])];
        await gw.applyModel(buildRoutingModel(objs));
        assert.equal(await hit(gw), want, `endpoint ${ip}${at}`);
      }
    });

    test('retry none: requests sent to the resetting endpoint fail with 502', async () => {
      const objs = [service('s', PORT, PORT), slice('s', PORT, [{ ip: `${ip}1` }, { ip: `${ip}4` }]), ingress('s', [['/', 's', PORT]])];
      await gw.applyModel(buildRoutingModel(objs));
      const t = await tally(20, () => hit(gw));
      assert.deepEqual(Object.keys(t).sort(), ['502', 'v1'], JSON.stringify(t));
    });

    test('ingress-nginx\'s default retries: the healthy second endpoint answers every request', async () => {
      retrying = await startGateway({ dir: join(dir, 'retry'), engine, readTimeoutMs: 500 });
      gateways.push(retrying);
      const objs = [service('s', PORT, PORT), slice('s', PORT, [{ ip: `${ip}1` }, { ip: `${ip}4` }]), ingress('s', [['/', 's', PORT]])];
      await retrying.applyModel(buildRoutingModel(objs));
      assert.deepEqual(await tally(20, () => hit(retrying)), { v1: 20 });
    });

    test('a kept-alive upstream connection that was reset: 502 without retry, retried by ingress-nginx\'s default', async () => {
      const objs = [service('s', PORT, PORT), slice('s', PORT, [{ ip: `${ip}7` }]), ingress('s', [['/', 's', PORT]])];
      await gw.applyModel(buildRoutingModel(objs));
      await retrying.applyModel(buildRoutingModel(objs));
      const plain: string[] = [];
      const retried: string[] = [];
      for (let i = 0; i < 6; i++) {
        plain.push(await hit(gw));
        retried.push(await hit(retrying));
      }
      // Every second request reuses the connection the first one left open, and fails.
      assert.deepEqual(plain, ['stale /', '502', 'stale /', '502', 'stale /', '502']);
      assert.deepEqual(retried, Array(6).fill('stale /'));
    });

    test('nginx writes a JSON access log line per request with status and upstream', { skip: engine !== 'nginx' }, async () => {
      const objs = [service('s', PORT, PORT), slice('s', PORT, [{ ip: `${ip}2` }]), ingress('s', [['/', 's', PORT]])];
      await gw.applyModel(buildRoutingModel(objs));
      assert.equal(await hit(gw, '/logged'), 'v2 /logged');
      await sleep(100);
      const lines = (await readFile(join(dir, 'none', 'access.log'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
      const mine = lines.filter((l) => l.uri === '/logged');
      assert.equal(mine.length, 1);
      assert.equal(mine[0].status, 200);
      assert.equal(mine[0].upstream, `${ip}2:${PORT}`);
      assert.equal(mine[0].backend, `zd_default_s_${PORT}`);
    });

    test('requests across reloads all succeed', async () => {
      const models = [10, 50, 90, 30, 70].map((w) => buildRoutingModel(hw(ip, v, [{ route: [to('helloworld', 'v1', 100 - w), to('helloworld', 'v2', w)] }])));
      await gw.applyModel(models[0]!);
      let stop = false;
      const results: string[] = [];
      const load = (async () => {
        for (let i = 0; i < 5000 && !stop; i++) results.push(await hit(gw));
      })();
      // Each reload starts while requests are flowing (at least 10 since the last one).
      for (const m of models.slice(1)) {
        const from = results.length;
        for (let i = 0; i < 500 && results.length < from + 10; i++) await sleep(10);
        await gw.applyModel(m);
      }
      stop = true;
      await load;
      assert.ok(results.length >= 40, `only ${results.length} requests`);
      assert.deepEqual(results.filter((r) => !r.startsWith('v1 ') && !r.startsWith('v2 ')), []);
    });
  });
}
