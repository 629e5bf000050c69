// The whole ingress: informers on the lab API server drive the gateway, after the delay.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { startApiServer } from '../../../src/lab/apiserver/index.js';
import type { ApiServerHandle } from '../../../src/lab/apiserver/index.js';
import { findNginx, getOnce, sleep } from '../../../src/lab/ingress/engine.js';
import { startIngress } from '../../../src/lab/ingress/index.js';
import type { IngressHandle } from '../../../src/lab/ingress/index.js';
import type { KubeObject } from '../../../src/types.js';
import { httpBackend, ipPrefix } from './backends.js';
import type { Backend } from './backends.js';
import { destinationRule, pod, service, slice, to, virtualService } from './objects.js';

const PORT = 20000 + Math.floor(Math.random() * 20000);
const DELAY = 1500;
const ns = 'default';
const ISTIO = { group: 'networking.istio.io', version: 'v1beta1', namespace: ns };

async function answer(ing: IngressHandle): Promise<string> {
  const r = await getOnce(ing.url, { host: 'helloworld' }, 5000).catch((e: Error) => ({ status: 0, body: e.message }));
  return r.status === 200 ? r.body.split(' ')[0]! : String(r.status);
}

/**
 * Polls (bounded) until 20 answers in a row are `want`. Not "from the first one on": during an
 * nginx reload old workers keep accepting with the old config for 100 ms or more.
 */
async function settlesOn(ing: IngressHandle, want: string): Promise<void> {
  const seen: string[] = [];
  let run = 0;
  for (let i = 0; i < 600 && run < 20; i++) {
    const got = await answer(ing);
    seen.push(got);
    run = got === want ? run + 1 : 0;
    if (run === 0) await sleep(25);
  }
  assert.equal(run, 20, `never settled on ${want}; last answers: ${seen.slice(-30).join(' ')}`);
}

const vs = (weights: [number, number]): KubeObject =>
  virtualService('helloworld', ['helloworld'], [{ route: [to('helloworld', 'v1', weights[0]), to('helloworld', 'v2', weights[1])] }]);

for (const engine of ['nginx', 'builtin'] as const) {
  describe(`ingress on the lab API (${engine})`, { skip: engine === 'nginx' && findNginx() === undefined ? 'nginx not installed' : false }, () => {
    const ip = ipPrefix();
    const backends: Backend[] = [];
    let dir = '';
    let api: ApiServerHandle;
    let ing: IngressHandle;
    let custom: k8s.CustomObjectsApi;
    let disc: k8s.DiscoveryV1Api;

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), `zd-ingress-api-${engine}-`));
      backends.push(await httpBackend('v1', `${ip}1`, PORT), await httpBackend('v2', `${ip}2`, PORT));
      api = await startApiServer({ dir: join(dir, 'api') });
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(api.kubeconfig);
      const core = kc.makeApiClient(k8s.CoreV1Api);
      custom = kc.makeApiClient(k8s.CustomObjectsApi);
      disc = kc.makeApiClient(k8s.DiscoveryV1Api);
      await core.createNamespacedService({ namespace: ns, body: service('helloworld', PORT, PORT) as k8s.V1Service });
      for (const v of ['v1', 'v2']) await core.createNamespacedPod({ namespace: ns, body: { ...pod(`helloworld-${v}-0`, { app: 'helloworld', version: v }), spec: { containers: [{ name: 'app', image: `lab/web:${v}` }] } } as k8s.V1Pod });
      const eps = [{ ip: `${ip}1`, pod: 'helloworld-v1-0' }, { ip: `${ip}2`, pod: 'helloworld-v2-0' }];
      await disc.createNamespacedEndpointSlice({ namespace: ns, body: slice('helloworld', PORT, eps) as unknown as k8s.V1EndpointSlice });
      await custom.createNamespacedCustomObject({ ...ISTIO, plural: 'destinationrules', body: destinationRule('helloworld', ['v1', 'v2']) });
      await custom.createNamespacedCustomObject({ ...ISTIO, plural: 'virtualservices', body: vs([100, 0]) });
      ing = await startIngress({ kubeconfig: api.kubeconfig, dir: join(dir, 'gw'), engine, propagationDelayMs: DELAY, retry: 'none', namespace: ns });
    });
    after(async () => {
      await ing?.close();
      await api?.close();
      await Promise.all(backends.map((b) => b.close()));
      await rm(dir, { recursive: true, force: true });
    });

    test('starts in sync with the cluster', async () => {
      assert.equal(ing.engine, engine);
      assert.equal(ing.lastError(), undefined);
      await settlesOn(ing, 'v1');
    });

    test('a VirtualService weight change reaches the gateway only after the propagation delay', async () => {
      const changed = Date.now();
      await custom.replaceNamespacedCustomObject({ ...ISTIO, plural: 'virtualservices', name: 'helloworld', body: vs([0, 100]) });
      const early = await answer(ing);
      // Only meaningful when the machine was quick enough to ask well within the delay.
      if (Date.now() - changed < DELAY / 2) assert.equal(early, 'v1');
      await settlesOn(ing, 'v2');
      assert.ok(Date.now() - changed >= DELAY, 'switched before the propagation delay');
    });

    test('a terminating endpoint leaves the upstreams: its subset then answers 503', async () => {
      const eps = [{ ip: `${ip}1`, pod: 'helloworld-v1-0' }, { ip: `${ip}2`, pod: 'helloworld-v2-0', ready: false, terminating: true }];
      await disc.replaceNamespacedEndpointSlice({ namespace: ns, name: 'helloworld-abcde', body: slice('helloworld', PORT, eps) as unknown as k8s.V1EndpointSlice });
      await settlesOn(ing, '503');
    });

    test('close stops the gateway', async () => {
      const url = ing.url;
      await ing.close();
      const r = await getOnce(url, { host: 'helloworld' }, 2000).then(() => 'answered', (e: Error) => e.message);
      assert.notEqual(r, 'answered');
    });
  });
}
