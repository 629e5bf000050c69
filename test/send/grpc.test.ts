// gRPC targets: the health check's codes by name as the server's health flips and the server stops,
// the version from response metadata, and a unary method; counted exactly against the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';
import { startGrpcServer } from '../helpers/grpc-servers.js';
import { tlsCert } from '../helpers/servers.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schemaProblems } from '../helpers/json-schema.js';

const tmp = mkdtempSync(join(tmpdir(), 'zdprobe-grpc-'));

const probe = async (url: string, args: string[] = []) => {
  const r = await runCli(['probe', url, '--rps', '10', '-d', '3s', '--format', 'json', ...args]);
  return { ...r, s: JSON.parse(r.stdout) };
};

test('a health check that flips to NOT_SERVING and then stops: OK, NOT_SERVING, CANCELLED, UNAVAILABLE by name, exactly as the server answered', async () => {
  const srv = await startGrpcServer((n) => (n < 10 ? 'SERVING' : n < 20 ? 'NOT_SERVING' : 'stop'));
  try {
    const rec = join(tmp, 'health.ndjson');
    const { s, code } = await probe(`${srv.url}/shop.Cart`, ['--record', rec]);
    assert.deepEqual(srv.did, { SERVING: 10, NOT_SERVING: 10, unanswered: 1 });
    assert.deepEqual(new Set(srv.calls), new Set(['Check shop.Cart']));
    // the call the server dropped as it shut down had its stream cancelled; the rest found nothing listening
    assert.deepEqual(s.status, { OK: 10, NOT_SERVING: 10, CANCELLED: 1, UNAVAILABLE: 9 });
    assert.deepEqual(s.totals, { scheduled: 30, sent: 30, ok: 10, failed: 20, late: 0 });
    assert.deepEqual(s.versions, { '1': 10 });
    assert.equal(s.targets.default.protocol, 'h2c');
    assert.equal(s.gate.passed, false);
    assert.equal(code, 1);
    // the recording (gRPC codes on failures, the negotiated protocol) is what docs/schema describes
    const lines = readFileSync(rec, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    assert.deepEqual(lines.filter((l) => l.type === 'protocol').map((l) => l.protocol), ['h2c']);
    assert.deepEqual(lines.flatMap((l, i) => schemaProblems('recording.schema.json', l).map((p) => `line ${i + 1}: ${p}`)), []);
    assert.deepEqual(schemaProblems('summary.schema.json', s), []);
  } finally {
    await srv.close();
  }
});

test('method pkg.Service/Method: a unary call with an empty request, OK by name; an unknown method is UNIMPLEMENTED', async () => {
  const srv = await startGrpcServer(() => 'SERVING', '2');
  try {
    const ping = await probe(srv.url, ['-X', 'test.Echo/Ping']);
    assert.equal(srv.did['Ping'], 30);
    assert.deepEqual(ping.s.status, { OK: 30 });
    assert.deepEqual(ping.s.versions, { '2': 30 });
    assert.equal(ping.code, 0);
    const unknown = await probe(srv.url, ['-X', 'test.Echo/Nope']);
    assert.deepEqual(unknown.s.status, { UNIMPLEMENTED: 30 });
    assert.equal(unknown.s.totals.failed, 30);
  } finally {
    await srv.close();
  }
});

test('grpcs:// with --ca: the health check over TLS, recorded as h2', async () => {
  const cert = tlsCert('ip-only');
  const srv = await startGrpcServer(() => 'SERVING', '1', { key: cert.key, cert: cert.cert });
  try {
    const { s, code } = await probe(srv.url, ['--ca', cert.caFile]);
    assert.equal(srv.did['SERVING'], 30);
    assert.deepEqual(s.status, { OK: 30 });
    assert.equal(s.targets.default.protocol, 'h2');
    assert.equal(code, 0);
  } finally {
    await srv.close();
  }
});
