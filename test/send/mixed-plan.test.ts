// One plan, three kinds of target: HTTP/1.1, h2c and gRPC, each on its own schedule in one run;
// each target's counts equal what its own server did, and the run's totals are their sum.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { answer, startServer } from '../helpers/servers.js';
import { misbehaving, startH2Server } from '../helpers/h2-servers.js';
import { startGrpcServer } from '../helpers/grpc-servers.js';

test('a plan of an HTTP/1.1, an h2c and a gRPC target: per-target counts and protocols as each server saw them', async () => {
  const h1 = await startServer((_n, _req, res) => answer(res, 200, '1'));
  const h2c = await startH2Server(misbehaving);
  const grpc = await startGrpcServer((n) => (n < 10 ? 'SERVING' : 'NOT_SERVING'));
  const plan = join(mkdtempSync(join(tmpdir(), 'zdprobe-mixed-')), 'plan.yaml');
  writeFileSync(plan, [
    'rps: 10',
    'targets:',
    `  - {name: web, url: "${h1.url}"}`,
    `  - {name: api, url: "${h2c.url}", protocol: h2c, rps: 20}`,
    `  - {name: health, url: "${grpc.url}"}`,
  ].join('\n'));
  try {
    const r = await runCli(['probe', '--plan', plan, '-d', '3s', '--format', 'json']);
    const s = JSON.parse(r.stdout);
    assert.deepEqual(Object.fromEntries(Object.entries(s.targets).map(([n, t]) => [n, (t as { protocol: string }).protocol])), { web: 'http/1.1', api: 'h2c', health: 'h2c' });
    assert.deepEqual(s.targets.web.status, h1.did);
    assert.deepEqual({ ...s.targets.api.status, ...s.targets.api.errors }, h2c.did);
    assert.deepEqual(h2c.versions, { '2.0': 60 });
    assert.deepEqual(s.targets.health.status, { OK: grpc.did['SERVING'], NOT_SERVING: grpc.did['NOT_SERVING'] });
    assert.deepEqual(Object.values(s.targets).map((t) => (t as { totals: { scheduled: number } }).totals.scheduled), [30, 60, 30]);
    assert.equal(s.totals.scheduled, 120);
    assert.equal(s.totals.ok, s.targets.web.totals.ok + s.targets.api.totals.ok + s.targets.health.totals.ok);
  } finally {
    await Promise.all([h1.close(), h2c.close(), grpc.close()]);
  }
});
