// The gateway answers as the real proxy a route stands for: Envoy for a VirtualService, a Gateway API
// implementation for an HTTPRoute, ingress-nginx for an Ingress. Real backends that refuse, reset,
// hang or answer; the built-in engine (and real nginx for the statuses it can give).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRoutingModel } from '../../../src/lab/ingress/build-model.js';
import { findNginx } from '../../../src/lab/ingress/engine.js';
import { startGateway } from '../../../src/lab/ingress/gateway.js';
import type { Gateway, GatewayOptions } from '../../../src/lab/ingress/gateway.js';
import type { KubeObject } from '../../../src/types.js';
import { connectionBackend, cutBackend, httpBackend, ipPrefix, resetBackend } from './backends.js';
import type { Backend } from './backends.js';
import { destinationRule, httpRoute, ingress, service, slice, to, versionedService, virtualService } from './objects.js';

const PORT = 20000 + Math.floor(Math.random() * 20000);

interface Reply { status: number; body: string; server?: string }

/** One request on a fresh client connection (the gateway's upstream pool is what is under test). */
function send(gw: Gateway, method = 'GET', path = '/'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(gw.url + path, { method, headers: { host: 'web' }, agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body, ...(typeof res.headers.server === 'string' ? { server: res.headers.server } : {}) }));
    });
    req.on('timeout', () => req.destroy(new Error('client timeout'))).on('error', reject);
    req.end(method === 'POST' ? 'x=1' : undefined);
  });
}

/** Status (or backend name for a 200) of n requests, counted. */
async function tally(gw: Gateway, n: number, method = 'GET'): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const r = await send(gw, method);
    const k = r.status === 200 ? r.body.split(' ')[0]! : String(r.status);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** A VirtualService for host `web` to the Service's endpoints `ips` (subset v1 holds them all). */
const mesh = (ips: string[], subset = 'v1'): KubeObject[] => [
  ...versionedService('web', PORT, { v1: ips }), destinationRule('web', ['v1']),
  virtualService('web', ['web'], [{ route: [to('web', subset)] }]),
];
const viaIngress = (ips: string[]): KubeObject[] => [service('web', PORT, PORT), slice('web', PORT, ips.map((ip) => ({ ip }))), ingress('web', [['/', 'web', PORT]])];

describe('dialects of the built-in gateway', () => {
  const ip = ipPrefix();
  const [good, reset, hang, refused, pooled, cut] = [`${ip}1`, `${ip}2`, `${ip}3`, `${ip}4`, `${ip}5`, `${ip}6`];
  const backends: Backend[] = [];
  const gateways: Gateway[] = [];
  let dir = '';
  const gateway = async (o: Partial<GatewayOptions> = {}): Promise<Gateway> => {
    const gw = await startGateway({ dir: join(dir, String(gateways.length)), engine: 'builtin', ...o });
    gateways.push(gw);
    return gw;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zd-dialect-'));
    backends.push(await httpBackend('good', good, PORT), await resetBackend('reset', reset, PORT));
    backends.push(await httpBackend('hang', hang, PORT, true), await connectionBackend('pooled', pooled, PORT), await cutBackend('cut', cut, PORT));
  });
  after(async () => {
    await Promise.all(gateways.map((g) => g.close()));
    await Promise.all(backends.map((b) => b.close()));
    await rm(dir, { recursive: true, force: true });
  });

  test('Envoy answers a refused, a reset and a hanging upstream with 503, 503 and 504, and its own texts', async () => {
    const gw = await gateway({ retry: 'none', readTimeoutMs: 300 });
    const seen: Array<[number, string, string | undefined]> = [];
    for (const at of [refused, cut, hang]) {
      await gw.applyModel(buildRoutingModel(mesh([at])));
      const r = await send(gw);
      seen.push([r.status, r.body, r.server]);
    }
    const reason = 'upstream connect error or disconnect/reset before headers. reset reason:';
    assert.deepEqual(seen, [[503, `${reason} connection failure`, 'envoy'], [503, `${reason} connection termination`, 'envoy'], [504, 'upstream request timeout', 'envoy']]);
  });

  test('Envoy: no ready endpoint is 503 "no healthy upstream", an unknown subset 503, no matching route 404', async () => {
    const gw = await gateway();
    await gw.applyModel(buildRoutingModel(mesh([])));
    const none = await send(gw);
    await gw.applyModel(buildRoutingModel(mesh([good], 'v2')));
    const subset = await send(gw);
    await gw.applyModel(buildRoutingModel([...mesh([good]).slice(0, -1), virtualService('web', ['web'], [{ match: [{ uri: { prefix: '/api' } }], route: [to('web', 'v1')] }])]));
    const noRoute = await send(gw);
    assert.deepEqual([none.status, none.body, subset.status, noRoute.status], [503, 'no healthy upstream', 503, 404]);
  });

  test('Istio\'s default retry hides refused connects but not resets: those reach the client as 503', async () => {
    const gw = await gateway();
    await gw.applyModel(buildRoutingModel(mesh([refused, good])));
    assert.deepEqual(await tally(gw, 20), { good: 20 });
    await gw.applyModel(buildRoutingModel(mesh([cut, good])));
    const t = await tally(gw, 30);
    // The first try's endpoint is random: about half the requests meet the cutting one.
    assert.deepEqual([Object.keys(t).sort(), (t['good'] ?? 0) + (t['503'] ?? 0)], [['503', 'good'], 30], JSON.stringify(t));
  });

  test('ingress-nginx answers 502 for a refused or reset upstream and 503 without endpoints when it may not retry', async () => {
    const gw = await gateway({ retry: 'none' });
    const statuses: number[] = [];
    for (const ips of [[refused], [reset], [cut], []]) {
      await gw.applyModel(buildRoutingModel(viaIngress(ips)));
      statuses.push((await send(gw)).status);
    }
    assert.deepEqual(statuses, [502, 502, 502, 503]);
  });

  test('ingress-nginx\'s default retries a GET on a refused or cut upstream, a POST only when it was never sent', async () => {
    const gw = await gateway();
    await gw.applyModel(buildRoutingModel(viaIngress([refused, good])));
    const refusedGet = await tally(gw, 10);
    const refusedPost = await tally(gw, 10, 'POST');
    await gw.applyModel(buildRoutingModel(viaIngress([cut, good])));
    const cutGet = await tally(gw, 10);
    const cutPost = await tally(gw, 30, 'POST');
    assert.deepEqual([refusedGet, refusedPost, cutGet], [{ good: 10 }, { good: 10 }, { good: 10 }]);
    assert.deepEqual([Object.keys(cutPost).sort(), (cutPost['good'] ?? 0) + (cutPost['502'] ?? 0)], [['502', 'good'], 30], JSON.stringify(cutPost));
  });

  test('an HTTPRoute to a missing Service or port answers 500 (Gateway API); one without endpoints 503', async () => {
    const gw = await gateway();
    const statuses: number[] = [];
    for (const objs of [[httpRoute('web', 'nope', PORT)], [service('web', PORT, PORT), httpRoute('web', 'web', PORT + 1)], [service('web', PORT, PORT), slice('web', PORT, []), httpRoute('web', 'web', PORT)]]) {
      await gw.applyModel(buildRoutingModel(objs));
      statuses.push((await send(gw)).status);
    }
    assert.deepEqual(statuses, [500, 500, 503]);
  });

  test('the upstream keep-alive pool survives an endpoint change; a route change (a reload) starts a new one', async () => {
    const gw = await gateway();
    await gw.applyModel(buildRoutingModel(viaIngress([pooled])));
    const first = [(await send(gw)).body, (await send(gw)).body];
    await gw.applyModel(buildRoutingModel(viaIngress([pooled, refused])));
    const afterEndpoints = (await send(gw)).body; // the refused one, if tried first, is retried away
    await gw.applyModel(buildRoutingModel([...viaIngress([pooled]).slice(0, 2), ingress('web', [['/', 'web', PORT], ['/other', 'web', PORT]])]));
    const afterRoutes = (await send(gw)).body;
    assert.deepEqual([...first, afterEndpoints, afterRoutes], ['pooled c1', 'pooled c1', 'pooled c1', 'pooled c2']);
  });
});

describe('dialects of real nginx (statuses only)', { skip: findNginx() === undefined ? 'nginx not installed' : false }, () => {
  const ip = ipPrefix();
  let dir = '';
  let gw: Gateway;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zd-dialect-nginx-'));
    gw = await startGateway({ dir, engine: 'nginx', retry: 'none' });
  });
  after(async () => {
    await gw.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('a refused upstream is 503 behind a VirtualService and 502 behind an Ingress; a bad HTTPRoute backend 500', async () => {
    const statuses: number[] = [];
    for (const objs of [mesh([`${ip}9`]), viaIngress([`${ip}9`]), [httpRoute('web', 'nope', PORT)]]) {
      await gw.applyModel(buildRoutingModel(objs));
      statuses.push((await send(gw)).status);
    }
    assert.deepEqual(statuses, [503, 502, 500]);
  });
});
