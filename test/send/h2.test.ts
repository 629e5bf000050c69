// HTTP/2: over TLS (ALPN) and in clear text (h2c). The server sees HTTP/2, the summary records what was
// negotiated, and stream resets, refused streams and GOAWAY each have their own class, counted exactly
// against what the server did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { schemaProblems } from '../helpers/json-schema.js';
import { tlsCert } from '../helpers/servers.js';
import { h2Answer, misbehaving, startH2Server, type H2Server } from '../helpers/h2-servers.js';

const cert = tlsCert('ip-only');
const tmp = mkdtempSync(join(tmpdir(), 'zdprobe-h2-'));

async function probe(srv: H2Server, args: string[]) {
  const r = await runCli(['probe', srv.url, '--rps', '10', '-d', '3s', '--format', 'json', ...args]);
  return JSON.parse(r.stdout);
}

/** The client's outcomes: statuses and error classes (the server names what it did the same way). */
const outcomes = (s: { status: Record<string, number>; errors: Record<string, number> }) => ({ ...s.status, ...s.errors });

const overTls: Array<[string, string[], string]> = [
  ['--protocol h2 (node:http2)', ['--protocol', 'h2'], 'h2'],
  ['--protocol auto (ALPN picks h2)', [], 'h2'],
];

for (const [name, args, negotiated] of overTls) {
  test(`${name}: the TLS server sees HTTP/2 on every request, each reset, refused stream and GOAWAY counted as the server did them`, async () => {
    const srv = await startH2Server(misbehaving, { key: cert.key, cert: cert.cert });
    try {
      const s = await probe(srv, ['--ca', cert.caFile, ...args]);
      assert.deepEqual(srv.versions, { '2.0': 30 });
      assert.equal(s.targets.default.protocol, negotiated);
      assert.deepEqual(outcomes(s), srv.did);
      assert.deepEqual(s.totals, { scheduled: 30, sent: 30, ok: srv.did['200'], failed: 30 - srv.did['200']!, late: 0 });
    } finally {
      await srv.close();
    }
  });
}

test('--protocol h1 over TLS: the server sees HTTP/1.1 and the summary says http/1.1', async () => {
  const srv = await startH2Server((_n, stream) => h2Answer(stream, 200, '1'), { key: cert.key, cert: cert.cert });
  try {
    const s = await probe(srv, ['--ca', cert.caFile, '--protocol', 'h1']);
    assert.deepEqual(srv.versions, { '1.1': 30 });
    assert.equal(s.targets.default.protocol, 'http/1.1');
    assert.equal(s.totals.ok, 30);
  } finally {
    await srv.close();
  }
});

for (const connection of ['reuse', 'new', 'both']) {
  test(`h2c with --connection ${connection}: GOAWAY, stream resets and refused streams mid-run, each its own class, exactly as the server did them`, async () => {
    const srv = await startH2Server(misbehaving);
    try {
      const rec = join(tmp, `h2c-${connection}.ndjson`);
      const s = await probe(srv, ['--protocol', 'h2c', '--connection', connection, '--record', rec]);
      const lines = readFileSync(rec, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
      assert.deepEqual(lines.flatMap((l, i) => schemaProblems('recording.schema.json', l).map((p) => `line ${i + 1}: ${p}`)), []);
      assert.deepEqual(srv.versions, { '2.0': 30 });
      assert.equal(s.targets.default.protocol, 'h2c');
      assert.deepEqual(srv.did, { '200': 21, 'stream-reset': 3, 'refused-stream': 3, goaway: 3 });
      assert.deepEqual(outcomes(s), srv.did);
      assert.equal(s.totals.sent, 30);
    } finally {
      await srv.close();
    }
  });
}

const sessionsFor: Array<[string, number]> = [['reuse', 1], ['new', 30], ['both', 16]];
for (const [connection, sessions] of sessionsFor) {
  test(`h2c --connection ${connection}: ${sessions} HTTP/2 connection(s) for 30 requests`, async () => {
    const srv = await startH2Server((_n, stream) => h2Answer(stream, 200, '1'));
    try {
      const s = await probe(srv, ['--protocol', 'h2c', '--connection', connection]);
      assert.equal(s.totals.ok, 30);
      assert.equal(srv.sessions(), sessions, 'reuse: one long-lived connection; new: one per request');
    } finally {
      await srv.close();
    }
  });
}

test('--protocol auto --connection new over TLS: a connection that negotiated h2 is not reused (one per request)', async () => {
  const srv = await startH2Server((_n, stream) => h2Answer(stream, 200, '1'), { key: cert.key, cert: cert.cert });
  try {
    const s = await probe(srv, ['--ca', cert.caFile, '--connection', 'new']);
    assert.equal(s.targets.default.protocol, 'h2');
    assert.equal(s.totals.ok, 30);
    assert.equal(srv.sessions(), 30);
  } finally {
    await srv.close();
  }
});

test('a server that stops mid-run: the requests after it are refused connections, every one counted', async () => {
  let srv: H2Server | undefined;
  srv = await startH2Server((n, stream) => {
    if (n === 14) setImmediate(() => void srv!.close());
    return h2Answer(stream, 200, '1');
  });
  const s = await probe(srv, ['--protocol', 'h2c', '--connection', 'reuse']);
  assert.equal(srv.did['200'], 15);
  assert.deepEqual(s.status, { '200': 15 });
  assert.equal(s.totals.scheduled, 30);
  assert.equal(s.totals.failed, 15);
  assert.deepEqual(Object.keys(s.errors).sort(), ['refused']);
});
