// Mutual TLS: --cert and --key present a client certificate the server checks; without them the
// server refuses every request, and that is a TLS error, never a timeout. The key is never recorded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TLSSocket } from 'node:tls';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { answer, startServer, tlsCert } from '../helpers/servers.js';

const server = tlsCert('ip-only');
const client = tlsCert('shop-example');
const keyFile = client.caFile.replace(/\.crt$/, '.key');
const tmp = mkdtempSync(join(tmpdir(), 'zdprobe-mtls-'));

/** Answers only clients whose certificate it trusts, and counts who they were. */
async function mtlsServer() {
  const peers: string[] = [];
  const srv = await startServer((_n, req, res) => {
    peers.push(String((req.socket as TLSSocket).getPeerCertificate().subject?.CN));
    return answer(res, 200, '1');
  }, '127.0.0.1', { key: server.key, cert: server.cert, ca: client.cert, requestCert: true, rejectUnauthorized: true });
  return { srv, peers };
}

test('--cert and --key: the server sees the client certificate on every request, and the recording holds no key', async () => {
  const { srv, peers } = await mtlsServer();
  const rec = join(tmp, 'mtls.ndjson');
  try {
    const r = await runCli(['probe', srv.url, '--ca', server.caFile, '--cert', client.caFile, '--key', keyFile, '--rps', '10', '-d', '2s', '--record', rec]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(srv.did['200'], 20);
    assert.deepEqual([...new Set(peers)], ['shop.example']);
    const recorded = readFileSync(rec, 'utf8');
    assert.doesNotMatch(recorded, /PRIVATE KEY|BEGIN CERTIFICATE/);
  } finally {
    await srv.close();
  }
});

test('without a client certificate the server refuses every request: tls errors, not timeouts', async () => {
  const { srv } = await mtlsServer();
  try {
    const r = await runCli(['probe', srv.url, '--ca', server.caFile, '--rps', '10', '-d', '2s', '--timeout', '1s', '--format', 'json']);
    const s = JSON.parse(r.stdout);
    assert.equal(srv.did['200'], undefined);
    assert.equal(s.totals.failed, 20);
    // Under TLS 1.3 the server's refusal comes after the handshake, as a closed connection.
    assert.deepEqual(Object.keys(s.errors).filter((k) => k !== 'tls' && k !== 'reset'), [], `refused as tls or reset, never a timeout: ${JSON.stringify(s.errors)}`);
  } finally {
    await srv.close();
  }
});

const bad: Array<[string, string[], RegExp]> = [
  ['--cert without --key', ['--cert', client.caFile], /mutual TLS needs both --cert FILE and --key FILE/],
  ['a key of another certificate', ['--cert', client.caFile, '--key', server.caFile.replace(/\.crt$/, '.key')], /does not belong to the --cert/],
  ['a certificate given as the key', ['--cert', client.caFile, '--key', client.caFile], /is not a PEM private key/],
];
for (const [name, args, message] of bad) {
  test(`mutual TLS with ${name}: exit 2, one line`, async () => {
    const r = await runCli(['probe', 'https://127.0.0.1:1/', '-d', '1s', ...args]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });
}
