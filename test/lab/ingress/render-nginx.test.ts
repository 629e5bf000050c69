import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildRoutingModel } from '../../../src/lab/ingress/build-model.js';
import { findNginx } from '../../../src/lab/ingress/engine.js';
import { renderNginxConfig } from '../../../src/lab/ingress/render-nginx.js';
import type { RenderOptions } from '../../../src/lab/ingress/render-nginx.js';
import type { KubeObject } from '../../../src/types.js';
import { destinationRule, ingress, service, slice, to, versionedService, virtualService } from './objects.js';

const run = promisify(execFile);
/** `default`: no retry stated, so the real proxy's. */
const opts = (dir: string, retry: 'none' | 'default' = 'none'): RenderOptions =>
  ({ dir, host: '127.0.0.1', port: 18080, ...(retry === 'none' ? { retry } : {}), readTimeoutMs: 5000, generation: 7 });

/** Every construct the renderer emits, from all five SEEDS patterns at once. */
function everything(): KubeObject[] {
  return [
    ...versionedService('reviews', 9080, { v1: ['127.0.3.1'], v2: ['127.0.3.2'] }),
    destinationRule('reviews', ['v1', 'v2']),
    virtualService('reviews', ['reviews.default.svc.cluster.local'], [
      { match: [{ headers: { 'end-user': { exact: 'test-user' } } }, { uri: { regex: '/debug/.*' } }], route: [to('reviews', 'v2')] },
      { match: [{ uri: { prefix: '/api/' } }], rewrite: { uri: '/' }, route: [to('reviews', 'v1', 90), to('reviews', 'v3', 10)] },
      { route: [to('reviews', 'v1', 50), to('reviews', 'v2', 50)] },
    ]),
    service('blue'), slice('blue', 8080, [{ ip: '127.0.2.1' }]),
    service('green'), slice('green', 8080, [{ ip: '127.0.2.2', ready: false }]),
    ingress('web', [['/*', 'blue'], ['/green(/|$)(.*)', 'green']], { 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' }),
    ingress('shop', [['/', 'blue']], {}, 'shop.example.com'),
    ingress('shop-canary', [['/', 'green']], { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '33' }, 'shop.example.com'),
  ];
}

test('renders upstreams of ready endpoints with keep-alive and no passive health marking', () => {
  const conf = renderNginxConfig(buildRoutingModel(everything()), opts('/tmp/zd'));
  assert.match(conf, /upstream zd_default_reviews_9080_v2 \{\n\s+server 127\.0\.3\.2:9080 max_fails=0;\n\s+keepalive 16;/);
  assert.doesNotMatch(conf, /upstream zd_default_green/, 'green has no ready endpoint, so no upstream');
  assert.match(conf, /proxy_next_upstream off;/);
  assert.match(conf, /proxy_http_version 1\.1;\n\s+proxy_set_header Connection "";/);
  assert.match(conf, /split_clients "\$\{request_id\}" \$zd_\d+_r2_split \{\n\s+50% zd_default_reviews_9080_v1;\n\s+\* zd_default_reviews_9080_v2;/);
  assert.match(conf, /server_name reviews reviews\.default reviews\.default\.svc reviews\.default\.svc\.cluster\.local;/);
});

test('no retry stated: ingress-nginx\'s default, errors and timeouts up to 3 tries, never an answer or a sent POST', () => {
  const conf = renderNginxConfig(buildRoutingModel(everything()), opts('/tmp/zd', 'default'));
  assert.match(conf, /proxy_next_upstream error timeout;\n\s+proxy_next_upstream_tries 3;/);
  assert.doesNotMatch(conf, /http_50\d|non_idempotent/);
});

test('all paths nginx writes stay inside the prefix dir', () => {
  const conf = renderNginxConfig(buildRoutingModel([]), opts('/srv/lab/gw/'));
  const paths = [...conf.matchAll(/(?:pid|error_log|access_log|_temp_path) (\/\S+)/g)].map((m) => m[1]!);
  assert.equal(paths.length, 8);
  for (const p of paths) assert.ok(p.startsWith('/srv/lab/gw/'), p);
});

test('nginx accepts the rendered config (nginx -t)', { skip: findNginx() === undefined ? 'nginx not installed' : false }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'zd-render-'));
  try {
    await mkdir(join(dir, 'tmp'));
    for (const [name, objs] of [['empty', []], ['everything', everything()]] as const) {
      for (const retry of ['none', 'default'] as const) {
        const conf = join(dir, `${name}-${retry}.conf`);
        await writeFile(conf, renderNginxConfig(buildRoutingModel([...objs]), opts(dir, retry)));
        const r = await run(findNginx()!, ['-t', '-p', `${dir}/`, '-c', conf]).catch((e: { stderr: string }) => ({ stderr: `FAILED ${e.stderr}` }));
        assert.doesNotMatch(r.stderr, /FAILED|emerg/, `${name}/${retry}: ${r.stderr}`);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
